"""Accounts ranked by churn risk, for the At risk page; and the risk score's backtest.

The list is the current state (``marts.fct_account_churn_risk``, one row per active account):
the shared account filters apply (segment, plan, region, lifecycle stage, owner), dates and
channel do not. Sorting and paging run in DuckDB; a page holds :data:`PAGE_SIZE` rows. The
recommended action is the account's open action of highest priority (``dashboards.data.actions``
decides what is open, the app state's decisions included).

At-risk MRR is the MRR of the accounts in the ``high`` churn-risk band (seed churn_risk_bands).
Rows leave masked for the caller's :class:`Policy`; agents list only their own accounts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from dashboards.data.actions import (
    ACCOUNT_SCOPE,
    OPEN_ACTIONS_CTE,
    PRIORITY_RANK_SQL,
    decided_params,
    scope_params,
    today_utc,
)
from dashboards.data.connection import query, query_per_snapshot
from dashboards.data.health_overrides import EFFECTIVE_BAND, EFFECTIVE_HEALTH
from dashboards.data.privacy import Policy, show_account, show_note, show_owner
from dashboards.filters import Filters
from dashboards.table_view import page_within

PAGE_SIZE = 25
AT_RISK_BAND = "high"

# Sortable columns: the key a page sends -> the SQL it sorts by (constants; never user text).
SORTS: dict[str, str] = {
    "risk": "r.churn_risk_higher_riskier",
    "mrr": "r.mrr",
    "renewal": "r.renewal_date",
    "health": EFFECTIVE_HEALTH,
    "account": "r.account_name",
}
DEFAULT_SORT = ("risk", True)

_FROM = f"""
from marts.fct_account_churn_risk r
left join marts.dim_accounts a on a.account_id = r.account_id
where {ACCOUNT_SCOPE}
"""

_RECOMMENDED_CTE = f"""
recommended as (
    select
        q.account_id,
        arg_min(q.action_label, {PRIORITY_RANK_SQL}::varchar || q.due_date::varchar || q.action_type)
            as action_label,
        count(*) as open_actions
    from open_actions q
    group by q.account_id
)
"""


def _page_sql(column: str, direction: str) -> str:
    return f"""
with {OPEN_ACTIONS_CTE}, {_RECOMMENDED_CTE}
select
    r.account_id, r.account_name, r.owner, r.plan, r.region, r.lifecycle_stage, r.mrr,
    r.renewal_date, r.current_emotion, r.churn_risk_higher_riskier, r.churn_risk_band,
    r.reason_1, r.reason_2, r.reason_3,
    {EFFECTIVE_HEALTH} as health, {EFFECTIVE_BAND} as health_band,
    {EFFECTIVE_HEALTH} is distinct from h.health_higher_healthier as health_overridden,
    rec.action_label, coalesce(rec.open_actions, 0) as open_actions
from marts.fct_account_churn_risk r
left join marts.dim_accounts a on a.account_id = r.account_id
left join marts.fct_account_health h on h.account_id = r.account_id
left join recommended rec on rec.account_id = r.account_id
where {ACCOUNT_SCOPE}
order by {column} {direction} nulls last, r.account_id
limit $limit offset $offset
"""


# One statement per sort key and direction, written once: no text from a request reaches SQL.
_PAGE_SQL = {
    (key, descending): _page_sql(column, "desc" if descending else "asc")
    for key, column in SORTS.items()
    for descending in (True, False)
}

_SUMMARY_SQL = f"""
select
    count(*) as accounts,
    coalesce(sum(r.mrr), 0) as mrr,
    count(*) filter (where r.churn_risk_band = $band) as at_risk_accounts,
    coalesce(sum(r.mrr) filter (where r.churn_risk_band = $band), 0) as at_risk_mrr,
    coalesce(bool_or(r.churn_model = 'starting weights'), false) as starting_weights
{_FROM}
"""

COLUMNS = (
    "account_id",
    "account",
    "owner",
    "plan",
    "mrr",
    "renewal_date",
    "current_emotion",
    "churn_risk",
    "churn_risk_band",
    "reasons",
    "health",
    "health_band",
    "health_overridden",  # a person's override applies, not the computed score
    "recommended_action",
    "open_actions",
)


@dataclass(frozen=True)
class RiskSummary:
    accounts: int
    mrr: float
    at_risk_accounts: int
    at_risk_mrr: float
    # Scored by the starting weights: the warehouse cannot fit its own model yet.
    starting_weights: bool = False


@dataclass(frozen=True)
class RiskPage:
    rows: pd.DataFrame  # COLUMNS, masked for the policy
    summary: RiskSummary
    page: int
    pages: int


def at_risk_page(
    serving_db: Path,
    app_state_db: Path,
    filters: Filters,
    policy: Policy,
    *,
    sort: str = DEFAULT_SORT[0],
    descending: bool = DEFAULT_SORT[1],
    page: int = 0,
    page_size: int = PAGE_SIZE,
    today: date | None = None,
) -> RiskPage:
    """One sorted page of the accounts in the view, with the view's totals."""
    params = scope_params(filters, policy)
    row = query(serving_db, _SUMMARY_SQL, {**params, "band": AT_RISK_BAND}).iloc[0]
    summary = RiskSummary(
        accounts=int(row["accounts"]),
        mrr=float(row["mrr"]),
        at_risk_accounts=int(row["at_risk_accounts"]),
        at_risk_mrr=float(row["at_risk_mrr"]),
        starting_weights=bool(row["starting_weights"]),
    )
    page, pages = page_within(page, summary.accounts, page_size)
    rows = query(
        serving_db,
        _PAGE_SQL[(sort if sort in SORTS else DEFAULT_SORT[0], bool(descending))],
        {
            **params,
            **decided_params(app_state_db, today or today_utc()),
            "limit": page_size,
            "offset": page * page_size,
        },
    )
    return RiskPage(rows=_masked(rows, policy), summary=summary, page=page, pages=pages)


def _masked(rows: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    records = []
    for row in rows.astype(object).where(rows.notna(), None).itertuples(index=False):
        reasons = [r for r in (row.reason_1, row.reason_2, row.reason_3) if r]
        records.append(
            {
                "account_id": row.account_id,
                "account": show_account(policy, row.account_id, row.account_name),
                "owner": show_owner(policy, row.owner),
                "plan": row.plan,
                "mrr": row.mrr,
                "renewal_date": row.renewal_date,
                "current_emotion": row.current_emotion,
                "churn_risk": row.churn_risk_higher_riskier,
                "churn_risk_band": row.churn_risk_band,
                "reasons": [show_note(policy, r, owner=row.owner) for r in reasons],
                "health": row.health,
                "health_band": row.health_band,
                "health_overridden": bool(row.health_overridden),
                "recommended_action": row.action_label,
                "open_actions": int(row.open_actions),
            }
        )
    return pd.DataFrame.from_records(records, columns=list(COLUMNS))


# --- how good the score is ----------------------------------------------------------------------

_BACKTEST_SQL = """
select scorer, measure, bucket, bucket_order, n_rows, n_churned, value, observed_rate,
       predicted_rate, lift
from marts.agg_churn_risk_backtest
order by scorer, measure, bucket_order
"""

_BACKTEST_SPAN_SQL = """
select min(as_of_date) as first_date, max(as_of_date) as last_date,
       count(distinct account_id) as accounts, count(*) as rows
from marts.fct_churn_risk_backtest_scores
"""


def backtest(serving_db: Path) -> pd.DataFrame:
    """Every measure of ``marts.agg_churn_risk_backtest`` (no personal data in it)."""
    return query_per_snapshot(serving_db, _BACKTEST_SQL)


def backtest_span(serving_db: Path) -> pd.Series:
    """The backtest's dates, accounts and rows."""
    return query_per_snapshot(serving_db, _BACKTEST_SPAN_SQL).iloc[0]
