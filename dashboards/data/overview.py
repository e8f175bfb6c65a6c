"""Queries behind the Overview page (schema ``marts`` of the serving snapshot).

Date filters are inclusive on both ends; ``None`` leaves that side open. Totals are sums of
counts, so the caller can compute ratios over any range without averaging daily percentages.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

import pandas as pd

from dashboards.data.connection import query

Grain = Literal["week", "month"]

_DATE_BOUNDS_SQL = """
with d as (
    select min(activity_date) as lo, max(activity_date) as hi from marts.agg_emotion_mix_daily
    union all
    select min(response_date), max(response_date) from marts.agg_nps_trend
    union all
    select min(response_date), max(response_date) from marts.agg_csat_by_emotion
)
select min(lo) as min_date, max(hi) as max_date from d
"""

# One scan per mart; each sum is 0 (not NULL) over an empty range.
_TOTALS_SQL = """
with
nps as (
    select coalesce(sum(responses), 0) as responses, coalesce(sum(promoters), 0) as promoters,
           coalesce(sum(detractors), 0) as detractors
    from marts.agg_nps_trend
    where ($start::date is null or response_date >= $start::date)
      and ($end::date is null or response_date <= $end::date)
),
csat as (
    select coalesce(sum(responses), 0) as responses,
           coalesce(sum(satisfied_responses), 0) as satisfied
    from marts.agg_csat_by_emotion
    where ($start::date is null or response_date >= $start::date)
      and ($end::date is null or response_date <= $end::date)
),
mix as (
    select coalesce(sum(interactions), 0) as interactions,
           coalesce(sum(negative_interactions), 0) as negative
    from marts.agg_emotion_mix_daily
    where ($start::date is null or activity_date >= $start::date)
      and ($end::date is null or activity_date <= $end::date)
)
select
    nps.responses::bigint as nps_responses,
    nps.promoters::bigint as promoters,
    nps.detractors::bigint as detractors,
    csat.responses::bigint as csat_responses,
    csat.satisfied::bigint as satisfied_responses,
    mix.interactions::bigint as interactions,
    mix.negative::bigint as negative_interactions
from nps, csat, mix
"""

_EMOTION_MIX_SQL = """
select
    date_trunc($grain, activity_date)::date as period,
    emotion,
    sum(interactions)::bigint as interactions
from marts.agg_emotion_mix_daily
where ($start::date is null or activity_date >= $start::date)
  and ($end::date is null or activity_date <= $end::date)
group by all
order by period, emotion
"""

_CSAT_BY_EMOTION_SQL = """
select
    emotion,
    sum(responses)::bigint as responses,
    sum(satisfied_responses)::bigint as satisfied_responses,
    100.0 * sum(satisfied_responses) / nullif(sum(responses), 0) as csat_pct
from marts.agg_csat_by_emotion
where ($start::date is null or response_date >= $start::date)
  and ($end::date is null or response_date <= $end::date)
group by emotion
order by emotion
"""

_SEGMENT_COUNTS_SQL = """
select coalesce(emotional_segment, 'unassigned') as segment, count(*)::bigint as accounts
from marts.dim_accounts
group by all
order by segment
"""


def _range(start: date | None, end: date | None) -> dict[str, date | None]:
    return {"start": start, "end": end}


def date_bounds(serving_db: Path) -> tuple[date | None, date | None]:
    """First and last day with any interaction or survey data (``(None, None)`` when empty)."""
    row = query(serving_db, _DATE_BOUNDS_SQL).iloc[0]
    return _as_date(row["min_date"]), _as_date(row["max_date"])


def kpi_totals(
    serving_db: Path, start: date | None = None, end: date | None = None
) -> dict[str, int]:
    """Summed counts behind the NPS, CSAT and negative-share KPIs for a date range."""
    row = query(serving_db, _TOTALS_SQL, _range(start, end)).iloc[0]
    return {name: int(value) for name, value in row.items()}


def emotion_mix(
    serving_db: Path,
    start: date | None = None,
    end: date | None = None,
    grain: Grain = "week",
) -> pd.DataFrame:
    """Customer-authored interactions per period and emotion: ``period, emotion, interactions``.

    A week starts on Monday (DuckDB's ``date_trunc('week', ...)``).
    """
    if grain not in ("week", "month"):
        raise ValueError(f"grain must be 'week' or 'month', not {grain!r}")
    return query(serving_db, _EMOTION_MIX_SQL, {**_range(start, end), "grain": grain})


def csat_by_emotion(
    serving_db: Path, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """``emotion, responses, satisfied_responses, csat_pct`` over a date range."""
    return query(serving_db, _CSAT_BY_EMOTION_SQL, _range(start, end))


def segment_counts(serving_db: Path) -> pd.DataFrame:
    """Accounts per emotional segment today: ``segment, accounts`` (no date filter)."""
    return query(serving_db, _SEGMENT_COUNTS_SQL)


def _as_date(value: object) -> date | None:
    if value is None or pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value
    return pd.Timestamp(value).date()
