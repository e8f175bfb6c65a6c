"""Has anything dbt reads changed since the last successful build?

dbt rebuilds every mart in full, which dominates a run that found no new data. The fingerprint
covers everything the models read — loaded files, scores, the dbt project itself — so an
unchanged fingerprint means a rebuild would produce the same marts, and the run can skip it.

The project is fingerprinted from its files, not from dbt's manifest: the manifest is only
rewritten by a parse, so a seed an analyst edits (thresholds, weights, overrides) would otherwise
go unnoticed until someone re-parsed.
"""

from __future__ import annotations

import hashlib
import os
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


# Under a dbt project but not part of it: what dbt writes, and packages it installs.
NOT_PROJECT = ("target", "logs", "dbt_packages")


# Unit tests check the SQL's logic on hand-written fixtures, so they say nothing new about
# tonight's data and only cost time in a build (dbt's own advice is to run them in development
# and CI). `make test` runs them (tests/dbt/test_dbt_unit_tests.py).
EXCLUDE_UNIT_TESTS = ("--exclude-resource-type", "unit_test")
# Seeds are files of the dbt project, so project_fingerprint covers them: while it is unchanged,
# the last successful build loaded them and passed their tests, and loading them again (a table
# per seed, a test node per check) would change nothing.
KEEP_LOADED_SEEDS = ("--exclude", "resource_type:seed")


def dbt_build_args(project_changed: bool, subset: bool = False) -> list[str]:
    """`dbt build`'s arguments, the unit tests left out: everything in full after a change to the
    project; else an incremental build that keeps the seeds as loaded, unless a person picked
    which assets to build (`subset`), a seed perhaps."""
    if project_changed:
        return ["build", *EXCLUDE_UNIT_TESTS, "--full-refresh"]
    return ["build", *EXCLUDE_UNIT_TESTS, *([] if subset else KEEP_LOADED_SEEDS)]


def input_fingerprint(conn: duckdb.DuckDBPyConnection, project: str) -> str:
    """A hash of the load ledger, the scores and the dbt project (its ``project_fingerprint``)."""
    state = conn.execute(
        """select
            (select count(*) || '/' || coalesce(max(loaded_at)::varchar, '') from ops.load_ledger),
            (select count(*) || '/' || coalesce(max(scored_at)::varchar, '') from scores.interaction_scores),
            (select count(*) from scores.interaction_evidence)"""
    ).fetchall()[0]
    digest = hashlib.sha256(repr(state).encode())
    digest.update(project.encode())
    return digest.hexdigest()


def project_fingerprint(project_dir: Path) -> str:
    """A hash of the dbt project's files (models, macros, seeds, settings), by path and content."""
    digest = hashlib.sha256()
    for path in sorted(_project_files(project_dir)):
        digest.update(path.relative_to(project_dir).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _project_files(project_dir: Path):
    for folder, subfolders, files in os.walk(project_dir):
        top = Path(folder) == project_dir
        # What dbt writes is not the project; hidden files are editors' and dbt's own.
        subfolders[:] = [
            d
            for d in subfolders
            if not d.startswith(".") and d != "__pycache__" and not (top and d in NOT_PROJECT)
        ]
        yield from (Path(folder) / f for f in files if not f.startswith("."))


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
