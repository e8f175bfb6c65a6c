"""Queries on marts that a snapshot may not hold yet, and DataFrames as plain Python values."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboards.data.connection import ServingUnavailable, query, query_records


def query_optional(serving_db: Path, sql: str, params: dict) -> pd.DataFrame | None:
    """:func:`query`, or None when the snapshot lacks a table it reads (a mart published by a
    later version of the pipeline); a missing snapshot still raises ServingUnavailable."""
    if not Path(serving_db).is_file():
        raise ServingUnavailable(f"no serving snapshot at {serving_db}")
    try:
        return query(serving_db, sql, params)
    except ServingUnavailable:
        return None


def records_optional(serving_db: Path, sql: str, params: dict) -> list[dict] | None:
    """:func:`query_records`, or None when the snapshot lacks a table it reads (as
    :func:`query_optional`)."""
    if not Path(serving_db).is_file():
        raise ServingUnavailable(f"no serving snapshot at {serving_db}")
    try:
        return query_records(serving_db, sql, params)
    except ServingUnavailable:
        return None


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Python objects with None for missing values (pandas gives NaN/NaT).

    >>> plain(pd.DataFrame({"x": [1.0, None]}))["x"].tolist()
    [1.0, None]
    """
    return frame.astype(object).where(frame.notna(), None)
