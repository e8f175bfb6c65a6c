"""Read-only access to ``serving.duckdb``: one short-lived cursor per query.

Opening a DuckDB database costs 15–30 ms (a new database instance each time), far more than
the dashboard's queries, so each worker process keeps one instance per published snapshot
*file*, with the file attached read-only, and runs every query on a fresh cursor of it, closed
right after. The snapshot is known by its identity on disk (inode, size, modification time): the
publish step writes a new file and renames it into place, so the next query sees a new identity
and attaches the new file, with no restart; the old instance is let go (its file, already
unlinked, disappears with it). Holding a read-only handle never blocks publishing, which never
opens ``serving.duckdb`` for writing.

(Each instance is an in-memory database that attaches the file: ``duckdb.connect(path)`` would
hand back DuckDB's cached instance of the *old* file under the same path.)
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd


class ServingUnavailable(RuntimeError):
    """The serving snapshot is missing or does not hold the tables a page needs."""


_LOCK = threading.Lock()
# path -> (file identity, read-only database connection)
_OPEN: dict[str, tuple[tuple[int, int, int], duckdb.DuckDBPyConnection]] = {}


def is_published(serving_db: Path) -> bool:
    """Whether a serving snapshot file exists at all."""
    return Path(serving_db).is_file()


def snapshot_identity(serving_db: Path) -> tuple[int, int, int]:
    """What changes when a new snapshot is published: inode, size, modification time."""
    stat = Path(serving_db).stat()
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _database(path: Path) -> duckdb.DuckDBPyConnection:
    key = str(path)
    identity = snapshot_identity(path)
    with _LOCK:
        cached = _OPEN.get(key)
        if cached and cached[0] == identity:
            return cached[1]
        con = duckdb.connect(
            ":memory:",
            config={"autoinstall_known_extensions": False, "autoload_known_extensions": False},
        )
        con.execute("attach $path as snapshot (read_only)", {"path": key})
        _OPEN[key] = (identity, con)
        return con


def close_all() -> None:
    """Let go of every open snapshot (tests, and before a process forks)."""
    with _LOCK:
        for _, con in _OPEN.values():
            con.close()
        _OPEN.clear()


def query(serving_db: Path, sql: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Run one parameterised query on a fresh read-only cursor and return a DataFrame.

    Raises :class:`ServingUnavailable` when the file is missing or a table is absent, so pages
    can show a message instead of a traceback.
    """
    return _run(serving_db, sql, params, lambda cursor: cursor.df())


def query_records(
    serving_db: Path, sql: str, params: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """:func:`query`, as plain Python rows (None for NULL): for a few rows, building a DataFrame
    costs more than the query."""

    def records(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    return _run(serving_db, sql, params, records)


def _run(serving_db: Path, sql: str, params: Mapping[str, Any] | None, fetch: Callable) -> Any:
    path = Path(serving_db).absolute()
    if not path.is_file():
        raise ServingUnavailable(f"no serving snapshot at {path}")
    try:
        database = _database(path)
        with _LOCK:  # the parent connection is shared by the worker's threads
            cursor = database.cursor()
        try:
            cursor.execute("use snapshot")
            return fetch(cursor.execute(sql, dict(params or {})))
        finally:
            cursor.close()
    except FileNotFoundError as exc:  # replaced or removed between the check and the open
        raise ServingUnavailable(f"no serving snapshot at {path}") from exc
    except (duckdb.CatalogException, duckdb.IOException, duckdb.ConnectionException) as exc:
        raise ServingUnavailable(f"serving snapshot {path} cannot be read: {exc}") from exc


# Small answers that only change with the snapshot (date bounds, filter values, publish time),
# kept per worker for the snapshot file they came from.
_SNAPSHOT_CACHE: dict[tuple, pd.DataFrame] = {}
_SNAPSHOT_CACHE_SIZE = 64


def query_per_snapshot(
    serving_db: Path, sql: str, params: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """:func:`query`, answered once per published snapshot file (a new file, a new answer).

    Only for small results that depend on nothing but the snapshot; callers get a copy.
    """
    path = Path(serving_db).absolute()
    if not path.is_file():
        raise ServingUnavailable(f"no serving snapshot at {path}")
    key = (str(path), snapshot_identity(path), sql, tuple(sorted((params or {}).items())))
    with _LOCK:
        hit = _SNAPSHOT_CACHE.get(key)
    if hit is None:
        hit = query(path, sql, params)
        with _LOCK:
            if len(_SNAPSHOT_CACHE) >= _SNAPSHOT_CACHE_SIZE:
                _SNAPSHOT_CACHE.pop(next(iter(_SNAPSHOT_CACHE)))
            _SNAPSHOT_CACHE[key] = hit
    return hit.copy()
