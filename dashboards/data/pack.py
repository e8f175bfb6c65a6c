"""The session pack's data: which accounts to suggest, and everything printed per account.

A session walks through 3–5 accounts; the page suggests a mix (a recently churned account, a
high-engagement one, one whose behaviour changed, one in onboarding). A suggestion kind whose
mart is not published yet falls back to ``dim_accounts`` where it can, else is left empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dashboards.data import account as account_data
from dashboards.data.account import (
    AccountProfile,
    ChurnCue,
    InteractionView,
    Observation,
    Timeline,
)
from dashboards.data.connection import query
from dashboards.data.optional import plain, query_optional
from dashboards.data.privacy import Policy, show_account

MIN_ACCOUNTS, MAX_ACCOUNTS = 3, 5
PER_KIND = 3
KEY_MESSAGES = 3


@dataclass(frozen=True)
class Suggestion:
    kind: str  # churned, high_engagement, behaviour_change, onboarding
    account_id: str
    label: str
    reason: str


SUGGESTION_KINDS = {
    "churned": "Recently churned",
    "high_engagement": "High engagement",
    "behaviour_change": "Behaviour changed",
    "onboarding": "In onboarding",
}

_CHURNED_SQL = """
select account_id, name, 'churned on ' || strftime(churned_at, '%Y-%m-%d') as reason
from marts.dim_accounts
where is_churned
order by churned_at desc nulls last, account_id
limit $n
"""

_ENGAGED_SQL = """
with recent as (select max(week_start) - interval 27 day as since
                from marts.fct_account_emotion_weekly)
select w.account_id, a.name,
    sum(w.engagement_events)::bigint || ' engagement events and '
        || sum(w.customer_messages)::bigint || ' messages in the last 4 weeks'
        || coalesce(' (' || a.lifecycle_stage || ')', '') as reason
from marts.fct_account_emotion_weekly w
join marts.dim_accounts a on a.account_id = w.account_id, recent
where w.week_start >= recent.since and not coalesce(a.is_churned, false)
group by w.account_id, a.name, a.lifecycle_stage
order by sum(w.engagement_events) + sum(w.customer_messages) desc, w.account_id
limit $n
"""

_ENGAGED_FALLBACK_SQL = """
select account_id, name, customer_interactions_90d || ' customer messages in 90 days' as reason
from marts.dim_accounts
where not coalesce(is_churned, false)
order by customer_interactions_90d desc nulls last, account_id
limit $n
"""

_CHANGED_SQL = """
select t.account_id, a.name,
    t.from_state || ' → ' || t.to_state || ' (' || t.transition_kind || ') in the week of '
        || strftime(t.changed_week, '%Y-%m-%d') as reason
from marts.fct_account_emotion_transitions t
join marts.dim_accounts a on a.account_id = t.account_id
where not coalesce(a.is_churned, false)
qualify row_number() over (partition by t.account_id order by t.changed_week desc) = 1
order by t.transition_kind in ('cooling', 'escalation') desc, t.changed_week desc, t.account_id
limit $n
"""

_ONBOARDING_SQL = """
select s.account_id, a.name, 'onboarding since ' || strftime(s.entered_at, '%Y-%m-%d') as reason
from marts.fct_account_lifecycle_stages s
join marts.dim_accounts a on a.account_id = s.account_id
where s.is_current and s.stage = 'onboarding'
order by s.entered_at desc, s.account_id
limit $n
"""

_ONBOARDING_FALLBACK_SQL = """
select account_id, name, 'in onboarding (customer since '
    || strftime(created_at, '%Y-%m-%d') || ')' as reason
from marts.dim_accounts
where lifecycle_stage = 'onboarding'
order by created_at desc nulls last, account_id
limit $n
"""

_SOURCES = {
    "churned": (_CHURNED_SQL, None),
    "high_engagement": (_ENGAGED_SQL, _ENGAGED_FALLBACK_SQL),
    "behaviour_change": (_CHANGED_SQL, None),
    "onboarding": (_ONBOARDING_SQL, _ONBOARDING_FALLBACK_SQL),
}


def suggestions(serving_db: Path, policy: Policy, per_kind: int = PER_KIND) -> list[Suggestion]:
    """Up to ``per_kind`` accounts of each kind; an account is suggested once, first kind wins."""
    seen: set[str] = set()
    out: list[Suggestion] = []
    for kind, (sql, fallback) in _SOURCES.items():
        frame = query_optional(serving_db, sql, {"n": per_kind + MAX_ACCOUNTS})
        if frame is None and fallback:
            frame = query_optional(serving_db, fallback, {"n": per_kind + MAX_ACCOUNTS})
        if frame is None:
            continue
        taken = 0
        for row in plain(frame).itertuples(index=False):
            if row.account_id in seen or taken >= per_kind:
                continue
            seen.add(row.account_id)
            taken += 1
            out.append(
                Suggestion(
                    kind=kind,
                    account_id=row.account_id,
                    label=show_account(policy, row.account_id, row.name),
                    reason=row.reason or "",
                )
            )
    return out


def account_labels(serving_db: Path, account_ids: list[str], policy: Policy) -> dict[str, str]:
    """Names (as the role may see them) of the given accounts that exist."""
    rows = query(
        serving_db,
        "select account_id, name from marts.dim_accounts where list_contains($ids, account_id)",
        {"ids": list(account_ids)},
    )
    return {
        row.account_id: show_account(policy, row.account_id, row.name)
        for row in plain(rows).itertuples(index=False)
    }


@dataclass(frozen=True)
class PackAccount:
    profile: AccountProfile
    timeline: Timeline
    observations: list[Observation] | None
    churn_cues: list[ChurnCue] | None
    key_messages: list[InteractionView]


def pack_account(serving_db: Path, account_id: str, policy: Policy) -> PackAccount | None:
    """Everything one account's page of the pack shows (None for an unknown account)."""
    profile = account_data.profile(serving_db, account_id, policy)
    if profile is None:
        return None
    observations = account_data.observations(serving_db, account_id, policy)
    preferred = [
        o.evidence_id
        for o in observations or []
        if o.evidence_kind == "interaction" and o.evidence_id
    ]
    messages = (
        account_data.key_messages(
            serving_db, account_id, policy, preferred=preferred, limit=KEY_MESSAGES
        )
        if profile.texts_visible
        else []
    )
    return PackAccount(
        profile=profile,
        timeline=account_data.timeline(serving_db, account_id),
        observations=observations,
        churn_cues=account_data.churn_review(serving_db, account_id, policy)
        if profile.is_churned
        else None,
        key_messages=messages,
    )
