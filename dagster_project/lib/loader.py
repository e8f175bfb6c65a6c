"""Load one inbox file's rows of one entity into its raw table: every row loaded, quarantined or counted.

A file is read through DuckDB's own readers (streaming, bounded memory; ``readers``), mapped to
the contract by its adapter (``adapters``, ``mapping``), typed and checked against the contract in
SQL into one temp table, and upserted by record key in the same transaction as its ledger entry, so
a crash never leaves half a file behind and the same bytes never load twice. A CSV file with a
plain column mapping (the usual case) is parsed, mapped, typed and checked in a single pass with
no text copy of it in between; anything else is read into a temp table of text first.

Every row read ends in exactly one of: loaded; quarantined (with file, row, column, reason, raw
row); duplicate (an exact copy of an earlier row in the file); superseded (a later or newer row
for the same record key won, in the file or already stored: an older re-export never overwrites
newer data). Nothing is deleted because a later export lacks it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from dagster_project.lib.adapters import Plan, UnknownShapeError, recognize
from dagster_project.lib.contract import ENTITIES, ENUMS, Column, Entity
from dagster_project.lib.inbox import file_hash
from dagster_project.lib.mapping import MissingColumnError, stage_sql
from dagster_project.lib.readers import (
    FileTable,
    UnreadableFileError,
    drop_file_tables,
    finish_stream,
    read_file,
)
from dagster_project.lib.redaction import FREE_TEXT_COLUMNS, redact_sql, redaction_enabled


class RejectedFileError(Exception):
    """The whole file cannot be loaded; the message names the file, the column and what was expected."""


class LoadAccountingError(Exception):
    """A load would store counts that do not add up (a bug, not the file's doing): rolled back."""


@dataclass(frozen=True)
class LoadResult:
    file_name: str
    entity: str
    file_hash: str
    status: str  # loaded | already_loaded
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_duplicate: int = 0  # exact copies of an earlier row in the same file
    rows_superseded: int = 0  # a later row in the file, or a newer stored version, won
    rows_older_than_stored: int = 0  # of rows_superseded: the stored version was newer
    quarantine_reasons: tuple[tuple[str, int], ...] = ()  # (reason, rows), most rows first
    records_read: int = 0  # records of the file (a record the reader rejects included)
    records_mapped: int = 0  # records giving at least one row of this entity (rejects: one)
    records_skipped: int = 0  # records of the file that hold no row of this entity
    source: str = ""  # vendor/object of the adapter that mapped the file
    recognized_by: str = ""  # why that adapter: a mapping, the file's columns or its name

    @property
    def rows_accounted(self) -> int:
        return self.rows_loaded + self.rows_quarantined + self.rows_duplicate + self.rows_superseded

    @property
    def records_accounted(self) -> int:
        return self.records_mapped + self.records_skipped


def _q(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


# A timestamp with an explicit UTC offset is converted to UTC; one without is taken as UTC. The
# offset may stand apart ("2026-01-12 09:00:00 +0100", as Zendesk's CSV writes it).
_OFFSET = r"[+-]\d\d:?\d\d$"


def _is_free_text(entity: Entity, column: Column) -> bool:
    return column.name in FREE_TEXT_COLUMNS.get(entity.name, ())


def _keeps_text(entity: Entity, column: Column) -> bool:
    """Stored as written (not trimmed): free text and descriptive text columns."""
    return (
        column.sql_type == "VARCHAR"
        and (entity.name, column.name) not in ENUMS
        and not column.name.endswith("_id")
    )


def _typed_value(
    entity: Entity, column: Column, text: str, trimmed: str, params: dict[str, object]
) -> str:
    """The SQL turning a staged value into the contract's type (NULL when it does not fit).

    ``text`` is the value as staged, ``trimmed`` the same trimmed and blank as NULL.
    """
    if (entity.name, column.name) in ENUMS:
        return f"lower({trimmed})"
    if column.sql_type == "VARCHAR":
        if column.name.endswith("_id"):
            return trimmed
        # Free text is kept as the customer wrote it, contact details aside.
        if redaction_enabled() and _is_free_text(entity, column):
            return redact_sql(text, params)
        return text
    if column.sql_type == "TIMESTAMP":
        return _timestamp(trimmed)
    return f"try_cast({trimmed} as {column.sql_type})"


def _timestamp(value: str) -> str:
    """``value``: trimmed text. An offset ([+-]hh:mm or [+-]hhmm) puts its sign 6th or 5th from
    the end; that cheap character test skips the regex for the usual offset-free timestamps."""
    signed = " or ".join(f"substr({value}, -{n}, 1) in ('+', '-')" for n in (5, 6))
    return (
        f"(case when ({signed}) and regexp_matches({value}, '{_OFFSET}') "
        f"then timezone('UTC', try_cast(regexp_replace({value}, '\\s+([+-][0-9:]+)$', '\\1') "
        "as timestamptz)) "
        f"else try_cast({value} as timestamp) end)"
    )


def _checks(
    entity: Entity, column: Column, trimmed: str, typed: str, others: dict[str, str]
) -> list[tuple[str, str]]:
    """(condition that makes the value bad, reason) for one column, most basic first.

    ``trimmed`` is the value trimmed, NULL when blank; ``typed`` its ``_typed_value``;
    ``others`` the trimmed value of every column by name (a value required ``unless`` another
    is given looks at those).
    """
    checks = []
    if column.required and column.unless:
        blank = " and ".join(f"{v} is null" for v in (trimmed, *(others[u] for u in column.unless)))
        checks.append(
            (
                f"({blank})",
                f"missing {column.name}, and no {' or '.join(column.unless)} to find it through",
            )
        )
    elif column.required:
        checks.append((f"{trimmed} is null", f"missing required value for {column.name}"))
    allowed = ENUMS.get((entity.name, column.name))
    if allowed:
        values = ", ".join("'" + a + "'" for a in allowed)
        checks.append(
            (
                f"({trimmed} is not null and {typed} not in ({values}))",
                f"{column.name}: expected one of {', '.join(allowed)}",
            )
        )
    elif column.sql_type != "VARCHAR":
        checks.append(
            (
                f"({trimmed} is not null and {typed} is null)",
                f"{column.name}: expected {column.sql_type.lower()}",
            )
        )
    return checks


# The column and the reason of each check, in the order ``_bad`` numbers them.
Checks = tuple[list[str], list[str]]


def _build_checked(
    conn: duckdb.DuckDBPyConnection,
    entity: Entity,
    source: str,
    params: dict[str, object],
    raw_text: str,
) -> Checks:
    """Temp table ``_checked`` from the staged rows ``source``: typed contract columns, version,
    ``_bad``: the number of the first check a row fails (null when it passes all), indexing the
    returned columns and reasons, and ``_raw``: the row's JSON text, for failing rows only.

    One pass, four projections: each value is trimmed once (``_n``), typed once (``_t``), then
    checked (one CASE: evaluating two CASEs of strings per row costs twice as much), and only a
    failing row's raw record is turned into text.
    """
    params = dict(params)
    staged, typed, conditions = [], [], []
    trimmed = {c.name: f"_n{i}" for i, c in enumerate(entity.columns)}
    # Columns another one may be found through (its `unless`): their trimmed value is checked.
    links = {u for c in entity.columns for u in c.unless}
    for i, column in enumerate(entity.columns):
        text = _q(column.name)
        keeps_text = _keeps_text(entity, column)
        if keeps_text:
            staged.append(f"{text} as _s{i}")
        if not keeps_text or column.required or column.name in links:
            staged.append(f"nullif(trim({text}), '') as _n{i}")
            typed.append(f"_n{i}")
        value = _typed_value(entity, column, f"_s{i}", f"_n{i}", params)
        typed.append(f"{value} as _t{i}")
        for condition, reason in _checks(entity, column, f"_n{i}", f"_t{i}", trimmed):
            conditions.append((condition, column.name, reason))
    first_failed = " ".join(f"when {c} then {n}" for n, (c, _, _) in enumerate(conditions, start=1))
    columns = ", ".join(f"_t{i}" for i in range(len(entity.columns)))
    named = ", ".join(f"_t{i} as {_q(c.name)}" for i, c in enumerate(entity.columns))
    conn.execute(
        f"""create or replace temp table _checked as
        select _source_row, _sub, {named}, _version, _bad,
               case when _bad is not null then {raw_text} end as _raw
        from (select _source_row, _sub, {columns}, _version, _raw,
                     {"case " + first_failed + " end" if conditions else "null"}::integer as _bad
              from (select _source_row, _sub, {", ".join(typed)}, {_timestamp("_vn")} as _version,
                           _raw
                    from (select _source_row, _sub, {", ".join(staged)},
                                 nullif(trim(_version), '') as _vn, _raw
                          from {source})))""",
        params,
    )
    return [name for _, name, _ in conditions], [r for _, _, r in conditions]


def _count(conn: duckdb.DuckDBPyConnection, sql: str) -> int:
    return conn.execute(sql).fetchall()[0][0]


def _quarantine(
    conn: duckdb.DuckDBPyConnection, file_name: str, entity: Entity, checks: Checks, at: datetime
) -> dict[str, int]:
    """Quarantine the rows the reader or a check rejected; how many for each reason.

    A quarantined row is kept as read, contact details aside: redaction covers the whole raw
    row, as it is not known which of its fields are free text."""
    columns, reasons = checks
    params: dict[str, object] = {"file": file_name, "entity": entity.name, "at": at}
    redacted: dict[str, object] = {}
    raw = redact_sql("raw", redacted) if redaction_enabled() else "raw"
    n = conn.execute(
        f"insert into raw.quarantine select $file, $entity, _row, null, reason, {raw}, $at "
        "from _file_rejects order by _row",
        {**params, **redacted},
    ).fetchall()[0][0]
    if _count(conn, "select count(*) from _checked where _bad is not null"):
        raw = redact_sql("_raw", redacted) if redaction_enabled() else "_raw"
        n += conn.execute(
            f"""insert into raw.quarantine
            select $file, $entity, _source_row, $columns[_bad], $reasons[_bad], {raw}, $at
            from _checked where _bad is not null order by _source_row, _sub""",
            {**params, **redacted, "columns": columns, "reasons": reasons},
        ).fetchall()[0][0]
    if not n:
        return {}
    return dict(
        conn.execute(
            "select reason, count(*) from raw.quarantine where source_file = $file "
            "and entity = $entity and quarantined_at = $at group by reason order by 2 desc, 1",
            params,
        ).fetchall()
    )


def _upsert(
    conn: duckdb.DuckDBPyConnection, file_name: str, entity: Entity, at: datetime
) -> dict[str, int]:
    """Upsert the good rows by key: latest version wins, in the file and against what is stored."""
    cols = ", ".join(_q(n) for n in entity.column_names)
    keys = ", ".join(_q(k) for k in entity.key)
    match = " and ".join(f"a.{_q(k)} is not distinct from b.{_q(k)}" for k in entity.key)
    conn.execute(
        "create or replace temp table _drop (_source_row bigint, _sub bigint, _fate varchar)"
    )
    # Only keys seen more than once need ranking; a fresh export usually has none.
    conn.execute(
        f"""create or replace temp table _multi as select {keys} from _checked
        where _bad is null group by all having count(*) > 1"""
    )
    if _count(conn, "select count(*) from _multi"):
        conn.execute(
            f"""insert into _drop
            with m as (select a.* from _checked a join _multi b on {match} where a._bad is null),
            d as (select *, row_number() over (partition by {cols} order by _source_row, _sub) as _dup
                  from m),
            w as (select *, row_number() over (partition by {keys}
                      order by _version desc nulls last, _source_row desc, _sub desc) as _rank
                  from d where _dup = 1)
            select _source_row, _sub, 'duplicate' from d where _dup > 1
            union all select _source_row, _sub, 'superseded' from w where _rank > 1"""
        )
    # Only keys stored already need comparing with what is stored, and replacing: one semi
    # join finds out, and a file of new records (an incremental export) is simply appended.
    overlap = _count(conn, f"select count(*) from (select 1 from {entity.table} limit 1)") and (
        _count(
            conn,
            f"""select count(*) from (select 1 from _checked a semi join {entity.table} b
            on {match} where a._bad is null limit 1)""",
        )
    )
    # A stored row with a newer version than the incoming one stays (an older re-export).
    if overlap:
        conn.execute(
            f"""insert into _drop
            select a._source_row, a._sub, 'older' from _checked a join {entity.table} b on {match}
            where a._bad is null and b._record_updated_at > a._version
              and not exists (select 1 from _drop d
                              where d._source_row = a._source_row and d._sub = a._sub)"""
        )
    fates = dict(conn.execute("select _fate, count(*) from _drop group by 1").fetchall())
    winners = "select * from _checked where _bad is null"
    if fates:
        winners = (
            "select c.* from _checked c anti join _drop d "
            "on c._source_row = d._source_row and c._sub = d._sub where c._bad is null"
        )
    if overlap:
        conn.execute(f"delete from {entity.table} a using ({winners}) b where {match}")
    loaded = conn.execute(
        f"""insert into {entity.table} ({cols}, _source_file, _source_row, _loaded_at, _record_updated_at)
        select {cols}, $file, _source_row, $at, _version from ({winners})""",
        {"file": file_name, "at": at},
    ).fetchall()[0][0]
    return {
        "rows_loaded": loaded,
        "rows_duplicate": fates.get("duplicate", 0),
        "rows_superseded": fates.get("superseded", 0) + fates.get("older", 0),
        "rows_older_than_stored": fates.get("older", 0),
    }


def already_loaded(conn: duckdb.DuckDBPyConnection, digest: str, entity: str | None = None) -> bool:
    return bool(
        _count_params(
            conn,
            "select count(*) from ops.load_ledger where file_hash = $h and status = 'loaded' "
            "and ($entity is null or entity = $entity)",
            {"h": digest, "entity": entity},
        )
    )


def _count_params(conn: duckdb.DuckDBPyConnection, sql: str, params: dict) -> int:
    return conn.execute(sql, params).fetchall()[0][0]


def unchanged_since_loaded(conn: duckdb.DuckDBPyConnection, path: Path, entity: str) -> str | None:
    """The hash of a loaded file with this name, size and mtime: no need to read it again."""
    stat = path.stat()
    rows = conn.execute(
        """select file_hash from ops.load_ledger where file_name = $name and entity = $entity
        and status = 'loaded' and file_size = $size and file_mtime_ns = $mtime limit 1""",
        {"name": path.name, "entity": entity, "size": stat.st_size, "mtime": stat.st_mtime_ns},
    ).fetchall()
    return rows[0][0] if rows else None


def _write_ledger(
    conn: duckdb.DuckDBPyConnection, path: Path, entity: str | None, digest: str, values: dict
) -> None:
    conn.execute(
        "delete from ops.load_ledger where file_hash = $h and entity is not distinct from $entity",
        {"h": digest, "entity": entity},
    )
    stat = path.stat() if path.exists() else None
    row = {
        "file_hash": digest,
        "file_name": path.name,
        "entity": entity,
        "file_size": stat.st_size if stat else None,
        "file_mtime_ns": stat.st_mtime_ns if stat else None,
        **values,
    }
    names = ", ".join(row)
    conn.execute(
        f"insert into ops.load_ledger ({names}) values ({', '.join('$' + k for k in row)})", row
    )


def record_rejection(
    conn: duckdb.DuckDBPyConnection,
    path: Path,
    entity: str | None,
    digest: str,
    message: str,
    run_id: str | None = None,
) -> None:
    _write_ledger(
        conn,
        path,
        entity,
        digest,
        {"status": "rejected", "message": message, "loaded_at": datetime.now(), "run_id": run_id},
    )


def _drop_work_tables(conn: duckdb.DuckDBPyConnection) -> None:
    for table in ("_stage", "_checked", "_multi", "_overlap", "_drop"):
        conn.execute(f"drop table if exists {table}")
    drop_file_tables(conn)


@dataclass(frozen=True)
class _Staged:
    file: FileTable
    source: str  # what ``_build_checked`` selects the entity's staged rows from
    params: dict[str, object]
    raw_text: str
    one_to_one: bool  # every record gives exactly one row (no filter, no exploded array)


def _stage(
    conn: duckdb.DuckDBPyConnection,
    path: Path,
    entity: Entity,
    plan: Plan,
    file: FileTable | None = None,
    stream: bool = False,
) -> _Staged:
    """Read the file (unless ``file`` says it is read already) and prepare the select of this
    entity's rows over it.

    A single column mapping is selected straight from the file (streamed, for a UTF-8 CSV:
    ``_build_checked`` is then the one pass over it); filtered, exploded or several outputs are
    computed once into the temp table ``_stage``.
    """
    outputs = [o for o in plan.shape.outputs if o.entity == entity.name]
    one_to_one = len(outputs) == 1 and not (outputs[0].where or outputs[0].explode)
    if file is None:
        file = read_file(conn, path, plan.records, stream=stream and one_to_one)
    stage = stage_sql(plan, entity.name, file, path.name)
    if one_to_one:
        return _Staged(file, f"({stage.select})", stage.params, stage.raw_text, True)
    conn.execute(f"create or replace temp table _stage as {stage.select}", stage.params)
    return _Staged(file, "_stage", {}, stage.raw_text, False)


@dataclass(frozen=True)
class _Counts:
    rows_read: int  # rows of this entity the file gave (a record the reader rejects: one)
    records_read: int  # records of the file, rejected ones included
    records_mapped: int  # records that gave at least one row (rejected ones included)
    records_skipped: int  # records that gave none (filtered out, or an empty array)


def _count_records(conn: duckdb.DuckDBPyConnection, staged: _Staged, rejects: int) -> _Counts:
    """Count rows and records, the records independently of the rows where the file was read
    into ``_file`` (a streamed file is read once: its records are its rows)."""
    rows = _count(conn, "select count(*) from _checked") + rejects
    if staged.file.streamed:
        return _Counts(rows, rows, rows, 0)
    records = _count(conn, "select count(*) from _file") + rejects
    if staged.one_to_one:
        return _Counts(rows, records, rows, 0)
    mapped = _count(conn, "select count(distinct _source_row) from _checked") + rejects
    skipped = _count(
        conn, "select count(*) from _file f anti join _checked c on c._source_row = f._row"
    )
    return _Counts(rows, records, mapped, skipped)


def _read_and_check(
    conn: duckdb.DuckDBPyConnection, path: Path, entity: Entity, plan: Plan
) -> tuple[_Counts, Checks]:
    """Build ``_checked`` (typed and checked rows of this entity); returns the counts and the
    checks ``_bad`` numbers."""
    staged = _stage(conn, path, entity, plan, stream=True)
    try:
        checks = _build_checked(conn, entity, staged.source, staged.params, staged.raw_text)
    except duckdb.Error:
        if not staged.file.streamed:
            raise
        # A dialect the streamed read cannot follow throughout: the whole-file read has its
        # fallbacks.
        _drop_work_tables(conn)
        staged = _stage(conn, path, entity, plan)
        checks = _build_checked(conn, entity, staged.source, staged.params, staged.raw_text)
    rejects = finish_stream(conn, staged.file, "_checked")
    return _count_records(conn, staged, rejects), checks


def check_every_entity(conn: duckdb.DuckDBPyConnection, path: Path, plan: Plan) -> None:
    """Read, map, type and check the rows of every entity the file feeds, storing nothing;
    raises RejectedFileError naming the first entity that cannot load.

    A file feeding several entities (a Zendesk tickets export: tickets, comments, ratings) is
    loaded one entity at a time, each in its own transaction; checking all of them first
    means a file that cannot load whole loads nothing, rather than some of its entities.
    """
    entities = plan.entities
    try:
        file = read_file(conn, path, plan.records)
    except (duckdb.Error, UnreadableFileError, ValueError) as exc:
        _drop_work_tables(conn)
        raise RejectedFileError(_file_message(path, exc)) from exc
    try:
        for name in entities:
            try:
                staged = _stage(conn, path, ENTITIES[name], plan, file=file)
                _build_checked(conn, ENTITIES[name], staged.source, staged.params, staged.raw_text)
            except (duckdb.Error, MissingColumnError, ValueError) as exc:
                others = [e for e in entities if e != name]
                raise RejectedFileError(
                    f"{_file_message(path, exc, name)} (nothing of this file is loaded: "
                    f"a {plan.shape.label} export loads whole, its {', '.join(others)} too)"
                ) from exc
            finally:
                for table in ("_stage", "_checked"):
                    conn.execute(f"drop table if exists {table}")
    finally:
        _drop_work_tables(conn)


# DuckDB spills its temp tables to disk past this, so a file of any size loads in bounded memory.
INGEST_MEMORY_LIMIT = "1536MB"


@contextmanager
def _bounded_memory(conn: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Lower DuckDB's memory limit for the load (file-backed databases only: they can spill)."""
    (path,) = conn.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchall()[0]
    if not path:
        yield
        return
    (before,) = conn.execute("select current_setting('memory_limit')").fetchall()[0]
    conn.execute(
        "set memory_limit = $limit",
        {"limit": os.environ.get("INGEST_MEMORY_LIMIT", INGEST_MEMORY_LIMIT)},
    )
    try:
        yield
    finally:
        conn.execute("set memory_limit = $limit", {"limit": before})


def load_file(
    conn: duckdb.DuckDBPyConnection,
    path: Path,
    entity_name: str,
    plan: Plan | None = None,
    mappings_dir: Path | None = None,
    run_id: str | None = None,
) -> LoadResult:
    """Load ``path``'s rows of ``entity_name``; raises RejectedFileError if the file cannot load at all."""
    with _bounded_memory(conn):
        return _load(conn, path, entity_name, plan, mappings_dir, run_id)


def _prepare(
    conn: duckdb.DuckDBPyConnection,
    path: Path,
    entity: Entity,
    plan: Plan | None,
    mappings_dir: Path | None,
) -> tuple[_Counts, Checks, Plan]:
    """Recognize, read, map, type and check the file's rows of ``entity`` into ``_checked``.

    Everything here fills temp tables only, outside any transaction: a reader that fails and
    retries (encoding, CSV dialect) must not abort a load. What fails here is the file's doing.
    """
    try:
        plan = plan or recognize(path, mappings_dir)
    except (UnknownShapeError, UnreadableFileError, duckdb.Error, ValueError) as exc:
        raise RejectedFileError(_file_message(path, exc)) from exc
    if entity.name not in plan.entities:
        raise RejectedFileError(
            f"{path.name}: a {plan.shape.label} export holds no {entity.name} "
            f"(expected one of {', '.join(plan.entities)})"
        )
    try:
        counts, checks = _read_and_check(conn, path, entity, plan)
    except (duckdb.Error, UnreadableFileError, MissingColumnError, ValueError) as exc:
        _drop_work_tables(conn)
        raise RejectedFileError(_file_message(path, exc, entity.name)) from exc
    return counts, checks, plan


def _load(
    conn: duckdb.DuckDBPyConnection,
    path: Path,
    entity_name: str,
    plan: Plan | None = None,
    mappings_dir: Path | None = None,
    run_id: str | None = None,
) -> LoadResult:
    entity = ENTITIES[entity_name]
    known = unchanged_since_loaded(conn, path, entity_name)
    if known:
        return LoadResult(path.name, entity_name, known, "already_loaded")
    # The file's hash decides whether these bytes loaded before (under another name, say). It
    # is computed beside the read (hashlib and DuckDB both release the GIL), whose work is
    # thrown away in that rare case; reading, mapping and checking store nothing.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="file-hash") as pool:
        hashing = pool.submit(file_hash, path)
        try:
            counts, checks, plan = _prepare(conn, path, entity, plan, mappings_dir)
        except RejectedFileError:
            if already_loaded(conn, hashing.result(), entity_name):
                return LoadResult(path.name, entity_name, hashing.result(), "already_loaded")
            raise
        digest = hashing.result()
    if already_loaded(conn, digest, entity_name):
        _drop_work_tables(conn)
        return LoadResult(path.name, entity_name, digest, "already_loaded")
    loaded_at = datetime.now()
    # Storing typed, checked rows cannot fail because of what the file holds: an error from
    # here on (disk full, out of memory) rolls back and is raised; the file stays in the inbox
    # and the next run loads it.
    conn.execute("begin transaction")
    try:
        quarantined = _quarantine(conn, path.name, entity, checks, loaded_at)
        stored = _upsert(conn, path.name, entity, loaded_at)
        result = LoadResult(
            path.name,
            entity_name,
            digest,
            "loaded",
            rows_read=counts.rows_read,
            rows_quarantined=sum(quarantined.values()),
            quarantine_reasons=tuple(quarantined.items()),
            records_read=counts.records_read,
            records_mapped=counts.records_mapped,
            records_skipped=counts.records_skipped,
            source=plan.source,
            recognized_by=plan.how,
            **stored,
        )
        if (result.rows_accounted, result.records_accounted) != (
            result.rows_read,
            result.records_read,
        ):
            raise LoadAccountingError(
                f"{path.name} as {entity_name}: rows or records unaccounted for, nothing stored: "
                f"{result}"
            )
        _write_ledger(
            conn,
            path,
            entity_name,
            digest,
            {
                "status": "loaded",
                "source": plan.source,
                "recognized_by": plan.how,
                "run_id": run_id,
                "rows_read": result.rows_read,
                "rows_loaded": result.rows_loaded,
                "rows_quarantined": result.rows_quarantined,
                "rows_duplicate": result.rows_duplicate,
                "rows_superseded": result.rows_superseded,
                "rows_older_than_stored": result.rows_older_than_stored,
                "records_read": result.records_read,
                "records_mapped": result.records_mapped,
                "records_skipped": result.records_skipped,
                "loaded_at": loaded_at,
            },
        )
        conn.execute("commit")
        return result
    except BaseException:
        conn.execute("rollback")
        raise
    finally:
        _drop_work_tables(conn)


def _file_message(path: Path, exc: Exception, entity: str | None = None) -> str:
    text = str(exc)
    if text.startswith(path.name):
        return text
    what = f" as {entity}" if entity else ""
    return f"{path.name}: could not be read{what}: {text}"
