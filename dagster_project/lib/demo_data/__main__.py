"""CLI: python -m dagster_project.lib.demo_data --out DIR [--accounts N] [--months M] ..."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from dagster_project.lib.demo_data.generate import DEFAULT_END_DATE, generate_demo_data
from dagster_project.lib.demo_data.writers import FORMATS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dagster_project.lib.demo_data",
        description="Write deterministic demo CRM exports (one file per contract entity).",
    )
    parser.add_argument("--out", type=Path, required=True, help="inbox folder to write into")
    parser.add_argument("--accounts", type=int, default=300, help="accounts (default 300)")
    parser.add_argument("--months", type=int, default=18, help="months of history (default 18)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument(
        "--interactions", type=int, default=None, help="add accounts until at least N interactions"
    )
    parser.add_argument(
        "--end-date", type=date.fromisoformat, default=DEFAULT_END_DATE, help="last day (ISO date)"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args(argv)
    started = time.monotonic()
    counts = generate_demo_data(
        args.out,
        accounts=args.accounts,
        months=args.months,
        seed=args.seed,
        interactions=args.interactions,
        end_date=args.end_date,
        progress=not args.quiet,
    )
    for name, n in counts.items():
        print(f"{name + '.' + FORMATS[name][0]:<28} {n:>10,} rows")
    print(f"written to {args.out} in {time.monotonic() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
