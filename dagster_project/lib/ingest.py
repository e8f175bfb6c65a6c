"""Move inbox files into raw tables: triage unknown files, load known ones, reject broken ones."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from dagster_project.lib.adapters import PLANS, Plan
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


def mappings_dir(paths: WarehousePaths) -> Path:
    """User-written mappings for exports of any other shape: $WAREHOUSE_DIR/mappings/*.yaml."""
    return paths.root / "mappings"


def reject(
    conn: duckdb.DuckDBPyConnection,
    paths: WarehousePaths,
    path: Path,
    entity: str | None,
    reason: str,
) -> None:
    """Record the rejection in the ledger and move the file to ``rejected/`` with its reason."""
    record_rejection(conn, path, entity, file_hash(path), reason)
    move_to_rejected(path, paths.rejected, reason)


def plan_for(path: Path, paths: WarehousePaths) -> Plan:
    """The file's shape (cached per file version, so every ingest asset peeks it once)."""
    return PLANS.get(path, mappings_dir(paths))


def triage_inbox(
    conn: duckdb.DuckDBPyConnection, paths: WarehousePaths, log: Callable[[str], None]
) -> dict[str, str]:
    """Reject files no ingest asset would pick up, so nothing sits in the inbox unexplained."""
    rejected = {}
    for path in list_inbox(paths.inbox):
        reason = None
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            reason = (
                f"{path.name}: unsupported file type {path.suffix!r} "
                f"(expected one of {', '.join(SUPPORTED_SUFFIXES)})"
            )
        else:
            try:
                plan_for(path, paths)
            except Exception as exc:  # unknown shape or unreadable: the reason goes to the user
                text = str(exc)
                reason = text if text.startswith(path.name) else f"{path.name}: {text}"
        if reason:
            log(reason)
            reject(conn, paths, path, None, reason)
            rejected[path.name] = reason
    return rejected


def ingest_entity(
    conn: duckdb.DuckDBPyConnection,
    paths: WarehousePaths,
    entity: str,
    log: Callable[[str], None],
) -> IngestReport:
    """Load every inbox file holding ``entity``; a file that cannot load is moved aside, the rest go on."""
    report = IngestReport()
    for path in list_inbox(paths.inbox):
        try:
            plan = plan_for(path, paths)
        except Exception:
            continue  # triage moves it aside with its reason
        if entity not in plan.entities:
            continue
        try:
            result = load_file(conn, path, entity, plan)
        except RejectedFileError as exc:
            log(str(exc))
            reject(conn, paths, path, entity, str(exc))
            report.rejected[path.name] = str(exc)
            continue
        report.loaded.append(result)
    return report
