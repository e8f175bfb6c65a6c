"""The line on every page saying when its data was refreshed, and warning when it is late."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from dash import html

from dashboards import ids
from dashboards.data.freshness import published_at
from dashboards.metrics import STALE_AFTER_HOURS, freshness
from dashboards.settings import int_setting


def freshness_line(serving_db: Path) -> html.Div:
    state = freshness(
        published_at(serving_db),
        datetime.now(UTC),
        int_setting("DASHBOARD_STALE_AFTER_HOURS", STALE_AFTER_HOURS),
    )
    return html.Div(
        state.text,
        id=ids.FRESHNESS,
        className="freshness stale" if state.stale else "freshness",
        role="alert" if state.stale else None,
    )
