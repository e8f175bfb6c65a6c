"""The evidence mart (fct_interaction_evidence: several rows per message, the warehouse's largest
table) at 1,000,000 interactions: its nightly incremental build with 1% new messages against a
full rebuild of it, in the same run, and that both end with the same rows.

In a fresh temporary WAREHOUSE_DIR, a pipeline-built warehouse (BENCH_EVIDENCE_WAREHOUSE=DIR copies
the one a run left in DIR; else the demo is generated and the pipeline run). Then, timing the mart's
node from run_results.json (tests/benchmarks/nightly_warehouse.py):
  1. the newest 1% of interactions (with their scores) are held back, and the mart and everything
     it reads are built in full: yesterday's warehouse;
  2. they arrive, loaded and scored tonight, and the mart's parents are built: tonight's state;
  3. from tonight's state, `REPEATS` times: the mart's nightly build, then its `--full-refresh`
     (the mart alone, its data tests aside, `--threads 1`);
  4. the last nightly's rows and the last full build's are compared.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
from datetime import datetime
from pathlib import Path

import duckdb

from tests.benchmarks.nightly_warehouse import (
    dbt_build,
    dbt_env,
    hold_back,
    pipeline_warehouse,
    put_back,
)

SIZES = {"1m": ["--accounts", "10000", "--months", "11"]}  # as bench_risk: about 1M interactions
QUICK_SIZES = {"quick": ["--accounts", "300"]}
REPEATS = 3
MART = "fct_interaction_evidence"
# The mart alone: no data tests (they read the whole table either way), no unit tests.
ALONE = ("--threads", "1", "--select", MART, "--exclude-resource-type", "test")


def _mart_seconds(env: dict[str, str], work: Path, *extra: str) -> float:
    build = dbt_build(env, work, *ALONE, *extra)
    return round(sum(build.node_seconds.values()), 2)


def _differences(db: Path) -> int:
    """Rows in one of the nightly's copy and the full build's mart but not the other."""
    with duckdb.connect(str(db)) as conn:
        return conn.execute(
            f"""select (select count(*) from (select * from nightly_{MART} except all
                                              select * from marts.{MART}))
                     + (select count(*) from (select * from marts.{MART} except all
                                              select * from nightly_{MART}))"""
        ).fetchone()[0]


def _one_size(name: str, args: list[str], repeats: int = REPEATS) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"bench-evidence-{name}-") as tmp:
        warehouse_dir = Path(tmp)
        env = dbt_env(warehouse_dir)
        db = warehouse_dir / "warehouse.duckdb"
        tonight = warehouse_dir / "tonight.duckdb"
        pipeline_warehouse(warehouse_dir, env, args, "BENCH_EVIDENCE_WAREHOUSE")
        held = hold_back(db)
        dbt_build(env, warehouse_dir / "dbt-yesterday", "--select", f"+{MART}", "--full-refresh")
        put_back(db, datetime.now())
        parents = ("--select", f"+{MART}", "--exclude", MART, "resource_type:test")
        dbt_build(env, warehouse_dir / "dbt-parents", *parents)
        shutil.copy(db, tonight)
        nightly, full = [], []
        for i in range(repeats):
            shutil.copy(tonight, db)
            nightly.append(_mart_seconds(env, warehouse_dir / f"dbt-nightly-{i}"))
            with duckdb.connect(str(db)) as conn:
                conn.execute(f"create table nightly_{MART} as select * from marts.{MART}")
                rows = conn.execute(f"select count(*) from marts.{MART}").fetchone()[0]
            full.append(_mart_seconds(env, warehouse_dir / f"dbt-full-{i}", "--full-refresh"))
        per_pair = [round(n / f, 3) for n, f in zip(nightly, full, strict=True)]
        return {
            "held_back_then_added": held,
            "evidence_rows": rows,
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "nightly_s": nightly,
            "full_s": full,
            "nightly_over_full_per_pair": per_pair,
            "nightly_over_full_median": statistics.median(per_pair),
            "nightly_equals_full": _differences(db) == 0,
        }


def run(quick: bool = False) -> dict:
    sizes = QUICK_SIZES if quick else SIZES
    return {name: _one_size(name, args) for name, args in sizes.items()}


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
