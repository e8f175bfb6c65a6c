"""Pipeline wall time and peak memory at the default demo size and at 1,000,000 interactions,
and a second run with no new data as a fraction of the first.

Each size runs in a fresh temporary WAREHOUSE_DIR: generate the demo exports, run
`python -m dagster_project run` twice, time both. Peak memory is the largest resident set of any
process of the run (the Dagster process, a scoring worker or dbt), sampled with psutil.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import psutil

SIZES = {"default": [], "1m": ["--interactions", "1000000"]}
QUICK_SIZES = {"quick": ["--accounts", "40", "--months", "6"]}


def _run(args: list[str], env: dict[str, str], log: Path) -> tuple[float, float]:
    """Run a module; return (wall seconds, peak RSS in MiB over the process tree)."""
    started = time.perf_counter()
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", *args], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    root = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
            peak = max(peak, max(p.memory_info().rss for p in tree))
        except psutil.Error:
            pass
        time.sleep(0.2)
    if proc.returncode:
        tail = log.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"{' '.join(args)} failed with {proc.returncode}:\n{tail}")
    return time.perf_counter() - started, peak / 2**20


def bench_size(name: str, demo_args: list[str]) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as tmp:
        env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
        env["WAREHOUSE_DIR"] = tmp
        log = Path(tmp) / "bench.log"
        demo = ["dagster_project.lib.demo_data", "--out", str(Path(tmp) / "inbox"), "--quiet"]
        gen_s, _ = _run([*demo, *demo_args], env, log)
        first_s, first_peak = _run(["dagster_project", "run"], env, log)
        second_s, second_peak = _run(["dagster_project", "run"], env, log)
        with duckdb.connect(str(Path(tmp) / "warehouse.duckdb"), read_only=True) as conn:
            (interactions,) = conn.execute("select count(*) from raw.interactions").fetchall()[0]
        return {
            "interactions": interactions,
            "generate_s": round(gen_s, 1),
            "first_run_s": round(first_s, 1),
            "first_run_peak_mib": round(first_peak),
            "second_run_s": round(second_s, 1),
            "second_run_peak_mib": round(second_peak),
            "second_over_first": round(second_s / first_s, 3),
            "interactions_per_s_first_run": round(interactions / first_s),
        }


def run(quick: bool = False) -> dict:
    sizes = QUICK_SIZES if quick else SIZES
    results = {}
    for name, args in sizes.items():
        print(f"pipeline at size {name} ...", flush=True)
        results[name] = bench_size(name, args)
    return results


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
