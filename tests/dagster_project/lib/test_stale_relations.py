"""An upgraded warehouse loses the relations of models the dbt project no longer has, and only
those: the project's own relations, an analyst's table beside them and other schemas stay."""

import json

import duckdb

from dagster_project.lib.stale_relations import built_relations, drop_stale_relations


def _relations(conn: duckdb.DuckDBPyConnection) -> set[str]:
    rows = conn.execute(
        "select table_schema || '.' || table_name from information_schema.tables"
    ).fetchall()
    return {r[0] for r in rows}


def test_only_relations_of_models_gone_from_the_project_are_dropped(dbt_manifest, tmp_path) -> None:
    manifest = json.loads(dbt_manifest.read_text(encoding="utf-8"))
    built = built_relations(manifest)
    assert ("marts", "fct_account_churn_risk") in built and ("seeds", "health_weights") in built
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as conn:
        for schema in ("staging", "intermediate", "marts", "raw"):
            conn.execute(f"create schema {schema}")
        kept = {
            "marts.fct_account_churn_risk",  # a model of the project
            "marts.churn_notes",  # an analyst's own table, not named like a model
            "raw.int_not_dbt",  # a schema the project does not build into
        }
        gone = {
            "intermediate.int_accounts__churn_risk_terms",  # a model removed in an earlier version
            "marts.fct_account_churn_risk__dbt_backup",  # left by a failed dbt run
        }
        for name in sorted(kept | gone):
            conn.execute(f"create table {name} as select 1 as x")
        conn.execute("create view staging.stg_crm__old_export as select 1 as x")  # a removed view
        gone.add("staging.stg_crm__old_export")

        dropped = drop_stale_relations(conn, dbt_manifest)

        assert set(dropped) == gone
        assert dropped[0] == "staging.stg_crm__old_export"  # views go first
        assert _relations(conn) == kept
        assert drop_stale_relations(conn, dbt_manifest) == []  # a second build finds nothing
