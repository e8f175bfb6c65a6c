"""Every model outside the risk folders has its row checks in one row_checks test (the risk models'
are proven in test_risk_incremental.py). On the marts fixture warehouse, each check of each table
model gets a bad row; one `dbt test` of those tests then names every problem planted."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.dbt.conftest import Warehouse
from tests.dbt.test_marts import write_raw_rows
from tests.dbt.test_risk_incremental import (
    _failed_tests,
    _problems,
    _rendered,
    _row_checks_tests,
)

pytestmark = pytest.mark.dbt

# Per expression (by its start): the columns and SQL values that break it in a row.
BAD_FOR_EXPRESSION = {
    "share between 0 and 1": {"share": "2"},
    "cue_at <= churned_at": {"cue_at": "churned_at + interval 1 day"},
    "from_week < to_week": {"from_week": "to_week"},
    "(left_at is null) = is_current": {"days_in_stage": "-1"},
    "isodow(week_start) = 1": {"week_start": "week_start + 1"},
    "scored_messages <= customer_messages": {"scored_messages": "customer_messages + 1"},
    "csat_pct between 0 and 100": {"csat_pct": "101"},
    "not is_analysis_opt_out": {"is_analysis_opt_out": "true", "body": "'a text'"},
    "nps between -100 and 100": {"nps": "101"},
    "negative_interactions + positive_interactions": {"negative_interactions": "interactions + 1"},
    "negative_share_90d is null or": {"negative_share_90d": "2"},
    "status != 'loaded' or rows_read": {"status": "'loaded'", "rows_read": "-1"},
}


@pytest.fixture(scope="module")
def warehouse(make_warehouse) -> Warehouse:
    return make_warehouse(write_raw_rows)


def _all_problems(kwargs: dict) -> set[str]:
    """The `problem` of every check the test's arguments make."""
    return (
        {f"duplicate key ({', '.join(key)})" for key in kwargs.get("unique", [])}
        | {f"{column} is null" for column in kwargs.get("not_null", [])}
        | {
            f"{column} not in ({', '.join(values)})"
            for column, values in kwargs.get("accepted_values", {}).items()
        }
        | {f"not ({_rendered(e)})" for e in kwargs.get("expressions", [])}
    )


def _plant(conn: duckdb.DuckDBPyConnection, table: str, kwargs: dict) -> None:
    """A bad row per check: each expression broken, each accepted value replaced, each not-null
    column nulled, in rows taken in turn (a column is never planted twice in one row, so no plant
    undoes another); then the first row copied (a duplicate of every key). An empty table gets
    two rows of nulls instead (each not-null column null, each expression unknown, each key
    duplicated), and a third with each accepted-values column set to a value not listed."""
    n_rows = conn.execute(f"select count(*) from {table}").fetchone()[0]
    if n_rows == 0:
        conn.execute(f"insert into {table} default values")
        conn.execute(f"insert into {table} default values")
        if kwargs.get("accepted_values"):
            replaced = ", ".join(f"'not a value' as {c}" for c in kwargs["accepted_values"])
            conn.execute(f"insert into {table} select * replace ({replaced}) from {table} limit 1")
        return
    plants = [BAD_FOR_EXPRESSION[_expression_key(e)] for e in kwargs.get("expressions", [])]
    plants += [{column: "'not a value'"} for column in kwargs.get("accepted_values", {})]
    plants += [{column: "null"} for column in kwargs.get("not_null", [])]
    planted: list[set[str]] = [set() for _ in range(n_rows)]
    row = 0
    for values in plants:
        while planted[row % n_rows] & set(values):
            row += 1
            assert row < 10 * n_rows, (table, "too few rows to plant")
        planted[row % n_rows] |= set(values)
        assignments = ", ".join(f"{column} = {value}" for column, value in values.items())
        conn.execute(
            f"update {table} set {assignments} where rowid = "
            f"(select rowid from {table} order by rowid limit 1 offset {row % n_rows})"
        )
        row += 1
    if kwargs.get("unique"):
        conn.execute(f"insert into {table} select * from {table} order by rowid limit 1")


def _expression_key(expression: str) -> str:
    (key,) = [k for k in BAD_FOR_EXPRESSION if expression.startswith(k)]
    return key


def test_every_row_check_of_every_table_model_names_its_bad_row(
    warehouse: Warehouse, dbt_manifest: Path
) -> None:
    tests = _row_checks_tests(dbt_manifest, risk=False)
    with duckdb.connect(str(warehouse.db_path)) as conn:
        tables = {
            f"{schema}.{table}"
            for schema, table in conn.execute(
                "select schema_name, table_name from duckdb_tables() where not internal"
            ).fetchall()
        }
        # Views have no rows of their own (the macro's checks are the same on them): of the 43
        # tests, those of the staging models and int_deals__outcome_resolved.
        tests = {name: test for name, test in tests.items() if test[0] in tables}
        assert len(tests) == 28, sorted(tests)
        for table, kwargs in tests.values():
            _plant(conn, table, kwargs)
    failed = _failed_tests(warehouse, *tests)
    assert set(failed) == set(tests), set(tests) - set(failed)
    for name, (_, kwargs) in tests.items():
        assert set(_problems(warehouse, name)) == _all_problems(kwargs), name
