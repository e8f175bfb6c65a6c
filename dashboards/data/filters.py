"""The shared filters in SQL: one ``where`` fragment and its parameters, used by every query.

The fragment is a constant (no value is ever written into SQL); each filter is a parameter that
is empty (no filter) or a list. Account attributes come from ``marts.dim_accounts`` joined as
``a``; the fact's own date and channel columns are named by the caller's :class:`FactColumns`.
Owners travel as short hashes, never as e-mail addresses in the URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dashboards.data.connection import query_per_snapshot
from dashboards.data.privacy import Policy, show_owner
from dashboards.filters import DIMENSIONS, Filters
from dashboards.metrics import segment_label


@dataclass(frozen=True)
class FactColumns:
    date: str
    channel: str | None


INTERACTIONS = FactColumns(date="f.activity_date", channel="f.channel")
SURVEYS = FactColumns(date="f.response_date", channel=None)

# Owner ids in URLs: the first 12 hex digits of md5(owner), computed by DuckDB everywhere.
OWNER_ID_SQL = "left(md5(a.owner), 12)"

_ACCOUNT_FILTER = f"""
    (len($segment) = 0 or list_contains($segment, coalesce(a.emotional_segment, 'unassigned')))
    and (len($plan) = 0 or list_contains($plan, a.plan))
    and (len($region) = 0 or list_contains($region, a.region))
    and (len($lifecycle_stage) = 0 or list_contains($lifecycle_stage, a.lifecycle_stage))
    and (len($owner) = 0 or list_contains($owner, {OWNER_ID_SQL}))
"""


def where(columns: FactColumns, *, dates: bool = True) -> str:
    """The ``where`` body for a fact ``f`` left-joined to ``marts.dim_accounts a``."""
    parts = [_ACCOUNT_FILTER]
    if dates:
        parts.append(
            f"($start::date is null or {columns.date} >= $start::date) "
            f"and ($end::date is null or {columns.date} <= $end::date)"
        )
    if columns.channel:
        parts.append(f"(len($channel) = 0 or list_contains($channel, {columns.channel}))")
    return "\n and ".join(parts)


def params(filters: Filters, *, channel: bool = True) -> dict:
    """The parameters :func:`where` refers to (lists typed as text, empty for "all")."""
    out: dict = {"start": filters.start, "end": filters.end}
    for dimension in DIMENSIONS:
        if dimension == "channel" and not channel:
            continue
        out[dimension] = list(filters.values(dimension))
    return out


_OPTIONS_SQL = f"""
select 'segment' as dimension, coalesce(emotional_segment, 'unassigned') as value,
       count(*) as n, null as owner
from marts.dim_accounts a group by all
union all
select 'plan', plan, count(*), null from marts.dim_accounts a where plan is not null group by all
union all
select 'region', region, count(*), null from marts.dim_accounts a where region is not null
group by all
union all
select 'lifecycle_stage', lifecycle_stage, count(*), null from marts.dim_accounts a
where lifecycle_stage is not null group by all
union all
select 'owner', {OWNER_ID_SQL}, count(*), any_value(owner) from marts.dim_accounts a
where owner is not null group by all
union all
select 'channel', channel, sum(interactions), null from marts.agg_account_interactions_daily
where channel is not null group by all
"""


@dataclass(frozen=True)
class Option:
    label: str
    value: str


def options(serving_db: Path, policy: Policy) -> dict[str, list[Option]]:
    """Every value each filter can take, labelled for ``policy`` (owners' e-mails masked)."""
    rows = query_per_snapshot(serving_db, _OPTIONS_SQL)
    out: dict[str, list[Option]] = {d: [] for d in DIMENSIONS}
    for row in rows.itertuples(index=False):
        value = str(row.value)
        if row.dimension == "owner":
            label = show_owner(policy, row.owner) or value
        elif row.dimension == "segment":
            label = segment_label(value)
        else:
            label = value.replace("_", " ")
        out[row.dimension].append(Option(label=label, value=value))
    for dimension in out:
        out[dimension].sort(key=lambda o: o.label.lower())
    return out
