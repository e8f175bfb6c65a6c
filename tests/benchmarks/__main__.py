"""`make bench`: every benchmark, each comparing against the naive way in the same run.

    python -m tests.benchmarks [--quick] [--only scoring,ingest,pipeline,dashboard,risk,memory,evidence]

Figures are printed and written as JSON to $WAREHOUSE_DIR/bench/results.json.
"""

import argparse
import importlib
import json
import os
import sys
import time
from pathlib import Path

BENCHMARKS = ("scoring", "ingest", "pipeline", "dashboard", "risk", "memory", "evidence")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks")
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--only", default=",".join(BENCHMARKS), help="comma-separated subset")
    args = parser.parse_args(argv)

    results = {}
    for name in args.only.split(","):
        module = importlib.import_module(f"tests.benchmarks.bench_{name}")
        print(f"== {name} ==", flush=True)
        started = time.perf_counter()
        results[name] = module.run(quick=args.quick)
        results[name]["bench_seconds"] = round(time.perf_counter() - started, 1)
        print(json.dumps(results[name], indent=2), flush=True)

    out = Path(os.environ.get("WAREHOUSE_DIR", "warehouse")) / "bench" / "results.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"results written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
