"""Every dbt unit test (the `unit_tests:` next to each model) runs here, once.

The pipeline and the other dbt tests build without them: a unit test checks a model's SQL on
hand-written fixtures, so it says the same thing on every build of the same code.
"""

from __future__ import annotations

import json

import duckdb
import yaml

from dagster_project.lib.warehouse_schema import ensure_schema
from tests.dbt.conftest import DBT_DIR, Warehouse


def _written_unit_tests() -> set[str]:
    """The names of the unit tests written in the models' YAML files."""
    names = set()
    for path in (DBT_DIR / "models").rglob("*.yml"):
        for test in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("unit_tests", []):
            names.add(test["name"])
    return names


def test_every_dbt_unit_test_passes(tmp_path):
    wh = Warehouse(dir=tmp_path, db_path=tmp_path / "warehouse.duckdb", work=tmp_path / "dbt")
    with duckdb.connect(str(wh.db_path)) as conn:
        ensure_schema(conn)
    # A unit test reads its inputs' column types from the warehouse: build every relation,
    # empty, first (dbt's recommended set-up for unit tests in CI).
    wh.dbt("seed")
    wh.dbt("run", "--empty")
    wh.dbt("test", "--select", "test_type:unit")  # asserts dbt exits 0: no unit test failed

    ran = json.loads((wh.work / "target" / "run_results.json").read_text())["results"]
    written = _written_unit_tests()
    assert written, "no unit_tests: found in dbt/models"
    assert {r["unique_id"].split(".")[-1] for r in ran} == written  # each one ran, none skipped
    assert {r["status"] for r in ran} == {"pass"}
