"""KPI arithmetic and display formatting for the Overview (pure functions).

Every ratio is computed from summed counts over the selected range, never by averaging daily
percentages. Values are shown with one decimal; NPS carries its sign.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

# The emotional segments of ``marts.dim_accounts.emotional_segment``, healthiest first.
SEGMENTS: tuple[str, ...] = (
    "champion",
    "content",
    "at_risk",
    "frustrated",
    "disengaged",
    "churned",
)

NO_VALUE = "—"


def nps(promoters: int, detractors: int, responses: int) -> float | None:
    """Net Promoter Score, −100..100: (promoters − detractors) / responses × 100.

    >>> nps(5, 2, 10)
    30.0
    >>> nps(0, 0, 0) is None
    True
    """
    if responses <= 0:
        return None
    return 100 * (promoters - detractors) / responses


def percentage(part: int, whole: int) -> float | None:
    """``part / whole × 100``, or ``None`` when there is nothing to divide by.

    >>> percentage(1, 8)
    12.5
    >>> percentage(0, 0) is None
    True
    """
    if whole <= 0:
        return None
    return 100 * part / whole


def format_pct(value: float | None) -> str:
    """One decimal, no sign; a dash when there is no value.

    >>> format_pct(23.44), format_pct(100.0), format_pct(None)
    ('23.4', '100.0', '—')
    """
    if value is None:
        return NO_VALUE
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def format_nps(value: float | None) -> str:
    """One decimal with an explicit sign; exactly zero (after rounding) shows as ``0.0``.

    >>> format_nps(12.5), format_nps(-3.0), format_nps(-0.04), format_nps(None)
    ('+12.5', '-3.0', '0.0', '—')
    """
    if value is None:
        return NO_VALUE
    text = f"{value:+.1f}"
    return "0.0" if text in ("+0.0", "-0.0") else text


def format_count(n: int, noun: str) -> str:
    """A count with thousands separators and a singular or plural noun.

    >>> format_count(1, "response"), format_count(12345, "interaction")
    ('1 response', '12,345 interactions')
    """
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class OverviewKpis:
    """The displayed texts of the three range-driven KPI cards."""

    nps: str
    nps_count: str
    csat: str
    csat_count: str
    negative_share: str
    negative_share_count: str


def overview_kpis(totals: Mapping[str, int]) -> OverviewKpis:
    """Format the KPI cards from the summed counts of :func:`dashboards.data.overview.kpi_totals`.

    >>> k = overview_kpis({"nps_responses": 8, "promoters": 4, "detractors": 3,
    ...     "csat_responses": 3, "satisfied_responses": 2,
    ...     "interactions": 1000, "negative_interactions": 234})
    >>> (k.nps, k.nps_count, k.csat, k.negative_share, k.negative_share_count)
    ('+12.5', '8 responses', '66.7', '23.4', '1,000 interactions')
    """
    return OverviewKpis(
        nps=format_nps(nps(totals["promoters"], totals["detractors"], totals["nps_responses"])),
        nps_count=format_count(totals["nps_responses"], "response"),
        csat=format_pct(percentage(totals["satisfied_responses"], totals["csat_responses"])),
        csat_count=format_count(totals["csat_responses"], "response"),
        negative_share=format_pct(
            percentage(totals["negative_interactions"], totals["interactions"])
        ),
        negative_share_count=format_count(totals["interactions"], "interaction"),
    )


def segment_order(present: list[str] | tuple[str, ...]) -> list[str]:
    """The known segments in their fixed order, then any other value found in the data.

    >>> segment_order(["unassigned", "champion"])
    ['champion', 'content', 'at_risk', 'frustrated', 'disengaged', 'churned', 'unassigned']
    """
    extra = sorted(s for s in present if s not in SEGMENTS)
    return [*SEGMENTS, *extra]


def segment_label(segment: str) -> str:
    """Human label for a segment value.

    >>> segment_label("at_risk")
    'At risk'
    """
    return segment.replace("_", " ").capitalize()


def choose_grain(start: date | None, end: date | None) -> str:
    """Weekly buckets for up to about six months, monthly beyond that.

    >>> choose_grain(date(2024, 1, 1), date(2024, 3, 31))
    'week'
    >>> choose_grain(date(2023, 1, 1), date(2024, 3, 31))
    'month'
    """
    if start is None or end is None:
        return "week"
    return "week" if (end - start).days <= 183 else "month"


def format_day(day: date) -> str:
    """A day as leadership reads it.

    >>> format_day(date(2024, 2, 1))
    '1 Feb 2024'
    """
    return f"{day.day} {day:%b %Y}"


# The nightly run starts at 02:00 and takes minutes; a snapshot older than a day plus this grace
# means a night was missed (``DASHBOARD_STALE_AFTER_HOURS`` overrides the total).
STALE_AFTER_HOURS = 26


def freshness(published_at: datetime | None, now: datetime, stale_after_hours: int) -> Freshness:
    """What the freshness line says about a snapshot published at ``published_at``.

    >>> from datetime import UTC, timedelta
    >>> now = datetime(2024, 3, 2, 9, 0, tzinfo=UTC)
    >>> freshness(datetime(2024, 3, 2, 2, 10, tzinfo=UTC), now, 26).text
    'Data refreshed 2024-03-02 02:10 UTC (6 hours ago)'
    >>> f = freshness(datetime(2024, 2, 28, 2, 10, tzinfo=UTC), now, 26)
    >>> f.stale, f.text
    (True, 'Data refreshed 2024-02-28 02:10 UTC (3 days ago) — older than the nightly refresh promises (every night at 02:00); the last runs may have failed.')
    >>> [freshness(now - timedelta(minutes=m), now, 26).text.split("(")[1] for m in (0, 1, 2, 60)]
    ['just now)', '1 minute ago)', '2 minutes ago)', '1 hour ago)']
    >>> freshness(None, now, 26).stale
    True
    """
    if published_at is None:
        return Freshness("No data published yet.", True)
    age = now - published_at
    hours = age.total_seconds() / 3600
    minutes = max(0, int(age.total_seconds() // 60))
    if minutes == 0:
        ago = "just now"
    elif hours < 1:
        ago = f"{_units(minutes, 'minute')} ago"
    elif hours < 48:
        ago = f"{_units(int(hours), 'hour')} ago"
    else:
        ago = f"{_units(int(hours // 24), 'day')} ago"
    text = f"Data refreshed {published_at.strftime('%Y-%m-%d %H:%M')} UTC ({ago})"
    stale = hours > stale_after_hours
    if stale:
        text += (
            " — older than the nightly refresh promises (every night at 02:00); "
            "the last runs may have failed."
        )
    return Freshness(text, stale)


def _units(n: int, unit: str) -> str:
    return f"{n} {unit}{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class Freshness:
    text: str
    stale: bool
