"""Issue 15's marts at 1,000,000 interactions and 10,000 accounts: their share of `dbt build`, the
nightly build with 1% new data as a fraction of a full build, and the churn backtest's figures.

In a fresh temporary WAREHOUSE_DIR: generate the demo exports (10,000 accounts over 11 months,
about a million interactions), run the pipeline once (load, score, dbt build). Then, timing `dbt
build` from its run_results.json (each node's execution time, tests included; see
tests/benchmarks/nightly_warehouse.py):
  1. the newest 1% of interactions (with their scores) and of engagement events are held back
     out of raw.*, as if they had not arrived yet, and `dbt build --full-refresh` builds the rest;
  2. they are put back with a new _loaded_at and scored_at, as the nightly load and scoring
     would add them, and a plain `dbt build` runs, as the pipeline runs it: the nightly build;
  3. `dbt build --full-refresh` on all the data, the stored churn-model fits dropped first (a
     build reuses a fit whose training rows are unchanged): the full build, from scratch.
The new marts' nodes are those under models/*/risk/, the issue's seeds, and their tests. Both
builds load the seeds and run every data test, most on whole tables (two unique tests of
incremental models read only the rows the build wrote); tests and seeds are about a fifth of the
nightly's seconds at 1M, so `risk_models_nightly_over_full` gives the ratio of the models alone
next to the headline. The held-back rows do not move the snapshot date (the other sources reach
the last day), so the nightly recomputes the changed accounts' rows only.

BENCH_RISK_WAREHOUSE=DIR reuses a warehouse that a pipeline run (this benchmark's first step)
already built there (its warehouse.duckdb is copied), to time dbt changes without regenerating
and rescoring.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

import duckdb

from dagster_project.lib.warehouse_schema import ensure_schema
from tests.benchmarks.nightly_warehouse import DbtBuild, dbt_build, dbt_env, hold_back, put_back

SIZES = {"1m": ["--accounts", "10000", "--months", "11"]}
QUICK_SIZES = {"quick": ["--accounts", "300"]}
RISK_SEEDS = {
    "risk_cue_thresholds",
    "health_weights",
    "health_bands",
    "churn_risk_bands",
    "health_overrides",
    "action_decisions",
    "action_types",
}


def _module(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", *args], env=env, capture_output=True, text=True, timeout=3600
    )
    if done.returncode != 0:
        raise RuntimeError(done.stdout[-3000:] + done.stderr[-3000:])


def risk_nodes(build: DbtBuild) -> set[str]:
    """Issue 15's nodes: the models under models/*/risk/, its seeds, and the data and unit tests
    of either."""
    names = {
        node["name"]
        for node in build.nodes.values()
        if node["resource_type"] == "model" and "/risk/" in node.get("original_file_path", "")
    } | RISK_SEEDS

    def is_risk(node: dict) -> bool:
        if node["resource_type"] in ("model", "seed"):
            return node["name"] in names
        if node["resource_type"] in ("test", "unit_test"):
            depends = node.get("depends_on", {}).get("nodes", [])
            return any(d.split(".")[-1] in names for d in depends)
        return False

    return {uid for uid, node in build.nodes.items() if is_risk(node)}


def _summary(build: DbtBuild) -> dict:
    """Seconds in all and in the risk nodes, the risk nodes' seconds by kind, the slowest nodes."""
    risk = risk_nodes(build)
    by_kind: Counter[str] = Counter()
    for uid in risk:
        by_kind[build.nodes[uid]["resource_type"]] += build.node_seconds.get(uid, 0.0)
    return {
        "wall_s": build.wall_s,
        "nodes_s": round(build.seconds(build.node_seconds), 1),
        "risk_nodes_s": round(build.seconds(risk), 1),
        "risk_nodes_s_by_kind": {k: round(v, 1) for k, v in sorted(by_kind.items())},
        "slowest": build.slowest(n=5),
        "risk_slowest": build.slowest(risk, n=8),
    }


def _forget_fits(db: Path) -> None:
    """Drop the stored churn-model fits, which a build reuses where their training rows are
    unchanged, so that the full build fits every date from scratch."""
    with duckdb.connect(str(db)) as conn:
        conn.execute("drop table if exists intermediate.int_churn_model__fits")


def _backtest(db: Path) -> dict[str, dict[str, float]]:
    with duckdb.connect(str(db), read_only=True) as conn:
        rows = conn.execute(
            """select scorer, measure, value, n_rows, n_churned from marts.agg_churn_risk_backtest
               where measure in ('auc', 'top_decile_lift', 'top_decile_precision')"""
        ).fetchall()
    out: dict[str, dict[str, float]] = {}
    for scorer, measure, value, n_rows, n_churned in rows:
        out.setdefault(scorer, {"rows": n_rows, "churned": n_churned})[measure] = round(value, 3)
    return out


def _one_size(name: str, args: list[str]) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"bench-risk-{name}-") as tmp:
        warehouse_dir = Path(tmp)
        env = dbt_env(warehouse_dir)
        started = time.perf_counter()
        db = warehouse_dir / "warehouse.duckdb"
        prepared = os.environ.get("BENCH_RISK_WAREHOUSE")
        if prepared:
            shutil.copy(Path(prepared) / "warehouse.duckdb", db)
            with duckdb.connect(str(db)) as conn:
                ensure_schema(conn)  # a warehouse built by an older version lacks newer columns
        else:
            _module(
                [
                    "dagster_project.lib.demo_data",
                    "--out",
                    str(warehouse_dir / "inbox"),
                    "--quiet",
                    *args,
                ],
                env,
            )
            _module(["dagster_project", "run"], env)
        pipeline_s = time.perf_counter() - started
        with duckdb.connect(str(db), read_only=True) as conn:
            sizes = {
                t: conn.execute(f"select count(*) from raw.{t}").fetchone()[0]
                for t in ("accounts", "interactions", "engagement_events")
            }
        held = hold_back(db)
        dbt_build(env, warehouse_dir / "dbt-99", "--full-refresh")
        put_back(db, datetime.now())
        nightly = _summary(dbt_build(env, warehouse_dir / "dbt-nightly"))
        nightly_backtest = _backtest(db)
        _forget_fits(db)
        full = _summary(dbt_build(env, warehouse_dir / "dbt-full", "--full-refresh"))
        backtest = _backtest(db)
        return {
            "rows": sizes,
            "held_back_then_added": held,
            "first_pipeline_run_s": round(pipeline_s, 1),
            "full_build": full,
            "nightly_build": nightly,
            "risk_share_of_full_build": round(full["risk_nodes_s"] / full["nodes_s"], 3),
            "risk_nightly_over_full": round(nightly["risk_nodes_s"] / full["risk_nodes_s"], 3),
            # the same for the models alone: the data and unit tests and the seeds cost about the
            # same in both builds (they run in full every time)
            "risk_models_nightly_over_full": round(
                nightly["risk_nodes_s_by_kind"]["model"] / full["risk_nodes_s_by_kind"]["model"], 3
            ),
            "all_nightly_over_full": round(nightly["nodes_s"] / full["nodes_s"], 3),
            "backtest": backtest,
            "nightly_backtest_equals_full": nightly_backtest == backtest,
        }


def run(quick: bool = False) -> dict:
    sizes = QUICK_SIZES if quick else SIZES
    return {name: _one_size(name, args) for name, args in sizes.items()}


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
