"""Shared machinery for the dbt tests: a Warehouse in tmp_path that runs `dbt build` on itself.

The data each test module writes lives with its tests (see test_marts.py).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from dagster_project.lib.build_state import EXCLUDE_UNIT_TESTS, dbt_build_args
from dagster_project.lib.warehouse_schema import ensure_schema

REPO = Path(__file__).resolve().parents[2]
DBT_DIR = REPO / "dbt"


def _dbt_executable() -> str:
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else (shutil.which("dbt") or "dbt")


@dataclass
class Warehouse:
    dir: Path
    db_path: Path
    work: Path

    def dbt_build(self, *extra: str) -> subprocess.CompletedProcess:
        """`dbt build` without the unit tests, as the pipeline runs it (test_dbt_unit_tests.py
        runs those once)."""
        return self.dbt("build", *EXCLUDE_UNIT_TESTS, *extra)

    def nightly_build(self) -> subprocess.CompletedProcess:
        """The build the pipeline runs while the dbt project is unchanged: incremental, the seeds
        kept as loaded."""
        return self.dbt(*dbt_build_args(project_changed=False))

    def dbt(self, command: str, *extra: str) -> subprocess.CompletedProcess:
        env = {
            **os.environ,
            "WAREHOUSE_DIR": str(self.dir),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
        # A private target and log path: other processes parse the same project in dbt/target.
        result = subprocess.run(
            [
                _dbt_executable(),
                command,
                "--project-dir",
                str(DBT_DIR),
                "--profiles-dir",
                str(DBT_DIR),
                "--target-path",
                str(self.work / "target"),
                "--log-path",
                str(self.work / "logs"),
                "--threads",
                "1",
                *extra,
            ],
            cwd=DBT_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
        return result

    def query(self, sql: str) -> list[dict]:
        conn = duckdb.connect(str(self.db_path), read_only=True)
        try:
            cursor = conn.execute(sql)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        finally:
            conn.close()

    def test_results(self) -> list[dict]:
        """The last build's data tests: name, status (pass, warn, fail) and failing rows."""
        results = json.loads((self.work / "target" / "run_results.json").read_text())["results"]
        return [
            {"name": r["unique_id"].split(".")[2], "status": r["status"], "failures": r["failures"]}
            for r in results
            if r["unique_id"].startswith("test.")
        ]

    def mart(self, name: str, order_by: str = "all") -> list[dict]:
        return self.query(f"select * from marts.{name} order by {order_by}")


# Lineage columns every hand-written raw row gets (the loader writes real ones).
FIXTURE_LINEAGE = ("fixture.csv", 1, datetime(2024, 7, 1))


def insert_raw(
    conn: duckdb.DuckDBPyConnection, table: str, columns: str, rows: list[tuple]
) -> None:
    """Insert hand-written rows into a raw table, as the loader would have stored them."""
    placeholders = ", ".join(["?"] * (len(columns.split(",")) + len(FIXTURE_LINEAGE)))
    conn.executemany(
        f"insert into {table} ({columns}, _source_file, _source_row, _loaded_at) values ({placeholders})",
        [tuple(row) + FIXTURE_LINEAGE for row in rows],
    )


def insert_scores(conn: duckdb.DuckDBPyConnection, rows: list[tuple]) -> None:
    """Scores as the scorer would store them (scorer v1, intensity 0.5, no sarcasm or question),
    one per (interaction_id, compound, emotion, churn_intent, billing_concern, urgency, praise,
    scored_at); the label follows the compound (VADER's +-0.05)."""
    conn.executemany(
        """insert into scores.interaction_scores (interaction_id, text_hash, scorer_version, compound,
               sentiment_label, emotion, emotion_intensity, emotion_scores, churn_intent,
               billing_concern, urgency, praise, sarcasm, question, language, is_empty, scored_at)
           values (?, ?, 'v1', ?, ?, ?, 0.5, null, ?, ?, ?, ?, false, false, 'en', false, ?)""",
        [
            (
                iid,
                f"h-{iid}",
                compound,
                "positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral",
                emotion,
                *cues_and_scored_at,
            )
            for iid, compound, emotion, *cues_and_scored_at in rows
        ],
    )


@pytest.fixture(scope="module")
def make_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Callable], Warehouse]:
    """Build a warehouse: `ensure_schema`, then `write_rows(conn)`, then one `dbt build`."""

    def make(write_rows: Callable[[duckdb.DuckDBPyConnection], None]) -> Warehouse:
        base = tmp_path_factory.mktemp("dbt_warehouse")
        wh = Warehouse(dir=base, db_path=base / "warehouse.duckdb", work=base / "dbt")
        conn = duckdb.connect(str(wh.db_path))
        try:
            ensure_schema(conn)
            write_rows(conn)
        finally:
            conn.close()
        wh.dbt_build()
        return wh

    return make
