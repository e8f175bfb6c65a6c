"""Tables and views that an earlier version of the dbt project built and this one no longer does.

dbt never drops the relation of a model that was removed or renamed, so an upgraded warehouse keeps
it: stale from then on, yet easy to take for current (an analyst's query, a BI tool's table list).
After each build the pipeline drops them: in the schemas the project builds into, the relations
named like our models (``stg_``, ``int_``, ``dim_``, ``fct_``, ``agg_``, which also covers what a
failed dbt run leaves, ``<model>__dbt_tmp`` or ``__dbt_backup``) that the manifest does not build.
Anything else there (an analyst's own table) is left alone.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

MODEL_PREFIXES = ("stg_", "int_", "dim_", "fct_", "agg_")


def built_relations(manifest: dict) -> set[tuple[str, str]]:
    """(schema, name) of every model and seed the project builds (ephemeral models build none)."""
    return {
        (node["schema"], node.get("alias") or node["name"])
        for node in manifest["nodes"].values()
        if node["resource_type"] in ("model", "seed")
        and node["config"].get("materialized") != "ephemeral"
    }


def stale_relations(conn: duckdb.DuckDBPyConnection, manifest: dict) -> list[tuple[str, str, str]]:
    """(schema, name, 'VIEW' or 'BASE TABLE') of the stale relations, views first."""
    built = built_relations(manifest)
    schemas = sorted({schema for schema, _ in built})
    found = conn.execute(
        """select table_schema, table_name, table_type from information_schema.tables
           where table_catalog = current_database() and list_contains($schemas, table_schema)
           order by table_type desc, table_schema, table_name""",
        {"schemas": schemas},
    ).fetchall()
    return [
        (schema, name, kind)
        for schema, name, kind in found
        if name.startswith(MODEL_PREFIXES) and (schema, name) not in built
    ]


def drop_stale_relations(conn: duckdb.DuckDBPyConnection, manifest_path: Path) -> list[str]:
    """Drop the stale relations; return them as 'schema.name'."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    dropped = []
    for schema, name, kind in stale_relations(conn, manifest):
        what = "view" if kind == "VIEW" else "table"
        conn.execute(f'drop {what} if exists "{schema}"."{name}"')
        dropped.append(f"{schema}.{name}")
    return dropped
