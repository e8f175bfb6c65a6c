"""Streaming writers, one per file format, all driven by the contract's column types.

Rows arrive as tuples in contract column order holding Python values: timestamps as integer
seconds since 1970-01-01 (UTC, naive), dates as `datetime.date`, booleans, numbers, None. A `str`
in a typed column is written as is, which is how deliberately malformed rows get through.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from dagster_project.lib.contract import Entity

_EPOCH = datetime(1970, 1, 1)


@lru_cache(maxsize=8192)
def _day(days: int) -> str:
    return (_EPOCH + timedelta(days=days)).strftime("%Y-%m-%d")


def fmt_ts(value: Any) -> str:
    """Seconds since the epoch → 'YYYY-MM-DD HH:MM:SS'; None → ''; str passes through.

    >>> fmt_ts(0), fmt_ts(86399 + 86400), fmt_ts(None), fmt_ts("not a date")
    ('1970-01-01 00:00:00', '1970-01-02 23:59:59', '', 'not a date')
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    days, rest = divmod(value, 86400)
    h, rest = divmod(rest, 3600)
    m, s = divmod(rest, 60)
    return f"{_day(days)} {h:02d}:{m:02d}:{s:02d}"


def to_seconds(d: date | datetime) -> int:
    if not isinstance(d, datetime):
        d = datetime(d.year, d.month, d.day)
    return int((d - _EPOCH).total_seconds())


def _fmt_date(value: Any) -> str:
    return "" if value is None else value if isinstance(value, str) else value.isoformat()


def _fmt_bool(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else ("true" if value else "false")


def _fmt_number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def _fmt_text(value: Any) -> str:
    return "" if value is None else value


_TEXT_FORMATS: dict[str, Callable[[Any], str]] = {
    "TIMESTAMP": fmt_ts,
    "DATE": _fmt_date,
    "BOOLEAN": _fmt_bool,
    "DOUBLE": _fmt_number,
    "INTEGER": _fmt_number,
    "BIGINT": _fmt_number,
}


def _json_value(sql_type: str) -> Callable[[Any], Any]:
    if sql_type == "TIMESTAMP":
        return lambda v: None if v is None else fmt_ts(v)
    if sql_type == "DATE":
        return lambda v: None if v is None else _fmt_date(v)
    if sql_type == "DOUBLE":
        return lambda v: round(v, 2) if isinstance(v, float) else v
    return lambda v: v


class EntityWriter:
    """Base: counts rows and closes its file."""

    def __init__(self, entity: Entity, path: Path) -> None:
        self.entity = entity
        self.path = path
        self.rows = 0

    def write(self, rows: Iterable[tuple]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class CsvWriter(EntityWriter):
    def __init__(self, entity: Entity, path: Path) -> None:
        super().__init__(entity, path)
        # newline='' lets the csv module quote embedded newlines itself (RFC 4180).
        self._fh: IO[str] = path.open("w", encoding="utf-8", newline="")
        self._csv = csv.writer(self._fh, lineterminator="\n")
        self._csv.writerow(entity.column_names)
        self._fmts = [_TEXT_FORMATS.get(c.sql_type, _fmt_text) for c in entity.columns]

    def write(self, rows: Iterable[tuple]) -> None:
        fmts = self._fmts
        out = [[f(v) for f, v in zip(fmts, row, strict=True)] for row in rows]
        self._csv.writerows(out)
        self.rows += len(out)

    def close(self) -> None:
        self._fh.close()


class JsonArrayWriter(EntityWriter):
    """A JSON array of objects, written element by element so it never sits in memory."""

    def __init__(self, entity: Entity, path: Path) -> None:
        super().__init__(entity, path)
        self._fh: IO[str] = path.open("w", encoding="utf-8")
        self._fh.write("[")
        self._conv = [(c.name, _json_value(c.sql_type)) for c in entity.columns]

    def write(self, rows: Iterable[tuple]) -> None:
        for row in rows:
            obj = {name: conv(v) for (name, conv), v in zip(self._conv, row, strict=True)}
            self._fh.write(
                ("\n" if self.rows == 0 else ",\n") + json.dumps(obj, ensure_ascii=False)
            )
            self.rows += 1

    def close(self) -> None:
        self._fh.write("\n]\n")
        self._fh.close()


class NdjsonWriter(EntityWriter):
    def __init__(self, entity: Entity, path: Path) -> None:
        super().__init__(entity, path)
        self._fh: IO[str] = path.open("w", encoding="utf-8")
        self._conv = [(c.name, _json_value(c.sql_type)) for c in entity.columns]

    def write(self, rows: Iterable[tuple]) -> None:
        for row in rows:
            obj = {name: conv(v) for (name, conv), v in zip(self._conv, row, strict=True)}
            self._fh.write(json.dumps(obj, ensure_ascii=False) + "\n")
            self.rows += 1

    def close(self) -> None:
        self._fh.close()


_ARROW_TYPES = {
    "VARCHAR": pa.string(),
    # Parquet has no second unit; milliseconds is what DuckDB and pandas read back as TIMESTAMP.
    "TIMESTAMP": pa.timestamp("ms"),
    "DOUBLE": pa.float64(),
    "INTEGER": pa.int32(),
    "BOOLEAN": pa.bool_(),
}


class ParquetWriter(EntityWriter):
    """Buffers columns and writes a row group every `batch_rows` rows, with native types."""

    def __init__(self, entity: Entity, path: Path, batch_rows: int = 250_000) -> None:
        super().__init__(entity, path)
        self._schema = pa.schema([(c.name, _ARROW_TYPES[c.sql_type]) for c in entity.columns])
        self._ts = [c.sql_type == "TIMESTAMP" for c in entity.columns]
        self._writer = pq.ParquetWriter(path, self._schema, compression="zstd")
        self._cols: list[list[Any]] = [[] for _ in entity.columns]
        self._batch_rows = batch_rows
        self._buffered = 0

    def write(self, rows: Iterable[tuple]) -> None:
        cols = self._cols
        for row in rows:
            for col, v in zip(cols, row, strict=True):
                col.append(v)
            self._buffered += 1
        if self._buffered >= self._batch_rows:
            self._flush()

    def _flush(self) -> None:
        if not self._buffered:
            return
        arrays = [
            pa.array([v * 1000 for v in col] if ts else col, type=field.type)
            for col, ts, field in zip(self._cols, self._ts, self._schema, strict=True)
        ]
        self._writer.write_table(pa.Table.from_arrays(arrays, schema=self._schema))
        self.rows += self._buffered
        self._cols = [[] for _ in self._cols]
        self._buffered = 0

    def close(self) -> None:
        self._flush()
        self._writer.close()


# File name and writer per entity, as the loader recognises them: `<entity>.<ext>`.
FORMATS: dict[str, tuple[str, type[EntityWriter]]] = {
    "accounts": ("csv", CsvWriter),
    "contacts": ("csv", CsvWriter),
    "interactions": ("csv", CsvWriter),
    "tickets": ("csv", CsvWriter),
    "surveys": ("csv", CsvWriter),
    "engagement_events": ("parquet", ParquetWriter),
    "deals": ("json", JsonArrayWriter),
    "account_events": ("csv", CsvWriter),
    "emotion_tags": ("ndjson", NdjsonWriter),
}
