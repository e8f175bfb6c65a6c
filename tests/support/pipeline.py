"""Run the real pipeline the way `make pipeline` does, in a subprocess on a temporary warehouse."""

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

# The pipeline tests' Salesforce fixtures arrive packed, as its weekly Data Export delivers them.
SALESFORCE_WEEKLY_EXPORT = "WE_00D5g000004XyZ_1.ZIP"
# A table an earlier version of the dbt project built (the model is gone), planted before the
# pipeline tests' first run.
REMOVED_MODEL_TABLE = "intermediate.int_accounts__risk_inputs_fingerprinted"

MARTS = (
    "fct_interactions",
    "dim_accounts",
    "agg_emotion_mix_daily",
    "agg_nps_trend",
    "agg_csat_by_emotion",
)


@dataclass
class PipelineRuns:
    warehouse_dir: Path
    first: subprocess.CompletedProcess
    second: subprocess.CompletedProcess
    marts_after_first: dict[str, list[tuple]]
    scores_after_first: list[tuple]


def run_module(args: list[str], warehouse_dir: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    env["WAREHOUSE_DIR"] = str(warehouse_dir)
    return subprocess.run(
        [sys.executable, "-m", *args], env=env, capture_output=True, text=True, timeout=900
    )


def snapshot_marts(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as conn:
        return {
            m: sorted(conn.execute(f"select * from marts.{m}").fetchall(), key=repr) for m in MARTS
        }


def all_scores(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as conn:
        return conn.execute(
            "select * from scores.interaction_scores order by interaction_id, scorer_version"
        ).fetchall()
