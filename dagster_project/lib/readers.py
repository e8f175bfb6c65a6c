"""Read any supported export into a DuckDB temp table of text columns, streaming, nothing lost.

Every reader produces the same two temp tables, whatever the format:

- ``_file``: one row per record, the file's own columns as VARCHAR, ``_row`` (1-based record number,
  header not counted) and, for JSON, ``_raw_row`` (the record as JSON text);
- ``_file_rejects``: records the format reader itself could not parse (a CSV line with the wrong
  number of fields, an NDJSON line that is not JSON), with their number, reason and raw text, so
  the loader can quarantine them instead of losing them.

A UTF-8 CSV file that the caller reads only once can instead be *streamed* (``stream=True``):
``FileTable.relation`` is then DuckDB's ``read_csv`` itself, no copy of the file is made, and the
caller, after its one scan into a table, calls ``finish_stream`` to collect the rejected lines and
number that table's rows (the scan itself cannot number them without losing its parallelism).

Text encodings are sniffed from the first bytes (BOM, UTF-16 zero bytes, a UTF-8 decoding trial);
files that are not UTF-8 are transcoded chunk by chunk into a temporary UTF-8 copy, so DuckDB's
readers see one encoding and memory stays bounded. XLSX rows stream through openpyxl's read-only
mode in chunks.
"""

from __future__ import annotations

import codecs
import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import duckdb
import pyarrow as pa

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
JSON_SUFFIXES = (".json", ".ndjson", ".jsonl")
SUPPORTED_SUFFIXES = (*CSV_SUFFIXES, *JSON_SUFFIXES, ".parquet", ".xlsx")

_SNIFF_BYTES = 1 << 16
_CHUNK_BYTES = 1 << 22
_XLSX_CHUNK_ROWS = 20_000
# Big enough for a whole API page of tickets in one JSON document, small enough to stay bounded.
_MAX_JSON_OBJECT_BYTES = 256 << 20
_MAX_LINE_BYTES = 32 << 20
# An NDJSON line never contains these two control characters, so each line is one CSV field.
_LINE_DELIMITER = "\x1e\x1f"


class UnreadableFileError(Exception):
    """The file cannot be parsed at all in its format (the message says why)."""


@dataclass(frozen=True)
class FileTable:
    columns: list[str]  # the file's own column names, in file order
    is_json: bool  # records are JSON objects (``_raw_row`` holds each one)
    rejects: int  # records the format reader could not parse (in ``_file_rejects``)
    # What to select the records from: the temp view ``_file``, or for a streamed file the
    # reader itself, whose ``_row`` is null until ``finish_stream`` numbers the scanned rows,
    # with the parameters its SQL needs.
    relation: str = "_file"
    params: dict[str, object] = field(default_factory=dict)

    @property
    def streamed(self) -> bool:
        return self.relation != "_file"


def _q(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def sniff_encoding(path: Path) -> str:
    """The text encoding of a file: utf-8, utf-16 (BOM or zero bytes) or cp1252/latin-1.

    A UTF-8 BOM is left to the readers (DuckDB skips it; headers are normalized).
    """
    with path.open("rb") as f:
        head = f.read(_SNIFF_BYTES)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8"
    sample = head[:4096]
    if len(sample) >= 4 and sample.count(0) * 3 >= len(sample):
        # ASCII text in UTF-16 without a BOM: every other byte is zero.
        return "utf-16-le" if sample[1] == 0 else "utf-16-be"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        head.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"  # decodes any byte sequence


def transcode_to_utf8(path: Path, encoding: str, out_dir: Path, limit: int | None = None) -> Path:
    """Copy ``path`` as UTF-8 into ``out_dir`` chunk by chunk (only ``limit`` bytes if given)."""
    target = out_dir / ("utf8-" + path.name)
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    read = 0
    with path.open("rb") as src, target.open("w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(_CHUNK_BYTES):
            read += len(chunk)
            text = decoder.decode(chunk, final=False)
            dst.write(text.lstrip("\ufeff") if read == len(chunk) else text)
            if limit is not None and read >= limit:
                break
        dst.write(decoder.decode(b"", final=True))
    return target


@contextmanager
def utf8_source(path: Path, limit: int | None = None) -> Iterator[Path]:
    """The file itself when it is UTF-8, else a temporary UTF-8 copy of it."""
    encoding = sniff_encoding(path)
    if encoding == "utf-8" and limit is None:
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="crm-ingest-") as tmp:
        yield transcode_to_utf8(path, encoding, Path(tmp), limit)


def _create_rejects(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(
        "create or replace temp table _file_rejects (_row bigint, reason varchar, raw varchar)"
    )


def _read_csv(conn: duckdb.DuckDBPyConnection, path: Path) -> FileTable:
    with utf8_source(path) as src:
        try:
            _read_csv_utf8(conn, src)
        except duckdb.InvalidInputException as exc:
            if "unicode" not in str(exc).lower() or src != path:
                raise
            # Valid UTF-8 at the start only: the rest is a single-byte encoding after all.
            with tempfile.TemporaryDirectory(prefix="crm-ingest-") as tmp:
                _read_csv_utf8(conn, transcode_to_utf8(path, "cp1252", Path(tmp)))
    rejects = _csv_rejects(conn)
    return FileTable(_columns(conn), False, rejects)


def _header_delimiter(path: Path) -> str:
    """The likeliest delimiter from the header line alone (for files the sniffer gives up on)."""
    with path.open("r", encoding="utf-8", errors="replace", newline="") as f:
        header = f.readline()
    return max((",", ";", "\t", "|"), key=header.count)


# Rows the CSV reader cannot parse go to a rejects table instead of failing the whole file.
# DuckDB's buffer defaults to 16 lines of the longest allowed: 512 MiB for ours, which makes a
# scan a tenth slower than two of them do.
_CSV_OPTIONS = (
    "all_varchar = true, header = true, ignore_errors = true, store_rejects = true, "
    "rejects_table = '_csv_errors', rejects_scan = '_csv_scans', "
    f"max_line_size = {_MAX_LINE_BYTES}, buffer_size = {2 * _MAX_LINE_BYTES}"
)


def _read_csv_utf8(conn: duckdb.DuckDBPyConnection, path: Path) -> None:
    _create_rejects(conn)
    conn.execute("drop table if exists _csv_errors")
    options = _CSV_OPTIONS
    params: dict[str, object] = {"path": str(path)}
    explicit = (
        "auto_detect = false, delim = $delim, quote = '\"', escape = '\"', columns = $columns, "
    )
    attempts = (
        ("auto_detect = true, ", params),
        # Too messy for the sniffer: RFC 4180 quoting with the header's delimiter, then the same
        # without strict mode (stray quotes, mixed line ends) as the last resort.
        (explicit, {**params, "delim": _header_delimiter(path), "columns": _header_columns(path)}),
        (
            explicit + "strict_mode = false, ",
            {**params, "delim": _header_delimiter(path), "columns": _header_columns(path)},
        ),
    )
    for n, (dialect, values) in enumerate(attempts):
        conn.execute("drop table if exists _csv_errors")
        try:
            conn.execute(
                "create or replace temp table _file_data as "
                f"select * from read_csv($path, {dialect}{options})",
                values,
            )
            return
        except duckdb.InvalidInputException as exc:
            retryable = "sniffing" in str(exc) or "invalid state" in str(exc)
            if not retryable or n == len(attempts) - 1:
                raise


def _header_columns(path: Path) -> dict[str, str]:
    import csv

    with path.open("r", encoding="utf-8", errors="replace", newline="") as f:
        header = next(csv.reader(f, delimiter=_header_delimiter(path)), [])
    names: dict[str, str] = {}
    for i, name in enumerate(header):
        names[name if name and name not in names else f"column{i + 1}"] = "VARCHAR"
    return names or {"column1": "VARCHAR"}


def _collect_csv_errors(conn: duckdb.DuckDBPyConnection) -> int:
    """Move the CSV reader's rejected lines into ``_file_rejects``; how many there are."""
    conn.execute(
        """insert into _file_rejects
        select line - 1, 'unparseable CSV row: ' || string_agg(distinct error_type, ', '),
               any_value(csv_line)
        from _csv_errors group by line order by line"""
    )
    conn.execute("drop table if exists _csv_errors")
    conn.execute("drop table if exists _csv_scans")
    (rejects,) = conn.execute("select count(*) from _file_rejects").fetchall()[0]
    return rejects


def _csv_rejects(conn: duckdb.DuckDBPyConnection) -> int:
    """Move the CSV reader's rejected lines into ``_file_rejects`` and renumber good rows."""
    rejects = _collect_csv_errors(conn)
    base = _first_rowid(conn)
    if not rejects:
        # The row number is the insertion order: a view avoids rewriting every row.
        conn.execute(
            f"create or replace temp view _file as select *, rowid - {base} + 1 as _row from _file_data"
        )
        return 0
    # Good rows are numbered among good rows only: shift each past the rejects before it.
    conn.execute(
        """create or replace temp table _gaps as
        select _row - row_number() over (order by _row) as good_before from _file_rejects"""
    )
    conn.execute(
        f"""create or replace temp view _file as select d.*, d.rowid - {base} + 1 +
        (select count(*) from _gaps g where g.good_before < d.rowid - {base} + 1) as _row
        from _file_data d"""
    )
    return rejects


def _first_rowid(conn: duckdb.DuckDBPyConnection, table: str = "_file_data") -> int:
    """Row ids count in insertion order, from an offset that differs inside a transaction."""
    return int(conn.execute(f"select coalesce(min(rowid), 0) from {table}").fetchall()[0][0])


def _sniff_dialect(conn: duckdb.DuckDBPyConnection, path: Path) -> dict[str, object] | None:
    """The CSV dialect and header DuckDB's sniffer finds, as ``read_csv`` parameters (None when
    it finds none). Sniffed once here, so the reads that follow need not sniff again; sniffing
    with the default line limit costs a third of sniffing with ``_MAX_LINE_BYTES``."""
    try:
        found = conn.execute(
            "select Delimiter, Quote, Escape, NewLineDelimiter, Comment, SkipRows, Columns "
            "from sniff_csv($path, all_varchar = true, header = true, ignore_errors = true)",
            {"path": str(path)},
        ).fetchall()
    except duckdb.Error:
        return None  # e.g. a header line longer than the default limit: the whole-file read
    if not found:
        return None
    delim, quote, escape, new_line, comment, skip, columns = found[0]

    def given(value: str) -> str:
        return "" if value == "(empty)" else value

    return {
        "csv_path": str(path),
        "csv_delim": delim,
        "csv_quote": given(quote),
        "csv_escape": given(escape),
        "csv_new_line": given(new_line),
        "csv_comment": given(comment),
        "csv_skip": skip,
        "csv_columns": {c["name"]: "VARCHAR" for c in columns},
    }


def _stream_csv(conn: duckdb.DuckDBPyConnection, path: Path) -> FileTable | None:
    """``read_csv`` over a UTF-8 file as the relation to select from (None: read it whole)."""
    if sniff_encoding(path) != "utf-8":
        return None  # transcoded first, into a copy
    params = _sniff_dialect(conn, path)
    if params is None or not params["csv_columns"]:
        return None
    new_line = "new_line = $csv_new_line, " if params["csv_new_line"] else ""
    relation = (
        "(select *, null::bigint as _row from read_csv($csv_path, auto_detect = false, "
        "delim = $csv_delim, quote = $csv_quote, escape = $csv_escape, comment = $csv_comment, "
        f"{new_line}skip = $csv_skip, columns = $csv_columns, {_CSV_OPTIONS}))"
    )
    _create_rejects(conn)
    conn.execute("drop table if exists _csv_errors")
    return FileTable(list(params["csv_columns"]), False, 0, relation, params)


def finish_stream(conn: duckdb.DuckDBPyConnection, file: FileTable, table: str) -> int:
    """After the one scan of a streamed file into ``table`` (in file order): its rejected lines
    into ``_file_rejects``, and ``table._source_row`` numbered as ``_file._row`` would have been.
    Returns the number of rejected lines (for a file read whole, the count it already had)."""
    if not file.streamed:
        return file.rejects
    rejects = _collect_csv_errors(conn)
    base = _first_rowid(conn, table)
    conn.execute(f"update {table} set _source_row = rowid - {base} + 1")
    if rejects:
        # Good rows are numbered among good rows only: shift each past the rejects before it.
        conn.execute(
            f"""update {table} t set _source_row = _source_row + (
                select count(*) from (select _row - row_number() over (order by _row) as good_before
                                      from _file_rejects) g
                where g.good_before < t._source_row)"""
        )
    return rejects


def _columns(conn: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        r[0] for r in conn.execute("describe _file").fetchall() if r[0] not in ("_row", "_raw_row")
    ]


def _objects_to_file(conn: duckdb.DuckDBPyConnection) -> None:
    """From temp table ``_objects`` (``_row``, ``json``) build ``_file`` with one column per key."""
    conn.execute(
        """insert into _file_rejects select _row, 'not a JSON object', json::varchar
        from _objects where json_type(json) <> 'OBJECT'"""
    )
    keys = [
        r[0]
        for r in conn.execute(
            # Keys in the order the first record holding each one lists them.
            """select k from (select unnest(json_keys(json)) as k,
                                     generate_subscripts(json_keys(json), 1) as i, _row
                              from _objects where json_type(json) = 'OBJECT')
            group by k order by min(_row), arg_min(i, _row), k"""
        ).fetchall()
    ]
    columns = ", ".join(f"json_extract_string(json, $k{i}) as {_q(k)}" for i, k in enumerate(keys))
    params = {f"k{i}": "$." + _q(k) for i, k in enumerate(keys)}
    conn.execute(
        f"create or replace temp table _file_data as select {columns + ', ' if columns else ''}"
        f"_row, json::varchar as _raw_row from _objects where json_type(json) = 'OBJECT' "
        "order by _row",
        params,
    )


def _read_json(conn: duckdb.DuckDBPyConnection, path: Path, records: str | None) -> FileTable:
    _create_rejects(conn)
    with utf8_source(path) as src:
        if _is_ndjson(src):
            conn.execute(
                """create or replace temp table _lines as
                select row_number() over () as _row, line from read_csv($path,
                    columns = {'line': 'VARCHAR'}, header = false, delim = $delim, quote = '',
                    escape = '', auto_detect = false, strict_mode = false,
                    max_line_size = $max_line, buffer_size = $buffer)
                where trim(line) <> ''""",
                {
                    "path": str(src),
                    "delim": _LINE_DELIMITER,
                    "max_line": _MAX_LINE_BYTES,
                    "buffer": 2 * _MAX_LINE_BYTES,
                },
            )
            # A line that is not JSON is quarantined with its text, never silently skipped.
            conn.execute(
                "insert into _file_rejects select _row, 'not valid JSON', line "
                "from _lines where not coalesce(json_valid(line), false)"
            )
            conn.execute(
                "create or replace temp table _objects as select _row, json(line) as json "
                "from _lines where coalesce(json_valid(line), false)"
            )
            conn.execute("drop table _lines")
        else:
            conn.execute(
                "create or replace temp table _objects as "
                "select row_number() over () as _row, json from read_json_objects($path, "
                "format = 'auto', maximum_object_size = $max)",
                {"path": str(src), "max": _MAX_JSON_OBJECT_BYTES},
            )
    if records:
        _unwrap_records(conn, records)
    _objects_to_file(conn)
    conn.execute("drop table _objects")
    conn.execute("create or replace temp view _file as select * from _file_data")
    (rejects,) = conn.execute("select count(*) from _file_rejects").fetchall()[0]
    return FileTable(_columns(conn), True, rejects)


def _unwrap_records(conn: duckdb.DuckDBPyConnection, records: str) -> None:
    """Replace wrapper objects ({"tickets": [...]}) in ``_objects`` by the records they hold."""
    conn.execute(
        """create or replace temp table _unwrapped as
        select row_number() over (order by _row, i) as _row, json from (
            select _row, generate_subscripts(json_extract(json, $all), 1) as i,
                   unnest(json_extract(json, $all)) as json
            from _objects where json_type(json, $p) = 'ARRAY'
            union all
            select _row, 0, json from _objects where coalesce(json_type(json, $p), '') <> 'ARRAY')""",
        {"p": "$." + _q(records), "all": "$." + _q(records) + "[*]"},
    )
    conn.execute("drop table _objects")
    conn.execute("alter table _unwrapped rename to _objects")


def _is_ndjson(path: Path) -> bool:
    """One JSON value per line (NDJSON/JSONL), as opposed to one array or pretty-printed object."""
    with path.open("rb") as f:
        head = f.read(_SNIFF_BYTES).lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"{"):
        return False
    first_line = head.split(b"\n", 1)[0].strip()
    if not (first_line.endswith(b"}") and (b"\n" in head or len(head) < _SNIFF_BYTES)):
        return False
    # API pages written back to back on one line ("{...}{...}") are documents, not a line each;
    # a first line that is broken otherwise is a bad NDJSON line (quarantined, the rest loads).
    try:
        json.loads(first_line)
    except ValueError as exc:
        return not str(exc).startswith("Extra data")
    return True


def _read_parquet(conn: duckdb.DuckDBPyConnection, path: Path) -> FileTable:
    _create_rejects(conn)
    schema = conn.execute(
        "describe select * from read_parquet($path)", {"path": str(path)}
    ).fetchall()
    # Nested values become JSON text so paths into them work like for JSON files.
    selects = ", ".join(
        f"to_json({_q(name)})::varchar as {_q(name)}"
        if any(t in str(typ) for t in ("STRUCT", "[]", "MAP"))
        else f"cast({_q(name)} as varchar) as {_q(name)}"
        for name, typ, *_ in schema
    )
    conn.execute(
        f"create or replace temp table _file_data as select {selects} from read_parquet($path)",
        {"path": str(path)},
    )
    base = _first_rowid(conn)
    conn.execute(
        f"create or replace temp view _file as select *, rowid - {base} + 1 as _row from _file_data"
    )
    return FileTable(_columns(conn), False, 0)


def _cell(value: object) -> str | None:
    """An XLSX cell as text the way a CSV export would have written it."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


def _read_xlsx(conn: duckdb.DuckDBPyConnection, path: Path) -> FileTable:
    from openpyxl import load_workbook  # imported here: only XLSX files need it

    _create_rejects(conn)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise UnreadableFileError(f"not a readable XLSX workbook: {exc}") from exc
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if not header:
            raise UnreadableFileError("the first sheet has no header row")
        columns = [_cell(v) or f"column{i + 1}" for i, v in enumerate(header)]
        defs = ", ".join(f"{_q(c)} varchar" for c in columns)
        conn.execute(f"create or replace temp table _file_data ({defs}, _row bigint)")
        schema = pa.schema([(c, pa.string()) for c in columns] + [("_row", pa.int64())])
        n = 0
        chunk: list[list[str | None]] = []
        for values in rows:
            if values is None or all(v is None for v in values):
                continue  # openpyxl reports formatted-but-empty rows; they hold nothing
            n += 1
            cells = [_cell(v) for v in values[: len(columns)]]
            chunk.append(cells + [None] * (len(columns) - len(cells)) + [n])
            if len(chunk) >= _XLSX_CHUNK_ROWS:
                _append_chunk(conn, chunk, schema)
                chunk = []
        if chunk:
            _append_chunk(conn, chunk, schema)
    finally:
        workbook.close()
    conn.execute("create or replace temp view _file as select * from _file_data")
    return FileTable(columns, False, 0)


def _append_chunk(
    conn: duckdb.DuckDBPyConnection, chunk: list[list[str | None]], schema: pa.Schema
) -> None:
    batch = pa.Table.from_arrays(
        [pa.array([row[i] for row in chunk], type=f.type) for i, f in enumerate(schema)],
        schema=schema,
    )
    conn.register("_xlsx_chunk", batch)
    conn.execute("insert into _file_data select * from _xlsx_chunk")
    conn.unregister("_xlsx_chunk")


def drop_file_tables(conn: duckdb.DuckDBPyConnection) -> None:
    """Drop what ``read_file`` created."""
    conn.execute("drop view if exists _file")
    for table in ("_file_data", "_file_rejects", "_gaps", "_csv_errors", "_csv_scans"):
        conn.execute(f"drop table if exists {table}")


def read_file(
    conn: duckdb.DuckDBPyConnection, path: Path, records: str | None = None, stream: bool = False
) -> FileTable:
    """Read ``path`` into temp tables ``_file`` and ``_file_rejects`` (see the module doc).

    ``records`` names the key that holds the records in a wrapped JSON export. With ``stream``,
    a UTF-8 CSV file is not copied: select from ``relation`` once, then call ``finish_stream``.
    Raises UnreadableFileError (or a duckdb.Error) when the file cannot be parsed at all.
    """
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        streamed = _stream_csv(conn, path) if stream else None
        return streamed or _read_csv(conn, path)
    if suffix in JSON_SUFFIXES:
        return _read_json(conn, path, records)
    if suffix == ".parquet":
        return _read_parquet(conn, path)
    if suffix == ".xlsx":
        return _read_xlsx(conn, path)
    raise UnreadableFileError(
        f"unsupported file type {suffix!r} (expected one of {', '.join(SUPPORTED_SUFFIXES)})"
    )


def peek_columns(path: Path) -> dict[str | None, list[str]]:
    """The columns of a file's records without reading it all, for recognizing its shape.

    Keyed by the records key: None for the file's own records, and for a wrapped JSON export
    (``{"tickets": [...]}``) also each key whose value is an array of objects.
    """
    suffix = path.suffix.lower()
    conn = duckdb.connect()
    try:
        if suffix in CSV_SUFFIXES:
            with utf8_source(
                path, limit=None if sniff_encoding(path) == "utf-8" else _SNIFF_BYTES
            ) as src:
                return {None: _csv_header(conn, src)}
        if suffix == ".parquet":
            rel = conn.execute("select * from read_parquet($path) limit 0", {"path": str(path)})
            return {None: [d[0] for d in rel.description]}
        if suffix == ".xlsx":
            table = _read_xlsx_header(path)
            return {None: table}
        if suffix in JSON_SUFFIXES:
            return _peek_json(conn, path)
        raise UnreadableFileError(f"unsupported file type {suffix!r}")
    finally:
        conn.close()


def _csv_header(conn: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    """The columns DuckDB's sniffer finds; with the default line limit first (it sniffs three
    times faster), with ``_MAX_LINE_BYTES`` when a line of the sample is longer."""
    sql = (
        "select * from read_csv($path, all_varchar = true, header = true, "
        "auto_detect = true, ignore_errors = true{}) limit 0"
    )
    try:
        rel = conn.execute(sql.format(""), {"path": str(path)})
    except duckdb.Error:
        try:
            rel = conn.execute(
                sql.format(", max_line_size = $max_line"),
                {"path": str(path), "max_line": _MAX_LINE_BYTES},
            )
        except duckdb.InvalidInputException:
            # Too messy for the sniffer: the header line itself, as the whole-file read falls
            # back to, still says which export this is.
            return list(_header_columns(path))
    return [d[0] for d in rel.description]


def _read_xlsx_header(path: Path) -> list[str]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise UnreadableFileError(f"not a readable XLSX workbook: {exc}") from exc
    try:
        header = next(workbook.worksheets[0].iter_rows(values_only=True, max_row=1), None) or ()
        return [_cell(v) or f"column{i + 1}" for i, v in enumerate(header)]
    finally:
        workbook.close()


def _peek_json(conn: duckdb.DuckDBPyConnection, path: Path) -> dict[str | None, list[str]]:
    with utf8_source(path) as src:
        if _is_ndjson(src):
            with src.open("rb") as f:
                first = f.readline().decode("utf-8", errors="replace")
            rows = conn.execute("select json($j)", {"j": first}).fetchall()
        else:
            rows = conn.execute(
                "select json from read_json_objects($path, format = 'auto', "
                "maximum_object_size = $max) limit 1",
                {"path": str(src), "max": _MAX_JSON_OBJECT_BYTES},
            ).fetchall()
    if not rows:
        return {None: []}
    obj = rows[0][0]
    shapes: dict[str | None, list[str]] = {None: _record_keys(conn, obj)}
    for key in [k for k in shapes[None] if "." not in k]:
        item = conn.execute(
            "select json_extract($o, $p) where json_type($o, $p0) = 'ARRAY' "
            "and json_type(json_extract($o, $p)) = 'OBJECT'",
            {"o": obj, "p": "$." + _q(key) + "[0]", "p0": "$." + _q(key)},
        ).fetchall()
        if item:
            shapes[key] = _record_keys(conn, item[0][0])
    return shapes


def _record_keys(conn: duckdb.DuckDBPyConnection, obj: str) -> list[str]:
    """A JSON record's keys, and ``key.inner`` for each key holding an object: APIs wrap their
    fields (HubSpot's CRM objects keep theirs in ``properties``), so shapes are told apart by
    what is inside."""
    keys = conn.execute(
        "select coalesce(json_keys($o), []) from (select 1) where json_type($o) = 'OBJECT'",
        {"o": obj},
    ).fetchall()
    out = list(keys[0][0]) if keys else []
    for key in list(out):
        inner = conn.execute(
            "select json_keys(json_extract($o, $p)) where json_type($o, $p) = 'OBJECT'",
            {"o": obj, "p": "$." + _q(key)},
        ).fetchall()
        if inner:
            out += [f"{key}.{k}" for k in inner[0][0]]
    return out
