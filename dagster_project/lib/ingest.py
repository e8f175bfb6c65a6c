"""Move inbox files into raw tables: triage unknown files, load known ones, reject broken ones.

A file is loaded whole or not at all. A file feeding several entities (a Zendesk tickets export
feeds tickets, interactions and surveys) loads one entity at a time, each in its own transaction
with its ledger entry, in the order the ingest assets run (so lookups across files work). Before
any of them loads, every entity of the file is read, mapped, typed and checked without storing
anything (``loader.check_every_entity``): if one cannot load (a required column missing, a value
the mapping cannot process), the whole file is rejected and moved to ``rejected/``, nothing of it
loaded. Triage does this first; each ingest asset asks again (answered from a cache), so a caller
that skips triage gets the same guarantee.

Errors while storing checked rows are not the file's doing (disk full, out of memory): that
entity's transaction rolls back, the error is raised, the file stays in the inbox, and the next
run loads the entities the ledger does not list yet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from dagster_project.lib.adapters import PLANS, Plan
from dagster_project.lib.archives import ARCHIVE_SUFFIXES, unpack_inbox
from dagster_project.lib.inbox import (
    SUPPORTED_SUFFIXES,
    file_hash,
    list_inbox,
    move_to_rejected,
)
from dagster_project.lib.loader import (
    LoadResult,
    RejectedFileError,
    check_every_entity,
    load_file,
    record_rejection,
    unchanged_since_loaded,
)
from dagster_project.lib.settings import WarehousePaths


@dataclass
class IngestReport:
    loaded: list[LoadResult] = field(default_factory=list)
    rejected: dict[str, str] = field(default_factory=dict)  # file name -> why

    @property
    def new_files(self) -> list[LoadResult]:
        return [r for r in self.loaded if r.status == "loaded"]


def describe_load(result: LoadResult) -> str:
    """One file's load in a line for the run log: what it was taken for and why, and where
    every row went (the same figures as its ops.load_ledger row)."""
    reasons = "".join(f"; {n} quarantined: {reason}" for reason, n in result.quarantine_reasons)
    return (
        f"{result.file_name} as {result.entity}: {result.source} (by {result.recognized_by}); "
        f"{result.rows_read} read, {result.rows_loaded} loaded, {result.rows_quarantined} "
        f"quarantined, {result.rows_duplicate} duplicate, {result.rows_superseded} superseded; "
        f"{result.records_skipped} records hold no {result.entity}{reasons}"
    )


def mappings_dir(paths: WarehousePaths) -> Path:
    """User-written mappings for exports of any other shape: $WAREHOUSE_DIR/mappings/*.yaml."""
    return paths.root / "mappings"


def reject(
    conn: duckdb.DuckDBPyConnection,
    paths: WarehousePaths,
    path: Path,
    entity: str | None,
    reason: str,
    run_id: str | None = None,
) -> None:
    """Record the rejection in the ledger and move the file to ``rejected/`` with its reason."""
    record_rejection(conn, path, entity, file_hash(path), reason, run_id)
    move_to_rejected(path, paths.rejected, reason)


def plan_for(path: Path, paths: WarehousePaths) -> Plan:
    """The file's shape (cached per file version, so every ingest asset peeks it once)."""
    return PLANS.get(path, mappings_dir(paths))


# Why a file feeding several entities cannot load whole (None: it can), by file version.
_WHOLE_FILE: dict[tuple[str, int, int, str], str | None] = {}


def whole_file_problem(conn: duckdb.DuckDBPyConnection, path: Path, plan: Plan) -> str | None:
    """Why a file feeding several entities cannot load whole; None when it can, when it feeds
    one entity (its load is one transaction) or when every entity of it is loaded already."""
    if len(plan.entities) < 2:
        return None
    if all(unchanged_since_loaded(conn, path, e) for e in plan.entities):
        return None  # a rerun: nothing of it to check again
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns, repr(plan))  # the mapping may change too
    if key not in _WHOLE_FILE:
        try:
            check_every_entity(conn, path, plan)
            _WHOLE_FILE[key] = None
        except RejectedFileError as exc:
            _WHOLE_FILE[key] = str(exc)
    problem = _WHOLE_FILE[key]
    if problem is None:
        return None
    loaded = [e for e in plan.entities if unchanged_since_loaded(conn, path, e)]
    if loaded:  # loaded by an earlier run, before the file (or its mapping) changed
        problem += f"; its {', '.join(loaded)} loaded in an earlier run stay"
    return problem


def triage_inbox(
    conn: duckdb.DuckDBPyConnection,
    paths: WarehousePaths,
    log: Callable[[str], None],
    run_id: str | None = None,
    note: Callable[[str], None] = lambda line: None,
) -> dict[str, str]:
    """Unpack archives (``archives.py``), then reject files no ingest asset would pick up, and
    files that cannot load whole, so nothing sits in the inbox unexplained and nothing loads in
    part. ``log`` gets each rejection, ``note`` what each archive gave."""
    rejected = {}
    if paths.inbox.is_dir():
        unpacked, failed = unpack_inbox(paths.inbox, paths.archives, mappings_dir(paths))
        for report in unpacked:
            note(report.summary())
        for path, reason in failed.items():
            log(reason)
            reject(conn, paths, path, None, reason, run_id)
            rejected[path.name] = reason
    for path in list_inbox(paths.inbox):
        reason = None
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            reason = (
                f"{path.name}: unsupported file type {path.suffix!r} "
                f"(expected one of {', '.join(SUPPORTED_SUFFIXES)}, "
                f"or such files packed in {' or '.join(ARCHIVE_SUFFIXES)})"
            )
        else:
            try:
                plan = plan_for(path, paths)
            except Exception as exc:  # unknown shape or unreadable: the reason goes to the user
                text = str(exc)
                reason = text if text.startswith(path.name) else f"{path.name}: {text}"
            else:
                reason = whole_file_problem(conn, path, plan)
        if reason:
            log(reason)
            reject(conn, paths, path, None, reason, run_id)
            rejected[path.name] = reason
    return rejected


def ingest_entity(
    conn: duckdb.DuckDBPyConnection,
    paths: WarehousePaths,
    entity: str,
    log: Callable[[str], None],
    run_id: str | None = None,
) -> IngestReport:
    """Load every inbox file holding ``entity``; a file that cannot load is moved aside, the rest go on.

    ``run_id`` (the Dagster run's) is written to the ledger, so one run's loads read as one report.
    """
    report = IngestReport()
    for path in list_inbox(paths.inbox):
        known = unchanged_since_loaded(conn, path, entity)
        if known:  # a rerun: loaded already, not even its shape to recognize again
            report.loaded.append(LoadResult(path.name, entity, known, "already_loaded"))
            continue
        try:
            plan = plan_for(path, paths)
        except Exception:
            continue  # triage moves it aside with its reason
        if entity not in plan.entities:
            continue
        problem = whole_file_problem(conn, path, plan)
        if problem:
            log(problem)
            reject(conn, paths, path, None, problem, run_id)
            report.rejected[path.name] = problem
            continue
        try:
            result = load_file(conn, path, entity, plan, run_id=run_id)
        except RejectedFileError as exc:
            log(str(exc))
            reject(conn, paths, path, entity, str(exc), run_id)
            report.rejected[path.name] = str(exc)
            continue
        report.loaded.append(result)
    return report


# Per file and entity in the load ledger, every row and every record is accounted for:
#
# - rows:    rows_read = rows_loaded + rows_quarantined + rows_duplicate + rows_superseded
# - records: records_read = records_mapped + records_skipped, and every mapped record gave a row
#            (rows_read >= records_mapped)
#
# A record is a line of a CSV file or an object of a JSON file; it gives one row of an entity,
# none (skipped: an agent in a users export holds no contact, an unrated ticket no survey) or
# several (a ticket's comments). A record the reader cannot parse is one record and one
# quarantined row. Files loaded before records were counted have null record counts: their rows
# are checked, their records cannot be.
UNBALANCED_SQL = """
select file_name, file_hash, rows_read, rows_loaded, rows_quarantined, rows_duplicate,
       rows_superseded, records_read, records_mapped, records_skipped,
       case
         when rows_read is null or rows_loaded is null or rows_quarantined is null
              or rows_duplicate is null or rows_superseded is null
           then 'a row count is missing'
         when records_read is not null and (records_mapped is null or records_skipped is null)
           then 'a record count is missing'
         when least(rows_read, rows_loaded, rows_quarantined, rows_duplicate, rows_superseded,
                    coalesce(records_read, 0), coalesce(records_mapped, 0),
                    coalesce(records_skipped, 0)) < 0
           then 'a count is negative'
         when rows_read <> rows_loaded + rows_quarantined + rows_duplicate + rows_superseded
           then 'rows read <> loaded + quarantined + duplicate + superseded'
         when records_read <> records_mapped + records_skipped
           then 'records read <> mapped + skipped'
         when records_mapped > rows_read
           then 'more records mapped than rows read'
       end as problem
from ops.load_ledger
where entity = $entity and status = 'loaded'
"""


def unbalanced_files(conn: duckdb.DuckDBPyConnection, entity: str) -> list[dict]:
    """Ledger entries of ``entity`` whose counts do not add up, each with what is wrong."""
    relation = conn.execute(
        f"select * from ({UNBALANCED_SQL}) where problem is not null", {"entity": entity}
    )
    names = [d[0] for d in relation.description]
    return [dict(zip(names, row, strict=True)) for row in relation.fetchall()]
