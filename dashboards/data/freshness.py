"""When the snapshot was published (``meta.snapshot``, else the file's modification time)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from dashboards.data.connection import ServingUnavailable, query_per_snapshot


def published_at(serving_db: Path) -> datetime | None:
    """The publish time in UTC, or None when nothing is published."""
    path = Path(serving_db)
    if not path.is_file():
        return None
    try:
        frame = query_per_snapshot(
            path, "select max(published_at) as published_at from meta.snapshot"
        )
        value = frame["published_at"].iloc[0]
        if value is not None and str(value) != "NaT":
            stamp = value.to_pydatetime() if hasattr(value, "to_pydatetime") else value
            return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)
    except ServingUnavailable:
        pass
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
