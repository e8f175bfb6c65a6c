"""The action queue for the Actions page: the open actions, people's decisions, the CRM exports.

An action is open as the published snapshot says (``marts.fct_action_queue``), unless someone has
decided on it since: the dashboard's own app state holds every decision the moment it is made,
the pipeline reads them back at its next run. Until then, this module applies the app state's
latest decision per action itself, so a done action leaves the queue at once. A snooze ends on its
day, whether or not a run has happened since.

A decided action (done, dismissed, snoozed) is listed with its decision, note, who and when, and
can be reopened: a ``reopened`` decision takes the earlier one back, so the action is open at
once here and after the next run in the mart.

Rows leave this module masked for the caller's :class:`Policy`; a policy limited to its own
accounts (agents) lists only the accounts it owns, and may decide only on those.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd

from dagster_project.lib.action_export import (
    HUBSPOT_COLUMNS,
    SALESFORCE_COLUMNS,
    OpenAction,
    hubspot_task_rows,
    salesforce_task_rows,
)
from dagster_project.lib.contract import ACTION_DECISIONS
from dashboards.data import app_state
from dashboards.data import filters as sql_filters
from dashboards.data.connection import query
from dashboards.data.privacy import Policy, show_account, show_note, show_owner
from dashboards.filters import Filters
from dashboards.table_view import page_within

REOPENED = "reopened"
# What a person decides on an open action (the contract's, what the pipeline loads back);
# ``reopened`` is taken only on a decided one (:func:`reopen`).
DECISIONS = tuple(d for d in ACTION_DECISIONS if d != REOPENED)
DECIDED_PAGE_SIZE = 25
MAX_NOTE_LENGTH = 500
PAGE_SIZE = 25

# The shared account filters (no dates, no channel: the queue is the current state) and the
# policy's own-accounts limit, on dim_accounts joined as ``a``.
ACCOUNT_SCOPE = (
    sql_filters.where(sql_filters.FactColumns(date="", channel=None), dates=False)
    + "\n and ($only_owner::varchar is null or a.owner = $only_owner::varchar)"
)

# The actions open now: the snapshot's status, overridden by a newer decision in the app state
# ($decided_ids with $decided_closed: whether that decision still holds today).
OPEN_ACTIONS_CTE = """
open_actions as (
    select q.*
    from marts.fct_action_queue q
    left join (
        select unnest($decided_ids::varchar[]) as action_id,
               unnest($decided_closed::boolean[]) as closed
    ) d on d.action_id = q.action_id
    where case
        when d.action_id is not null then not d.closed
        else q.status = 'open' or (q.status = 'snoozed' and q.snoozed_until <= $today::date)
    end
)
"""

# The complement of OPEN_ACTIONS_CTE: the actions a decision closes today, with when it was
# decided ($decided_at: the app state's latest decision time per action).
CLOSED_ACTIONS_CTE = """
closed_actions as (
    select q.*, coalesce(d.decided_at::timestamp, q.decided_at) as last_decided_at
    from marts.fct_action_queue q
    left join (
        select unnest($decided_ids::varchar[]) as action_id,
               unnest($decided_closed::boolean[]) as closed,
               unnest($decided_at::varchar[]) as decided_at
    ) d on d.action_id = q.action_id
    where case
        when d.action_id is not null then d.closed
        else q.status in ('done', 'dismissed')
            or (q.status = 'snoozed' and q.snoozed_until > $today::date)
    end
)
"""

PRIORITY_RANK_SQL = "case q.priority when 'high' then 0 when 'medium' then 1 else 2 end"

_FROM = f"""
with {OPEN_ACTIONS_CTE}
select
    q.action_id, q.account_id, q.account_name, q.action_type, q.action_label, q.reason,
    q.evidence, q.owner as action_owner, a.owner as account_owner, q.priority, q.task_type,
    q.due_date, q.mrr, q.churn_risk_higher_riskier
from open_actions q
left join marts.dim_accounts a on a.account_id = q.account_id
where {ACCOUNT_SCOPE}
"""
_ORDER = f"order by {PRIORITY_RANK_SQL}, q.due_date, q.churn_risk_higher_riskier desc nulls last, q.account_id, q.action_id"

_PAGE_SQL = f"{_FROM}\n{_ORDER}\nlimit $limit offset $offset"
_ALL_SQL = f"{_FROM}\n{_ORDER}"
_COUNT_SQL = f"select count(*) as actions, count(distinct account_id) as accounts from ({_FROM})"

_DECIDED_FROM = f"""
with {CLOSED_ACTIONS_CTE}
select
    q.action_id, q.account_id, q.account_name, q.action_label, q.reason,
    q.decision, q.decision_note, q.decided_by, q.decided_at, q.snoozed_until, q.last_decided_at,
    a.owner as account_owner
from closed_actions q
left join marts.dim_accounts a on a.account_id = q.account_id
where {ACCOUNT_SCOPE}
"""
_DECIDED_SQL = (
    f"{_DECIDED_FROM}\norder by q.last_decided_at desc nulls last, q.action_id\n"
    "limit $limit offset $offset"
)
_DECIDED_COUNT_SQL = f"select count(*) as actions from ({_DECIDED_FROM})"

_ACTION_SQL = """
select q.action_id, q.account_id
from marts.fct_action_queue q
left join marts.dim_accounts a on a.account_id = q.account_id
where q.action_id = $action_id
  and ($only_owner::varchar is null or a.owner = $only_owner::varchar)
"""

COLUMNS = (
    "action_id",
    "account_id",
    "account",
    "action_label",
    "reason",
    "evidence",
    "owner",
    "priority",
    "due_date",
)


DECIDED_COLUMNS = (
    "action_id",
    "account_id",
    "account",
    "action_label",
    "reason",
    "decision",
    "snoozed_until",
    "note",
    "decided_by",
    "decided_at",
    "earlier",  # the action's earlier decisions in the app state, newest first (e.g. a reopening)
)


class DecisionRefused(ValueError):
    """A decision that cannot be recorded, with the reason in words for the person."""


@dataclass(frozen=True)
class QueuePage:
    rows: pd.DataFrame  # COLUMNS, masked for the policy
    actions: int  # open actions in the whole view
    accounts: int
    page: int
    pages: int


def today_utc() -> date:
    return datetime.now(UTC).date()


def closes(decision: app_state.ActionDecision, today: date) -> bool:
    """Whether ``decision`` keeps its action out of the open queue on ``today``."""
    if decision.decision == "snoozed":
        return decision.snoozed_until is not None and decision.snoozed_until > today.isoformat()
    return decision.decision != REOPENED


def closed_params(app_state_db: Path, today: date) -> dict:
    """The app state's latest decision per action, as the parameters CLOSED_ACTIONS_CTE reads:
    the ids, whether each closes its action today, and when it was made."""
    latest = app_state.latest_action_decisions(app_state_db)
    return {
        "decided_ids": list(latest),
        "decided_closed": [closes(d, today) for d in latest.values()],
        "decided_at": [d.decided_at for d in latest.values()],
        "today": today,
    }


def decided_params(app_state_db: Path, today: date) -> dict:
    """The same, as OPEN_ACTIONS_CTE reads them (it needs no times)."""
    params = closed_params(app_state_db, today)
    del params["decided_at"]
    return params


def scope_params(filters: Filters, policy: Policy) -> dict:
    params = sql_filters.params(filters, channel=False)
    params.pop("start")
    params.pop("end")
    return {**params, "only_owner": policy.only_owner}


def _owner(policy: Policy, row) -> str | None:
    """The action's owner: the account's owner (a person: masked by policy) or a team's name."""
    if row.action_owner != row.account_owner:
        return row.action_owner
    return show_owner(policy, row.action_owner)


def _masked(rows: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    records = []
    for row in rows.astype(object).where(rows.notna(), None).itertuples(index=False):
        records.append(
            {
                "action_id": row.action_id,
                "account_id": row.account_id,
                "account": show_account(policy, row.account_id, row.account_name),
                "action_label": row.action_label,
                "reason": str(row.reason).replace("_", " "),
                "evidence": show_note(policy, row.evidence, owner=row.account_owner),
                "owner": _owner(policy, row),
                "priority": row.priority,
                "due_date": row.due_date,
            }
        )
    return pd.DataFrame.from_records(records, columns=list(COLUMNS))


def open_queue(
    serving_db: Path,
    app_state_db: Path,
    filters: Filters,
    policy: Policy,
    *,
    page: int = 0,
    page_size: int = PAGE_SIZE,
    today: date | None = None,
) -> QueuePage:
    """One page of the open actions in the view, highest priority and earliest due first."""
    params = {
        **scope_params(filters, policy),
        **decided_params(app_state_db, today or today_utc()),
    }
    counts = query(serving_db, _COUNT_SQL, params).iloc[0]
    actions = int(counts["actions"] or 0)
    page, pages = page_within(page, actions, page_size)
    rows = query(serving_db, _PAGE_SQL, {**params, "limit": page_size, "offset": page * page_size})
    return QueuePage(
        rows=_masked(rows, policy),
        actions=actions,
        accounts=int(counts["accounts"] or 0),
        page=page,
        pages=pages,
    )


def open_actions_for_export(
    serving_db: Path,
    app_state_db: Path,
    filters: Filters,
    policy: Policy,
    *,
    today: date | None = None,
) -> list[OpenAction]:
    """Every open action of the view, masked for ``policy``, as the CRM exports take them."""
    params = {
        **scope_params(filters, policy),
        **decided_params(app_state_db, today or today_utc()),
    }
    rows = query(serving_db, _ALL_SQL, params)
    out = []
    for row in rows.astype(object).where(rows.notna(), None).itertuples(index=False):
        out.append(
            OpenAction(
                action_id=row.action_id,
                account_id=row.account_id,
                account_name=show_account(policy, row.account_id, row.account_name),
                action_label=row.action_label,
                reason=row.reason,
                evidence=show_note(policy, row.evidence, owner=row.account_owner),
                owner=_owner(policy, row),
                priority=row.priority,
                task_type=row.task_type,
                due_date=pd.Timestamp(row.due_date).date(),
            )
        )
    return out


def tasks_csv(actions: list[OpenAction], crm: str) -> str:
    """The open actions as a CSV that HubSpot (``hubspot``) or Salesforce (``salesforce``)
    imports as tasks; the shapes are the pipeline's own (dagster_project.lib.action_export)."""
    if crm == "hubspot":
        rows, columns = hubspot_task_rows(actions), HUBSPOT_COLUMNS
    elif crm == "salesforce":
        rows, columns = salesforce_task_rows(actions), SALESFORCE_COLUMNS
    else:
        raise ValueError(f"unknown CRM {crm!r} (expected hubspot or salesforce)")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@dataclass(frozen=True)
class DecidedList:
    rows: pd.DataFrame  # DECIDED_COLUMNS, newest decision first, masked for the policy
    actions: int  # decided actions in the whole view
    page: int
    pages: int


def decided_actions(
    serving_db: Path,
    app_state_db: Path,
    filters: Filters,
    policy: Policy,
    *,
    page: int = 0,
    page_size: int = DECIDED_PAGE_SIZE,
    today: date | None = None,
) -> DecidedList:
    """One page of the view's decided actions (done, dismissed, snoozed), most recently decided
    first, each with its latest decision: what, the note, who and when (the app state's, else
    the snapshot's), and the decisions the app state holds from before it (e.g. a reopening and
    its note). A page past the end shows the last one."""
    latest = app_state.latest_action_decisions(app_state_db)
    params = {
        **scope_params(filters, policy),
        **closed_params(app_state_db, today or today_utc()),
    }
    actions = int(query(serving_db, _DECIDED_COUNT_SQL, params).iloc[0]["actions"] or 0)
    page, pages = page_within(page, actions, page_size)
    rows = query(
        serving_db, _DECIDED_SQL, {**params, "limit": page_size, "offset": page * page_size}
    )
    history: dict[str, list[app_state.ActionDecision]] = {}
    for d in app_state.action_decisions_of(app_state_db, list(rows["action_id"])):
        history.setdefault(d.action_id, []).append(_masked_decision(policy, d))
    records = []
    for row in rows.astype(object).where(rows.notna(), None).itertuples(index=False):
        mine = latest.get(row.action_id)
        decision = mine or app_state.ActionDecision(
            row.action_id,
            row.decision,
            _day(row.snoozed_until),
            row.decision_note,
            row.decided_by,
            None if row.decided_at is None else str(row.decided_at),
        )
        records.append(
            {
                "action_id": row.action_id,
                "account_id": row.account_id,
                "account": show_account(policy, row.account_id, row.account_name),
                "action_label": row.action_label,
                "reason": str(row.reason).replace("_", " "),
                "decision": decision.decision,
                "snoozed_until": decision.snoozed_until,
                "note": decision.note,
                "decided_by": show_owner(policy, decision.decided_by),
                "decided_at": str(decision.decided_at)[:16] if decision.decided_at else None,
                # The shown decision is the newest of the app state's, where it has any.
                "earlier": history.get(row.action_id, [])[1 if mine else 0 :],
            }
        )
    frame = pd.DataFrame.from_records(records, columns=list(DECIDED_COLUMNS))
    # None, not NaN, where a value is missing: the page writes what is there.
    return DecidedList(frame.astype(object).where(frame.notna(), None), actions, page, pages)


def _day(value) -> str | None:
    return None if value is None else str(value)[:10]


def last_decisions(
    app_state_db: Path, action_ids: list[str], policy: Policy
) -> dict[str, app_state.ActionDecision]:
    """The latest decision on each of these actions that has one (who masked for the policy):
    an open action's last word, e.g. a reopening's note or a snooze that ran out."""
    last: dict[str, app_state.ActionDecision] = {}
    for d in app_state.action_decisions_of(app_state_db, action_ids):  # newest first
        if d.action_id not in last:
            last[d.action_id] = _masked_decision(policy, d)
    return last


def _masked_decision(policy: Policy, d: app_state.ActionDecision) -> app_state.ActionDecision:
    """A decision as a person reads it: who masked for the policy, when to the minute."""
    return app_state.ActionDecision(
        d.action_id,
        d.decision,
        d.snoozed_until,
        d.note,
        show_owner(policy, d.decided_by) or "",
        d.decided_at[:16],
    )


def reopen(
    serving_db: Path,
    app_state_db: Path,
    policy: Policy,
    *,
    action_id: str,
    decided_by: str,
    note: str | None = None,
    now: datetime | None = None,
) -> app_state.ActionDecision:
    """Take back the decision on a decided action: it is open again at once, and after the next
    pipeline run in the mart. Refused for an action that is open, or that the snapshot does not
    hold or the policy may not see."""
    now = now or datetime.now(UTC)
    _published_account(serving_db, action_id, policy)
    closed = query(
        serving_db,
        f"with {CLOSED_ACTIONS_CTE} select count(*) as n from closed_actions "
        "where action_id = $action_id",
        {**closed_params(app_state_db, now.date()), "action_id": action_id},
    )
    if not int(closed.iloc[0]["n"]):
        raise DecisionRefused("this action is open already")
    return _record(
        serving_db, app_state_db, policy, action_id, REOPENED, decided_by, note, None, now
    )


def decide(
    serving_db: Path,
    app_state_db: Path,
    policy: Policy,
    *,
    action_id: str,
    decision: str,
    decided_by: str,
    note: str | None = None,
    snoozed_until: date | None = None,
    now: datetime | None = None,
) -> app_state.ActionDecision:
    """Record one person's decision on one published action in the app state.

    Refused (:class:`DecisionRefused`) for an unknown decision, an action the snapshot does not
    hold or the policy may not see, a snooze without a day after today, or a note too long.
    """
    now = now or datetime.now(UTC)
    if decision not in DECISIONS:
        raise DecisionRefused(f"unknown decision {decision!r} (expected {', '.join(DECISIONS)})")
    if decision == "snoozed":
        if snoozed_until is None:
            raise DecisionRefused("a snooze needs the day it ends (YYYY-MM-DD)")
        if snoozed_until <= now.date():
            raise DecisionRefused("a snooze must end after today")
    else:
        snoozed_until = None
    return _record(
        serving_db, app_state_db, policy, action_id, decision, decided_by, note, snoozed_until, now
    )


def _published_account(serving_db: Path, action_id: str, policy: Policy) -> str:
    """The account of a published action the policy may see; refused otherwise."""
    found = query(
        serving_db, _ACTION_SQL, {"action_id": action_id, "only_owner": policy.only_owner}
    )
    if found.empty:
        raise DecisionRefused("this action is not in the published queue for your accounts")
    return str(found["account_id"].iloc[0])


def _record(
    serving_db: Path,
    app_state_db: Path,
    policy: Policy,
    action_id: str,
    decision: str,
    decided_by: str,
    note: str | None,
    snoozed_until: date | None,
    now: datetime,
) -> app_state.ActionDecision:
    """Keep one decision on a published action the policy may see, with its note checked."""
    note = (note or "").strip() or None
    if note and len(note) > MAX_NOTE_LENGTH:
        raise DecisionRefused(f"the note is longer than {MAX_NOTE_LENGTH} characters")
    account_id = _published_account(serving_db, action_id, policy)
    # Microseconds: two decisions on one action never share the key the pipeline loads them by.
    decided_at = now.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    app_state.add_action_decision(
        app_state_db,
        action_id=action_id,
        account_id=account_id,
        decision=decision,
        decided_by=decided_by,
        decided_at=decided_at,
        snoozed_until=snoozed_until.isoformat() if snoozed_until else None,
        note=note,
    )
    return app_state.ActionDecision(
        action_id,
        decision,
        snoozed_until.isoformat() if snoozed_until else None,
        note,
        decided_by,
        decided_at,
    )
