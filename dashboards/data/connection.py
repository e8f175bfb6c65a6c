"""A short-lived, read-only connection per query against ``serving.duckdb``."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd


class ServingUnavailable(RuntimeError):
    """The serving snapshot is missing or does not hold the tables a page needs."""


def is_published(serving_db: Path) -> bool:
    """Whether a serving snapshot file exists at all."""
    return Path(serving_db).is_file()


def query(serving_db: Path, sql: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Run one parameterised query on a fresh read-only connection and return a DataFrame.

    Raises :class:`ServingUnavailable` when the file is missing or a table is absent, so pages
    can show a message instead of a traceback.
    """
    path = Path(serving_db)
    if not path.is_file():
        raise ServingUnavailable(f"no serving snapshot at {path}")
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            return con.execute(sql, dict(params or {})).df()
    except (duckdb.CatalogException, duckdb.IOException, duckdb.ConnectionException) as exc:
        raise ServingUnavailable(f"serving snapshot {path} cannot be read: {exc}") from exc
