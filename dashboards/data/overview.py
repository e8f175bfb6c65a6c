"""Queries behind the Overview page (schema ``marts`` of the serving snapshot).

Every query applies the shared filters through ``dashboards.data.filters`` (dates inclusive on
both ends; account attributes from ``dim_accounts``). Totals are sums of counts, so the caller can
compute ratios over any range without averaging daily percentages. Survey responses have no
channel: the channel filter applies to interactions only.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

import pandas as pd

from dashboards.data import filters as sql_filters
from dashboards.data.connection import query, query_per_snapshot
from dashboards.filters import Filters

Grain = Literal["week", "month"]
NO_FILTERS = Filters()

_INTERACTIONS = """
from marts.agg_account_interactions_daily f
left join marts.dim_accounts a on a.account_id = f.account_id
where """ + sql_filters.where(sql_filters.INTERACTIONS)

_SURVEYS = """
from marts.agg_account_surveys_daily f
left join marts.dim_accounts a on a.account_id = f.account_id
where """ + sql_filters.where(sql_filters.SURVEYS)

_DATE_BOUNDS_SQL = """
with d as (
    select min(activity_date) as lo, max(activity_date) as hi
    from marts.agg_account_interactions_daily
    union all
    select min(response_date), max(response_date) from marts.agg_account_surveys_daily
)
select min(lo) as min_date, max(hi) as max_date from d
"""

# One scan per fact; each sum is 0 (not NULL) over an empty selection.
_TOTALS_SQL = f"""
with
surveys as (
    select
        coalesce(sum(responses) filter (where survey_type = 'nps'), 0) as nps_responses,
        coalesce(sum(promoters), 0) as promoters,
        coalesce(sum(detractors), 0) as detractors,
        coalesce(sum(responses) filter (where survey_type = 'csat'), 0) as csat_responses,
        coalesce(sum(satisfied_responses), 0) as satisfied
    {_SURVEYS}
),
mix as (
    select coalesce(sum(interactions), 0) as interactions,
           coalesce(sum(negative_interactions), 0) as negative
    {_INTERACTIONS}
)
select
    surveys.nps_responses::bigint as nps_responses,
    surveys.promoters::bigint as promoters,
    surveys.detractors::bigint as detractors,
    surveys.csat_responses::bigint as csat_responses,
    surveys.satisfied::bigint as satisfied_responses,
    mix.interactions::bigint as interactions,
    mix.negative::bigint as negative_interactions
from surveys, mix
"""

_EMOTION_MIX_SQL = f"""
select
    date_trunc($grain, f.activity_date)::date as period,
    f.emotion,
    sum(f.interactions)::bigint as interactions
{_INTERACTIONS}
group by all
order by period, f.emotion
"""

_CSAT_BY_EMOTION_SQL = f"""
select
    f.emotion,
    sum(f.responses)::bigint as responses,
    sum(f.satisfied_responses)::bigint as satisfied_responses,
    100.0 * sum(f.satisfied_responses) / nullif(sum(f.responses), 0) as csat_pct
{_SURVEYS}
  and f.survey_type = 'csat'
group by f.emotion
order by f.emotion
"""

_SEGMENT_COUNTS_SQL = (
    """
select coalesce(a.emotional_segment, 'unassigned') as segment, count(*)::bigint as accounts
from marts.dim_accounts a
where """
    + sql_filters.where(sql_filters.FactColumns(date="", channel=None), dates=False)
    + """
group by all
order by segment
"""
)


def date_bounds(serving_db: Path) -> tuple[date | None, date | None]:
    """First and last day with any interaction or survey data (``(None, None)`` when empty)."""
    row = query_per_snapshot(serving_db, _DATE_BOUNDS_SQL).iloc[0]
    return _as_date(row["min_date"]), _as_date(row["max_date"])


def kpi_totals(serving_db: Path, filters: Filters = NO_FILTERS) -> dict[str, int]:
    """Summed counts behind the NPS, CSAT and negative-share KPIs for the filtered view."""
    row = query(serving_db, _TOTALS_SQL, sql_filters.params(filters)).iloc[0]
    return {name: int(value) for name, value in row.items()}


def emotion_mix(
    serving_db: Path, filters: Filters = NO_FILTERS, grain: Grain = "week"
) -> pd.DataFrame:
    """Customer-authored interactions per period and emotion: ``period, emotion, interactions``.

    A week starts on Monday (DuckDB's ``date_trunc('week', ...)``).
    """
    if grain not in ("week", "month"):
        raise ValueError(f"grain must be 'week' or 'month', not {grain!r}")
    return query(serving_db, _EMOTION_MIX_SQL, {**sql_filters.params(filters), "grain": grain})


def csat_by_emotion(serving_db: Path, filters: Filters = NO_FILTERS) -> pd.DataFrame:
    """``emotion, responses, satisfied_responses, csat_pct`` for the filtered view."""
    return query(serving_db, _CSAT_BY_EMOTION_SQL, sql_filters.params(filters, channel=False))


def segment_counts(serving_db: Path, filters: Filters = NO_FILTERS) -> pd.DataFrame:
    """Accounts per emotional segment today: ``segment, accounts`` (account filters only)."""
    params = sql_filters.params(filters, channel=False)
    del params["start"], params["end"]
    return query(serving_db, _SEGMENT_COUNTS_SQL, params)


def _as_date(value: object) -> date | None:
    if value is None or pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value
    return pd.Timestamp(value).date()


def warm_up(serving_db: Path) -> None:
    """Run the Overview's first queries once, so a fresh worker's first visitor does not wait for
    the snapshot to be read from disk. Quiet when nothing is published."""
    from dashboards.data.connection import ServingUnavailable

    try:
        first_day, last_day = date_bounds(serving_db)
        everything = Filters(start=first_day, end=last_day)
        kpi_totals(serving_db, everything)
        emotion_mix(serving_db, everything, "month")
        csat_by_emotion(serving_db, everything)
        segment_counts(serving_db, everything)
    except ServingUnavailable:
        pass
