"""The accounts_resolved check reads the load report dbt builds and warns with the counts."""

import dagster as dg
import duckdb

from dagster_project.defs.transform.checks import accounts_resolved
from dagster_project.defs.warehouse.resources import WarehouseResource


def run_check(rows: list[tuple]) -> dg.AssetCheckResult:
    with duckdb.connect(str(WarehouseResource().paths.warehouse_db)) as conn:
        conn.execute("create schema marts")
        conn.execute(
            "create table marts.fct_file_loads (entity varchar, file_name varchar, "
            "rows_unresolved bigint)"
        )
        conn.executemany("insert into marts.fct_file_loads values (?, ?, ?)", rows)
    return accounts_resolved(dg.build_asset_check_context(), WarehouseResource())


def test_unresolved_rows_warn_with_their_count_per_entity_and_file(tmp_path, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_DIR", str(tmp_path))
    result = run_check(
        [
            ("interactions", "zendesk-ticket-404-comments.json", 2),
            ("interactions", "emails.csv", 1),
            ("surveys", "feedback.csv", 0),
            ("tickets", "tickets.csv", None),  # a rejected file has no count
        ]
    )
    assert not result.passed and result.severity == dg.AssetCheckSeverity.WARN
    assert result.metadata["rows_unresolved"].value == 3
    assert result.metadata["by_entity"].value == {"interactions": 3}


def test_passes_when_every_row_reaches_an_account(tmp_path, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_DIR", str(tmp_path))
    result = run_check([("interactions", "emails.csv", 0)])
    assert result.passed and result.metadata["rows_unresolved"].value == 0
