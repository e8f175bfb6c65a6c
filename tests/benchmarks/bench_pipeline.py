"""Pipeline wall time and peak memory at the default demo size and at 1,000,000 interactions,
and a second run with no new data as a fraction of the first.

Each size runs in a fresh temporary WAREHOUSE_DIR: generate the demo exports, run
`python -m dagster_project run` twice, time both. Peak memory is the largest resident set of any
process of the run (the Dagster process, a scoring worker or dbt), sampled with psutil; the result
names that process and the Dagster step that was running then.
"""

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import psutil

SIZES = {"default": [], "1m": ["--interactions", "1000000"]}
QUICK_SIZES = {"quick": ["--accounts", "40", "--months", "6"]}


# Dagster's console lines: "... - INFO - warehouse_job - <run id> - <step key> - message".
_STEP_LINE = re.compile(rb" - warehouse_job - [0-9a-f-]{36} - ([\w.\[\]-]+) - ")


def _who(proc: psutil.Process, root: psutil.Process) -> str:
    """A short name for a process of the run."""
    if proc.pid == root.pid:
        return "run process"
    cmd = " ".join(proc.cmdline())
    return "dbt" if "dbt" in cmd else "scoring worker" if "dagster_project" in cmd else cmd[:80]


def _current_step(log: Path) -> str | None:
    with log.open("rb") as f:
        f.seek(max(0, log.stat().st_size - 50_000))
        steps = _STEP_LINE.findall(f.read())
    return steps[-1].decode() if steps else None


def _run(args: list[str], env: dict[str, str], log: Path) -> tuple[float, float, str]:
    """Run a module; return (wall seconds, peak RSS in MiB over the process tree, where)."""
    started = time.perf_counter()
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", *args], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    root = psutil.Process(proc.pid)
    peak, where = 0, ""
    while proc.poll() is None:
        try:
            for p in [root, *root.children(recursive=True)]:
                rss = p.memory_info().rss
                if rss > peak:
                    peak, where = rss, f"{_who(p, root)} during {_current_step(log)}"
        except psutil.Error:
            pass
        time.sleep(0.2)
    if proc.returncode:
        tail = log.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"{' '.join(args)} failed with {proc.returncode}:\n{tail}")
    return time.perf_counter() - started, peak / 2**20, where


def bench_size(name: str, demo_args: list[str]) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as tmp:
        env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
        env["WAREHOUSE_DIR"] = tmp
        log = Path(tmp) / "bench.log"
        demo = ["dagster_project.lib.demo_data", "--out", str(Path(tmp) / "inbox"), "--quiet"]
        gen_s, _, _ = _run([*demo, *demo_args], env, log)
        first_s, first_peak, first_where = _run(["dagster_project", "run"], env, log)
        second_s, second_peak, _ = _run(["dagster_project", "run"], env, log)
        with duckdb.connect(str(Path(tmp) / "warehouse.duckdb"), read_only=True) as conn:
            (interactions,) = conn.execute("select count(*) from raw.interactions").fetchall()[0]
            # What the run kept, not only how fast: scores and the evidence behind them.
            scored, evidence = conn.execute(
                "select (select count(*) from scores.interaction_scores),"
                " (select count(*) from scores.interaction_evidence)"
            ).fetchall()[0]
        return {
            "interactions": interactions,
            "interactions_scored": scored,
            "evidence_rows": evidence,
            "generate_s": round(gen_s, 1),
            "first_run_s": round(first_s, 1),
            "first_run_peak_mib": round(first_peak),
            "first_run_peak_in": first_where,
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
