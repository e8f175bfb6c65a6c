"""Issue 15's marts at 1,000,000 interactions and 10,000 accounts: their share of `dbt build`, the
nightly build with 1% new data as a fraction of a full build, and the churn backtest's figures.

In a fresh temporary WAREHOUSE_DIR: generate the demo exports (10,000 accounts over 11 months,
about a million interactions), run the pipeline once (load, score, dbt build). Then, timing `dbt
build` from its run_results.json (each node's execution time, tests included):
  1. the newest 1% of interactions (with their scores) and of engagement events are held back
     out of raw.*, as if they had not arrived yet, and `dbt build --full-refresh` builds the rest;
  2. they are put back with a new _loaded_at, as the nightly load would add them, and a plain
     `dbt build` runs: the nightly build;
  3. `dbt build --full-refresh` on all the data, the stored churn-model fits dropped first (a
     build reuses a fit whose training rows are unchanged): the full build, from scratch.
The new marts' nodes are those under models/*/risk/, the issue's seeds, and their tests.

BENCH_RISK_WAREHOUSE=DIR reuses a warehouse that this benchmark's first step already built there
(its warehouse.duckdb is copied), to time dbt changes without regenerating and rescoring.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[2]
DBT_DIR = REPO / "dbt"
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
HELD_BACK = 0.01


def _env(warehouse_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    env["WAREHOUSE_DIR"] = str(warehouse_dir)
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    return env


def _module(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", *args], env=env, capture_output=True, text=True, timeout=3600
    )
    if done.returncode != 0:
        raise RuntimeError(done.stdout[-3000:] + done.stderr[-3000:])


def _is_risk_node(node: dict) -> bool:
    path = node.get("original_file_path", "")
    if "/risk/" in path:
        return True
    if node["resource_type"] == "seed":
        return node["name"] in RISK_SEEDS
    if node["resource_type"] in ("test", "unit_test"):
        depends = node.get("depends_on", {}).get("nodes", [])
        return any(d.split(".")[-1] in _RISK_NAMES for d in depends)
    return False


_RISK_NAMES: set[str] = set()


def _dbt_build(env: dict[str, str], work: Path, *extra: str) -> dict[str, float]:
    """Run `dbt build`; return wall seconds and execution seconds, all nodes and the risk nodes."""
    target = work / "target"
    started = time.perf_counter()
    done = subprocess.run(
        [
            str(Path(sys.executable).with_name("dbt")),
            "build",
            "--profiles-dir",
            str(DBT_DIR),
            "--project-dir",
            str(DBT_DIR),
            "--target-path",
            str(target),
            "--log-path",
            str(work / "logs"),
            "--quiet",
            *extra,
        ],
        cwd=DBT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(done.stdout[-3000:] + done.stderr[-3000:])
    manifest = json.loads((target / "manifest.json").read_text())
    nodes = {**manifest["nodes"], **manifest.get("unit_tests", {})}
    for node in nodes.values():
        path = node.get("original_file_path", "")
        if node["resource_type"] == "model" and "/risk/" in path:
            _RISK_NAMES.add(node["name"])
    _RISK_NAMES.update(RISK_SEEDS)
    results = json.loads((target / "run_results.json").read_text())["results"]
    total = sum(r["execution_time"] for r in results)
    risk = sum(
        r["execution_time"]
        for r in results
        if r["unique_id"] in nodes and _is_risk_node(nodes[r["unique_id"]])
    )
    slowest = sorted(results, key=lambda r: -r["execution_time"])[:5]
    risk_slowest = sorted(
        (r for r in results if r["unique_id"] in nodes and _is_risk_node(nodes[r["unique_id"]])),
        key=lambda r: -r["execution_time"],
    )[:8]
    return {
        "wall_s": round(wall, 1),
        "nodes_s": round(total, 1),
        "risk_nodes_s": round(risk, 1),
        "slowest": [f"{r['unique_id'].split('.')[-1]} {r['execution_time']:.1f}s" for r in slowest],
        "risk_slowest": [
            f"{r['unique_id'].split('.')[-1]} {r['execution_time']:.2f}s" for r in risk_slowest
        ],
    }


def _hold_back(db: Path) -> dict[str, int]:
    """Move the newest HELD_BACK of interactions (with scores) and engagement events aside."""
    with duckdb.connect(str(db)) as conn:
        held = {}
        for table in ("interactions", "engagement_events"):
            cutoff = conn.execute(
                f"select quantile_disc(occurred_at, {1 - HELD_BACK}) from raw.{table}"
            ).fetchone()[0]
            conn.execute(
                f"create table raw.held_{table} as select * from raw.{table} where occurred_at > ?",
                [cutoff],
            )
            conn.execute(f"delete from raw.{table} where occurred_at > ?", [cutoff])
            held[table] = conn.execute(f"select count(*) from raw.held_{table}").fetchone()[0]
        conn.execute(
            """create table scores.held_interaction_scores as
               select * from scores.interaction_scores
               where interaction_id in (select interaction_id from raw.held_interactions)"""
        )
        conn.execute(
            "delete from scores.interaction_scores where interaction_id in "
            "(select interaction_id from raw.held_interactions)"
        )
        return held


def _put_back(db: Path) -> None:
    """The held rows arrive, as the next nightly load and scoring would write them."""
    with duckdb.connect(str(db)) as conn:
        for table in ("interactions", "engagement_events"):
            conn.execute(
                f"insert into raw.{table} by name "
                f"select * replace (now()::timestamp as _loaded_at) from raw.held_{table}"
            )
            conn.execute(f"drop table raw.held_{table}")
        conn.execute(
            "insert into scores.interaction_scores select * from scores.held_interaction_scores"
        )
        conn.execute("drop table scores.held_interaction_scores")


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
        env = _env(warehouse_dir)
        started = time.perf_counter()
        db = warehouse_dir / "warehouse.duckdb"
        prepared = os.environ.get("BENCH_RISK_WAREHOUSE")
        if prepared:
            shutil.copy(Path(prepared) / "warehouse.duckdb", db)
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
        held = _hold_back(db)
        _dbt_build(env, warehouse_dir / "dbt-99", "--full-refresh")
        _put_back(db)
        nightly = _dbt_build(env, warehouse_dir / "dbt-nightly")
        nightly_backtest = _backtest(db)
        _forget_fits(db)
        full = _dbt_build(env, warehouse_dir / "dbt-full", "--full-refresh")
        backtest = _backtest(db)
        return {
            "rows": sizes,
            "held_back_then_added": held,
            "first_pipeline_run_s": round(pipeline_s, 1),
            "full_build": full,
            "nightly_build": nightly,
            "risk_share_of_full_build": round(full["risk_nodes_s"] / full["nodes_s"], 3),
            "risk_nightly_over_full": round(nightly["risk_nodes_s"] / full["risk_nodes_s"], 3),
            "all_nightly_over_full": round(nightly["nodes_s"] / full["nodes_s"], 3),
            "backtest": backtest,
            "nightly_backtest_equals_full": nightly_backtest == backtest,
        }


def run(quick: bool = False) -> dict:
    sizes = QUICK_SIZES if quick else SIZES
    return {name: _one_size(name, args) for name, args in sizes.items()}


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
