import duckdb

from dagster_project.lib.publish import publish_snapshot


def make_warehouse(path, value):
    conn = duckdb.connect(str(path))
    conn.execute("create schema if not exists marts; create schema if not exists staging")
    conn.execute("create or replace table marts.kpi as select $v as value", {"v": value})
    conn.execute("create or replace table staging.private as select 1 as x")
    conn.close()


def test_snapshot_holds_the_marts_only_and_is_replaced_whole(tmp_path):
    warehouse, serving = tmp_path / "warehouse.duckdb", tmp_path / "serving.duckdb"
    make_warehouse(warehouse, 1)
    assert publish_snapshot(warehouse, serving) == {"marts.kpi": 1}

    reader = duckdb.connect(str(serving), read_only=True)  # a dashboard reading the old snapshot
    make_warehouse(warehouse, 2)
    publish_snapshot(warehouse, serving)
    assert reader.execute("select value from marts.kpi").fetchall() == [(1,)]
    reader.close()

    with duckdb.connect(str(serving), read_only=True) as fresh:
        assert fresh.execute("select value from marts.kpi").fetchall() == [(2,)]
        schemas = {
            r[0]
            for r in fresh.execute("select schema_name from information_schema.schemata").fetchall()
        }
    assert "staging" not in schemas
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_snapshot_records_when_it_was_published(tmp_path):
    from datetime import UTC, datetime, timedelta

    warehouse, serving = tmp_path / "warehouse.duckdb", tmp_path / "serving.duckdb"
    make_warehouse(warehouse, 1)
    before = datetime.now(UTC).replace(tzinfo=None) - timedelta(seconds=1)
    publish_snapshot(warehouse, serving)
    with duckdb.connect(str(serving), read_only=True) as con:
        published_at, tables = con.execute(
            "select published_at, tables from meta.snapshot"
        ).fetchone()
    assert before <= published_at <= datetime.now(UTC).replace(tzinfo=None) + timedelta(seconds=1)
    assert tables == 1


def test_per_account_tables_are_published_in_account_order(tmp_path):
    warehouse, serving = tmp_path / "warehouse.duckdb", tmp_path / "serving.duckdb"
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute(
            "create schema marts; create table marts.fct_interactions as "
            "select 'A' || (i % 7) as account_id, timestamp '2024-01-01' + to_days(i) as occurred_at "
            "from range(300) t(i) order by random()"
        )
    publish_snapshot(warehouse, serving)
    with duckdb.connect(str(serving), read_only=True) as conn:
        rows = conn.execute("select account_id, occurred_at from marts.fct_interactions").fetchall()
    assert len(rows) == 300 and rows == sorted(rows)


def test_a_mart_kept_as_a_view_is_published_with_its_rows(tmp_path):
    warehouse, serving = tmp_path / "warehouse.duckdb", tmp_path / "serving.duckdb"
    make_warehouse(warehouse, 3)
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("create view marts.kpi_doubled as select value * 2 as value from marts.kpi")
    assert publish_snapshot(warehouse, serving) == {"marts.kpi": 1, "marts.kpi_doubled": 1}
    with duckdb.connect(str(serving), read_only=True) as conn:
        assert conn.execute("select value from marts.kpi_doubled").fetchall() == [(6,)]
        kind = conn.execute(
            "select table_type from information_schema.tables where table_name = 'kpi_doubled'"
        ).fetchone()
    assert kind == ("BASE TABLE",)  # rows, not a view of tables the snapshot does not hold
