"""Move inbox files into raw tables: triage unknown files, load known ones, reject broken ones."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb

from dagster_project.lib.inbox import (
    SUPPORTED_SUFFIXES,
    file_hash,
    list_inbox,
    move_to_rejected,
)
from dagster_project.lib.loader import LoadResult, RejectedFileError, load_file, record_rejection
from dagster_project.lib.settings import WarehousePaths


@dataclass
class IngestReport:
    loaded: list[LoadResult] = field(default_factory=list)
    rejected: dict[str, str] = field(default_factory=dict)  # file name -> why

    @property
    def new_files(self) -> list[LoadResult]:
        return [r for r in self.loaded if r.status == "loaded"]


def reject(
    conn: duckdb.DuckDBPyConnection, paths: WarehousePaths, path, entity: str | None, reason: str
) -> None:
    """Record the rejection in the ledger and move the file to ``rejected/`` with its reason."""
    record_rejection(conn, path, entity, file_hash(path), reason)
    move_to_rejected(path, paths.rejected, reason)


def triage_inbox(
    conn: duckdb.DuckDBPyConnection, paths: WarehousePaths, log: Callable[[str], None]
) -> dict[str, str]:
    """Reject files no ingest asset would pick up, so nothing sits in the inbox unexplained."""
    rejected = {}
    for f in list_inbox(paths.inbox):
        reason = None
        if f.path.suffix.lower() not in SUPPORTED_SUFFIXES:
            reason = (
                f"{f.path.name}: unsupported file type {f.path.suffix!r} "
                f"(expected one of {', '.join(SUPPORTED_SUFFIXES)})"
            )
        elif f.entity is None:
            reason = (
                f"{f.path.name}: cannot tell which entity this file holds "
                "(expected a name like interactions.csv or interactions-2026-10.csv)"
            )
        if reason:
            log(reason)
            reject(conn, paths, f.path, None, reason)
            rejected[f.path.name] = reason
    return rejected


def ingest_entity(
    conn: duckdb.DuckDBPyConnection,
    paths: WarehousePaths,
    entity: str,
    log: Callable[[str], None],
) -> IngestReport:
    """Load every inbox file of ``entity``; a file that cannot load is moved aside, the rest go on."""
    report = IngestReport()
    for f in list_inbox(paths.inbox):
        if f.entity != entity:
            continue
        try:
            result = load_file(conn, f.path, entity)
        except RejectedFileError as exc:
            log(str(exc))
            reject(conn, paths, f.path, entity, str(exc))
            report.rejected[f.path.name] = str(exc)
            continue
        report.loaded.append(result)
    return report
