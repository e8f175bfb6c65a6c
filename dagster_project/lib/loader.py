"""Load one inbox file into its raw table: every row is loaded, quarantined, or counted.

A file is read through DuckDB's own readers (streaming, bounded memory) into a staging table of
text columns, checked against the contract in SQL, and then upserted by record key in the same
transaction as its ledger entry, so a crash never leaves half a file behind and the same bytes
never load twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from dagster_project.lib.contract import ENTITIES, ENUMS, Column, Entity
from dagster_project.lib.inbox import file_hash


class RejectedFileError(Exception):
    """The whole file cannot be loaded; the message names the file, the column and what was expected."""


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
    rows_superseded: int = 0  # same record key later in the same file: the later row wins

    @property
    def rows_accounted(self) -> int:
        return self.rows_loaded + self.rows_quarantined + self.rows_duplicate + self.rows_superseded


def _q(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _normalize_header(name: str) -> str:
    return name.strip().lstrip("\ufeff").strip().lower().replace(" ", "_")


def _read_into_file_table(conn: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Read the file, all values as text, into temp table ``_file`` (plus ``_raw_row`` JSON)."""
    suffix = path.suffix.lower()
    conn.execute("drop table if exists _file")
    if suffix in (".csv", ".tsv", ".txt"):
        conn.execute(
            "create temp table _file as select * from read_csv($path, all_varchar = true, "
            "header = true, auto_detect = true)",
            {"path": str(path)},
        )
        conn.execute("alter table _file add column _raw_row varchar")
        conn.execute("update _file set _raw_row = to_json(_file)")
    elif suffix in (".json", ".ndjson", ".jsonl"):
        fmt = "array" if suffix == ".json" else "newline_delimited"
        conn.execute(
            "create temp table _objects as select json as _raw_row "
            "from read_json_objects($path, format = $fmt)",
            {"path": str(path), "fmt": fmt},
        )
        non_objects = conn.execute(
            "select count(*) from _objects where json_type(_raw_row) <> 'OBJECT'"
        ).fetchall()[0][0]
        if non_objects:
            raise RejectedFileError(
                f"{path.name}: expected JSON objects, found {non_objects} other values"
            )
        keys = [
            r[0]
            for r in conn.execute(
                "select distinct unnest(json_keys(_raw_row)) from _objects order by 1"
            ).fetchall()
        ]
        columns = ", ".join(
            f"json_extract_string(_raw_row, $k{i}) as {_q(k)}" for i, k in enumerate(keys)
        )
        params = {f"k{i}": "$." + _q(k) for i, k in enumerate(keys)}
        conn.execute(
            f"create temp table _file as select {columns + ', ' if columns else ''}_raw_row "
            "from _objects order by rowid",
            params,
        )
        conn.execute("drop table _objects")
    elif suffix == ".parquet":
        conn.execute(
            "create temp table _file as select * from read_parquet($path)", {"path": str(path)}
        )
        conn.execute("alter table _file add column _raw_row varchar")
        conn.execute("update _file set _raw_row = to_json(_file)")
    else:
        raise RejectedFileError(f"{path.name}: unsupported file type {suffix!r}")


def _stage(conn: duckdb.DuckDBPyConnection, path: Path, entity: Entity) -> int:
    """Build temp table ``_stage``: the contract's columns as text, row numbers, raw row."""
    _read_into_file_table(conn, path)
    file_columns = [r[0] for r in conn.execute("describe _file").fetchall() if r[0] != "_raw_row"]
    by_name = {}
    for original in file_columns:
        by_name.setdefault(_normalize_header(original), original)
    missing = [c for c in entity.required_columns if c not in by_name]
    if missing:
        raise RejectedFileError(
            f"{path.name}: missing required column {missing[0]!r} for {entity.name} "
            f"(expected columns {', '.join(entity.required_columns)}; found {', '.join(file_columns) or 'none'})"
        )
    selects = ", ".join(
        f"cast({_q(by_name[c.name])} as varchar) as {_q(c.name)}"
        if c.name in by_name
        else f"cast(null as varchar) as {_q(c.name)}"
        for c in entity.columns
    )
    conn.execute("drop table if exists _stage")
    conn.execute(
        # Rows keep the file's order (rowid is insertion order); numbers start at 1 after the header.
        f"create temp table _stage as select row_number() over (order by rowid) as _source_row, "
        f"{selects}, _raw_row from _file order by rowid"
    )
    conn.execute("drop table _file")
    return conn.execute("select count(*) from _stage").fetchall()[0][0]


def _problem(entity: Entity, column: Column) -> tuple[str, str] | None:
    """SQL condition that makes a value bad, and the reason, for one column."""
    v = _q(column.name)
    blank = f"({v} is null or trim({v}) = '')"
    missing = (blank, f"missing required value for {column.name}") if column.required else None
    if column.sql_type != "VARCHAR":
        cast_fails = f"(not {blank} and try_cast(trim({v}) as {column.sql_type}) is null)"
        bad_type = (cast_fails, f"{column.name}: expected {column.sql_type.lower()}")
    else:
        bad_type = None
    allowed = ENUMS.get((entity.name, column.name))
    if allowed:
        values = ", ".join("'" + a + "'" for a in allowed)
        bad_enum = (
            f"(not {blank} and lower(trim({v})) not in ({values}))",
            f"{column.name}: expected one of {', '.join(allowed)}",
        )
    else:
        bad_enum = None
    checks = [c for c in (missing, bad_type, bad_enum) if c]
    if not checks:
        return None
    condition = " or ".join(f"({c})" for c, _ in checks)
    reason = "case " + " ".join(f"when {c} then '{r}'" for c, r in checks) + " end"
    return condition, reason


def _typed(column: Column, entity: Entity) -> str:
    v = _q(column.name)
    if (entity.name, column.name) in ENUMS:
        return f"lower(trim({v}))"
    if column.sql_type == "VARCHAR":
        # Identifiers are trimmed; free text is kept exactly as the customer wrote it.
        return f"nullif(trim({v}), '')" if column.name.endswith("_id") else v
    return f"cast(nullif(trim({v}), '') as {column.sql_type})"


def _quarantine_and_upsert(
    conn: duckdb.DuckDBPyConnection, path: Path, entity: Entity, loaded_at: datetime
) -> dict[str, int]:
    problems = [(c, p) for c in entity.columns if (p := _problem(entity, c))]
    bad_column = "case " + " ".join(f"when {p[0]} then '{c.name}'" for c, p in problems) + " end"
    reason = "case " + " ".join(f"when {p[0]} then {p[1]}" for c, p in problems) + " end"
    conn.execute(
        f"create or replace temp table _checked as select *, {bad_column} as _bad_column, "
        f"{reason} as _reason from _stage"
    )
    quarantined = conn.execute(
        "insert into raw.quarantine select $file, $entity, _source_row, _bad_column, _reason, "
        "_raw_row, $at from _checked where _reason is not null",
        {"file": path.name, "entity": entity.name, "at": loaded_at},
    ).fetchall()[0][0]

    names = entity.column_names
    typed = ", ".join(f"{_typed(c, entity)} as {_q(c.name)}" for c in entity.columns)
    all_cols = ", ".join(_q(n) for n in names)
    key_cols = ", ".join(_q(k) for k in entity.key)
    # Exact copies keep their first row; a record key seen again keeps its last row.
    conn.execute(
        f"""create or replace temp table _typed as
        select _source_row, {typed} from _checked where _reason is null"""
    )
    conn.execute(
        f"""create or replace temp table _distinct as
        select * from _typed
        qualify row_number() over (partition by {all_cols} order by _source_row) = 1"""
    )
    conn.execute(
        f"""create or replace temp table _latest as
        select * from _distinct
        qualify row_number() over (partition by {key_cols} order by _source_row desc) = 1"""
    )
    good, distinct, latest = conn.execute(
        "select (select count(*) from _typed), (select count(*) from _distinct), "
        "(select count(*) from _latest)"
    ).fetchall()[0]

    key_match = " and ".join(f"t.{_q(k)} is not distinct from l.{_q(k)}" for k in entity.key)
    conn.execute(
        f"delete from {entity.table} t where exists (select 1 from _latest l where {key_match})"
    )
    loaded = conn.execute(
        f"insert into {entity.table} ({all_cols}, _source_file, _source_row, _loaded_at) "
        f"select {all_cols}, $file, _source_row, $at from _latest order by _source_row",
        {"file": path.name, "at": loaded_at},
    ).fetchall()[0][0]
    for table in ("_stage", "_checked", "_typed", "_distinct", "_latest"):
        conn.execute(f"drop table {table}")
    return {
        "rows_loaded": loaded,
        "rows_quarantined": quarantined,
        "rows_duplicate": good - distinct,
        "rows_superseded": distinct - latest,
    }


def already_loaded(conn: duckdb.DuckDBPyConnection, digest: str) -> bool:
    return bool(
        conn.execute(
            "select count(*) from ops.load_ledger where file_hash = $h and status = 'loaded'",
            {"h": digest},
        ).fetchall()[0][0]
    )


def record_rejection(
    conn: duckdb.DuckDBPyConnection, path: Path, entity: str | None, digest: str, message: str
) -> None:
    conn.execute(
        "insert or replace into ops.load_ledger (file_hash, file_name, entity, status, message, loaded_at) "
        "values ($h, $name, $entity, 'rejected', $msg, $at)",
        {"h": digest, "name": path.name, "entity": entity, "msg": message, "at": datetime.now()},
    )


def load_file(conn: duckdb.DuckDBPyConnection, path: Path, entity_name: str) -> LoadResult:
    """Load ``path`` into ``raw.<entity>``; raises RejectedFileError if the file cannot load at all."""
    entity = ENTITIES[entity_name]
    digest = file_hash(path)
    if already_loaded(conn, digest):
        return LoadResult(path.name, entity_name, digest, "already_loaded")
    loaded_at = datetime.now()
    conn.execute("begin transaction")
    try:
        rows_read = _stage(conn, path, entity)
        counts = _quarantine_and_upsert(conn, path, entity, loaded_at)
        result = LoadResult(path.name, entity_name, digest, "loaded", rows_read=rows_read, **counts)
        conn.execute(
            "insert or replace into ops.load_ledger values "
            "($h, $name, $entity, 'loaded', $read, $loaded, $quarantined, $duplicate, $superseded, null, $at)",
            {
                "h": digest,
                "name": path.name,
                "entity": entity_name,
                "read": rows_read,
                "loaded": result.rows_loaded,
                "quarantined": result.rows_quarantined,
                "duplicate": result.rows_duplicate,
                "superseded": result.rows_superseded,
                "at": loaded_at,
            },
        )
        conn.execute("commit")
        return result
    except duckdb.Error as exc:
        conn.execute("rollback")
        raise RejectedFileError(f"{path.name}: could not be read as {entity_name}: {exc}") from exc
    except RejectedFileError:
        conn.execute("rollback")
        raise
