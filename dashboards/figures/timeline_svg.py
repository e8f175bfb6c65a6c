"""The account timeline as static SVG, for the printable session pack.

The pack is printed offline by headless Chromium and must read well on paper, so its chart is
plain SVG written here (no JavaScript, nothing fetched): the same weekly points
(``timeline.points``) and event lanes (``timeline.EVENT_LANES``) as the page's plotly chart.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

import pandas as pd

from dashboards.figures.colors import emotion_color, emotion_order
from dashboards.figures.timeline import EVENT_LANES, NO_TIMELINE, marker_size, points

WIDTH, HEIGHT = 700, 250
LEFT, RIGHT, TOP = 70, 12, 26
PLOT_BOTTOM = 140  # sentiment area: TOP..PLOT_BOTTOM; lanes below, then the month axis
LANE_HEIGHT = 18
FONT = "font-family:system-ui,Arial,sans-serif;font-size:10px;fill:#374151"


def timeline_svg(weeks: pd.DataFrame, events: pd.DataFrame) -> str:
    """An ``<svg>`` element (a string) showing the account's timeline.

    >>> svg = timeline_svg(pd.DataFrame({"week_start": [pd.Timestamp("2024-03-04")],
    ...     "mean_sentiment": [0.5], "dominant_emotion": ["delight"], "customer_messages": [2]}),
    ...     pd.DataFrame({"at": [pd.Timestamp("2024-03-06")], "kind": ["demo"], "label": ["demo"]}))
    >>> svg.startswith("<svg") and "delight" in svg and "Demos" in svg
    True
    """
    week_points = points(weeks)
    stamps = [p.week_start for p in week_points]
    if not events.empty:
        stamps += [pd.Timestamp(t) for t in events["at"]]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline-svg" width="{WIDTH}" '
        f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        'aria-label="Emotional timeline">',
        f'<text x="0" y="12" style="{FONT};font-weight:600">Emotional timeline</text>',
    ]
    if not stamps:
        parts.append(f'<text x="{LEFT}" y="80" style="{FONT}">{escape(NO_TIMELINE)}</text>')
        return "".join(parts) + "</svg>"
    first, last = min(stamps), max(stamps)
    span = max((last - first).total_seconds(), 7 * 86400.0)

    def x_of(stamp: pd.Timestamp) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * (pd.Timestamp(stamp) - first).total_seconds() / span

    def y_of(sentiment: float) -> float:
        return TOP + (PLOT_BOTTOM - TOP) * (1 - (max(-1.0, min(1.0, sentiment)) + 1) / 2)

    # Axes: sentiment -1..1 with a zero line, lanes, months.
    for value in (-1.0, 0.0, 1.0):
        y = y_of(value)
        stroke = "#d1d5db" if value == 0 else "#f3f4f6"
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="{stroke}"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 3:.1f}" text-anchor="end" style="{FONT}">'
            f"{value:+.0f}</text>"
        )
    parts.append(f'<text x="8" y="{(TOP + PLOT_BOTTOM) / 2:.0f}" style="{FONT}">sentiment</text>')
    if week_points:
        path = " ".join(f"{x_of(p.week_start):.1f},{y_of(p.sentiment):.1f}" for p in week_points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#9ca3af" stroke-width="1.2"/>')
        for p in week_points:
            parts.append(
                f'<circle cx="{x_of(p.week_start):.1f}" cy="{y_of(p.sentiment):.1f}" '
                f'r="{marker_size(p.messages) / 2:.1f}" fill="{emotion_color(p.emotion)}" '
                f'stroke="#fff" stroke-width="0.8"/>'
            )
    lane_top = PLOT_BOTTOM + 10
    for index, (kind, (lane, _symbol, color)) in enumerate(EVENT_LANES.items()):
        y = lane_top + index * LANE_HEIGHT + LANE_HEIGHT / 2
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 3:.1f}" text-anchor="end" style="{FONT}">{lane}</text>'
        )
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#f3f4f6"/>'
        )
        chosen = events[events["kind"] == kind] if not events.empty else events
        for at in chosen["at"] if not chosen.empty else []:
            x = x_of(at)
            if kind == "stage":
                parts.append(
                    f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{y:.1f}" stroke="#9ca3af" '
                    'stroke-dasharray="2,3"/>'
                )
            parts.append(
                f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{color}" '
                f'transform="rotate(45 {x:.1f} {y:.1f})"/>'
            )
    axis_y = lane_top + len(EVENT_LANES) * LANE_HEIGHT + 12
    for stamp in _month_ticks(first, last):
        parts.append(
            f'<text x="{x_of(stamp):.1f}" y="{axis_y}" text-anchor="middle" style="{FONT}">'
            f"{stamp:%b %y}</text>"
        )
    legend_x = 130
    for emotion in emotion_order([p.emotion for p in week_points]):
        parts.append(
            f'<circle cx="{legend_x}" cy="8" r="4" fill="{emotion_color(emotion)}"/>'
            f'<text x="{legend_x + 7}" y="11" style="{FONT}">{escape(emotion)}</text>'
        )
        legend_x += 14 + 6 * len(emotion)
    return "".join(parts) + "</svg>"


def _month_ticks(first: pd.Timestamp, last: pd.Timestamp, most: int = 8) -> list[datetime]:
    """First days of months between ``first`` and ``last``, thinned to at most ``most``.

    >>> [f"{t:%Y-%m}" for t in _month_ticks(pd.Timestamp("2024-01-15"), pd.Timestamp("2024-04-02"))]
    ['2024-02', '2024-03', '2024-04']
    """
    months = list(pd.date_range(first.to_period("M").to_timestamp(), last, freq="MS"))
    months = [m for m in months if m >= first] or [first]
    step = max(1, -(-len(months) // most))
    return months[::step]
