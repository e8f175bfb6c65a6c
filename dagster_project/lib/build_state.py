"""Has anything dbt reads changed since the last successful build?

dbt rebuilds every mart in full, which dominates a run that found no new data. The fingerprint
covers everything the models read — loaded files, scores, the dbt project itself — so an
unchanged fingerprint means a rebuild would produce the same marts, and the run can skip it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

# The marts in serving.duckdb were built from inputs with this fingerprint.
PUBLISHED_BUILD = "published_marts"
# The incremental models in warehouse.duckdb were built by the dbt project with this fingerprint:
# rows they keep from earlier builds are only valid while the project is the same.
BUILT_PROJECT = "dbt_project"

BUILD_STATE_DDL = """
create table if not exists ops.build_state (
    name varchar primary key,
    fingerprint varchar not null,
    built_at timestamp not null
)"""


def input_fingerprint(conn: duckdb.DuckDBPyConnection, manifest_path: Path) -> str:
    """A hash of the load ledger, the scores and the dbt manifest."""
    state = conn.execute(
        """select
            (select count(*) || '/' || coalesce(max(loaded_at)::varchar, '') from ops.load_ledger),
            (select count(*) || '/' || coalesce(max(scored_at)::varchar, '') from scores.interaction_scores),
            (select count(*) from scores.interaction_evidence)"""
    ).fetchall()[0]
    digest = hashlib.sha256(repr(state).encode())
    digest.update(manifest_path.read_bytes())
    return digest.hexdigest()


def project_fingerprint(manifest_path: Path) -> str:
    """A hash of the dbt manifest (models, macros, seeds, settings). A re-parse of an unchanged
    project changes it too, which costs one full build."""
    return hashlib.sha256(manifest_path.read_bytes()).hexdigest()


def last_fingerprint(conn: duckdb.DuckDBPyConnection, name: str) -> str | None:
    conn.execute(BUILD_STATE_DDL)
    rows = conn.execute(
        "select fingerprint from ops.build_state where name = $name", {"name": name}
    ).fetchall()
    return rows[0][0] if rows else None


def record_build(conn: duckdb.DuckDBPyConnection, name: str, fingerprint: str) -> None:
    conn.execute(BUILD_STATE_DDL)
    conn.execute(
        "insert or replace into ops.build_state values ($name, $fp, current_timestamp)",
        {"name": name, "fp": fingerprint},
    )
