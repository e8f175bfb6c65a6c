"""One account's emotional memory, for the Account page and the session pack.

Everything about one account: its profile, its weekly timeline and the events on it (surveys,
tickets, demos, lifecycle stages), its interactions newest first with the evidence of their
scores, the observation template filled from the data, and, for a churned account, the cues
that came before. Texts, quotes and owners leave this module masked for the caller's
:class:`Policy`. A mart that the snapshot does not hold yet leaves its part empty and named in
``missing`` rather than failing the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from dashboards.data.actions import today_utc
from dashboards.data.connection import query, query_records
from dashboards.data.health_overrides import EFFECTIVE_BAND
from dashboards.data.optional import plain, query_optional, records_optional
from dashboards.data.privacy import (
    Policy,
    can_read_text,
    show_account,
    show_owner,
    show_quotes,
    show_text,
)
from dashboards.highlight import Evidence, Piece, driving_phrases, highlight

INTERACTIONS_SHOWN = 25
SEARCH_RESULTS = 20
CUE_COLUMNS = ("churn_intent", "billing_concern", "urgency", "praise")


@dataclass(frozen=True)
class AccountProfile:
    account_id: str
    name: str
    owner: str | None  # masked for the policy
    plan: str | None
    region: str | None
    industry: str | None
    lifecycle_stage: str | None
    mrr: float | None
    renewal_date: date | None
    is_churned: bool
    churned_at: datetime | None
    current_emotion: str | None
    current_emotion_source: str | None
    account_tag: str | None
    account_tagged_by: str | None
    segment: str | None
    health_band: str | None
    churn_risk_band: str | None
    churn_risk_reason: str | None
    texts_visible: bool  # whether this user may read (some form of) the account's texts


@dataclass(frozen=True)
class InteractionView:
    interaction_id: str
    occurred_at: datetime
    channel: str | None
    author_type: str | None
    direction: str | None
    ticket_id: str | None
    subject: str | None
    body: list[Piece]  # the text as the user may see it, cut into plain and highlighted pieces
    emotion: str | None
    emotion_source: str | None
    intensity: float | None
    compound: float | None
    human_tagged_by: str | None
    text_visible: bool


@dataclass(frozen=True)
class Interactions:
    rows: list[InteractionView]
    total: int


@dataclass(frozen=True)
class Observation:
    category: str
    line: str
    observed_at: datetime | None
    evidence_kind: str | None
    evidence_id: str | None


@dataclass(frozen=True)
class ChurnCue:
    cue: str
    cue_at: datetime | None
    days_before_churn: int | None
    could_have_acted: bool
    reason: str
    evidence_kind: str | None
    evidence_id: str | None


@dataclass(frozen=True)
class Timeline:
    weeks: pd.DataFrame  # fct_account_emotion_weekly rows (WEEK_COLUMNS), oldest first
    events: pd.DataFrame  # at, kind (survey, ticket, demo, stage), label
    missing: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AccountMatch:
    account_id: str
    label: str
    detail: str


# --- the profile ---------------------------------------------------------------------------------

_PROFILE_COLUMNS = """
    a.account_id, a.name, a.owner, a.plan, a.region, a.industry, a.lifecycle_stage, a.mrr,
    a.renewal_date, coalesce(a.is_churned, false) as is_churned, a.churned_at,
    a.current_emotion, a.current_emotion_source, a.account_emotion_tag, a.account_tagged_by,
    a.emotional_segment"""

# The profile and its risk in one query; the second form serves a snapshot without the risk mart.
_PROFILE_WITH_RISK_SQL = f"""
select {_PROFILE_COLUMNS},
    {EFFECTIVE_BAND} as health_band, r.churn_risk_band, r.reason_1
from marts.dim_accounts a
left join marts.fct_account_churn_risk r on r.account_id = a.account_id
left join marts.fct_account_health h on h.account_id = a.account_id
where a.account_id = $account_id
"""

_PROFILE_SQL = f"""
select {_PROFILE_COLUMNS},
    null as health_band, null as churn_risk_band, null as reason_1
from marts.dim_accounts a
where a.account_id = $account_id
"""


def profile(serving_db: Path, account_id: str, policy: Policy) -> AccountProfile | None:
    """The account's profile, or None when the snapshot has no such account."""
    rows = records_optional(
        serving_db, _PROFILE_WITH_RISK_SQL, {"account_id": account_id, "today": today_utc()}
    )
    if rows is None:
        rows = query_records(serving_db, _PROFILE_SQL, {"account_id": account_id})
    if not rows:
        return None
    row = rows[0]
    return AccountProfile(
        account_id=row["account_id"],
        name=show_account(policy, row["account_id"], row["name"]),
        owner=show_owner(policy, row["owner"]),
        plan=row["plan"],
        region=row["region"],
        industry=row["industry"],
        lifecycle_stage=row["lifecycle_stage"],
        mrr=row["mrr"],
        renewal_date=row["renewal_date"],
        is_churned=bool(row["is_churned"]),
        churned_at=row["churned_at"],
        current_emotion=row["current_emotion"],
        current_emotion_source=row["current_emotion_source"],
        account_tag=row["account_emotion_tag"],
        account_tagged_by=row["account_tagged_by"],
        segment=row["emotional_segment"],
        health_band=row["health_band"],
        churn_risk_band=row["churn_risk_band"],
        churn_risk_reason=row["reason_1"],
        texts_visible=can_read_text(policy, row["owner"]),
    )


# --- finding an account -------------------------------------------------------------------------

_SEARCH_SQL = """
select account_id, name, plan, lifecycle_stage, emotional_segment
from marts.dim_accounts
where account_id ilike $pattern escape '\\' or ($by_name and name ilike $pattern escape '\\')
order by (lower(account_id) = lower($text) or ($by_name and lower(name) = lower($text))) desc,
    name, account_id
limit $limit
"""


def find_accounts(
    serving_db: Path, text: str, policy: Policy, limit: int = SEARCH_RESULTS
) -> list[AccountMatch]:
    """Accounts whose name (where the role sees names) or id contains ``text``."""
    text = (text or "").strip()
    if not text:
        return []
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = query(
        serving_db,
        _SEARCH_SQL,
        {
            "pattern": f"%{escaped}%",
            "text": text,
            "by_name": policy.account_names,
            "limit": int(limit),
        },
    )
    return [
        AccountMatch(
            account_id=row.account_id,
            label=show_account(policy, row.account_id, row.name),
            detail=" · ".join(
                str(v).replace("_", " ")
                for v in (row.plan, row.lifecycle_stage, row.emotional_segment)
                if v is not None
            ),
        )
        for row in plain(rows).itertuples(index=False)
    ]


# --- the timeline -------------------------------------------------------------------------------

# The columns the chart, its ticket lane and the pack read (a wide row costs a scan per column).
WEEK_COLUMNS = (
    "week_start",
    "mean_sentiment",
    "customer_messages",
    "dominant_emotion",
    "dominant_source",
    "dominant_confidence",
    "trajectory",
    "tickets_opened",
    "tickets_closed",
)

_WEEKS_SQL = f"""
select {", ".join(WEEK_COLUMNS)}
from marts.fct_account_emotion_weekly
where account_id = $account_id
order by week_start
"""

_SURVEY_EVENTS_SQL = """
select
    response_date::timestamp as at,
    'survey' as kind,
    upper(survey_type) || ': ' || sum(responses) || ' response'
        || case when sum(responses) = 1 then '' else 's' end
        || case
            when survey_type = 'nps' then ' (promoters ' || sum(promoters) || ', detractors '
                || sum(detractors) || ')'
            when survey_type = 'csat' then ' (satisfied ' || sum(satisfied_responses) || ')'
            else ''
        end as label
from marts.agg_account_surveys_daily
where account_id = $account_id
group by response_date, survey_type
"""

_DEMO_EVENTS_SQL = """
select distinct last_demo_date::timestamp as at, 'demo' as kind, 'demo attended' as label
from marts.fct_account_cues_weekly
where account_id = $account_id and last_demo_date is not null
"""

_STAGE_EVENTS_SQL = """
select entered_at::timestamp as at, 'stage' as kind, 'stage: ' || stage as label
from marts.fct_account_lifecycle_stages
where account_id = $account_id and entered_at is not null
"""

EVENT_SOURCES = {
    "survey": ("marts.agg_account_surveys_daily", _SURVEY_EVENTS_SQL),
    "demo": ("marts.fct_account_cues_weekly", _DEMO_EVENTS_SQL),
    "stage": ("marts.fct_account_lifecycle_stages", _STAGE_EVENTS_SQL),
}
EVENT_COLUMNS = ["at", "kind", "label"]
# Every source's events in one query; where a source is not published, one query per source says
# which.
_ALL_EVENTS_SQL = "\nunion all\n".join(sql for _, sql in EVENT_SOURCES.values())


def ticket_events(weeks: pd.DataFrame) -> list[dict]:
    """Ticket events from the weekly rows: a week's tickets opened and closed.

    >>> weeks = pd.DataFrame({"week_start": [pd.Timestamp("2024-03-04"), pd.Timestamp("2024-03-11")],
    ...                       "tickets_opened": [2, 0], "tickets_closed": [1, 0]})
    >>> [event["label"] for event in ticket_events(weeks)]
    ['week of 4 Mar: 2 opened, 1 closed']
    """
    if weeks.empty or "tickets_opened" not in weeks:
        return []
    opened = weeks["tickets_opened"].fillna(0).astype(int).tolist()
    closed = weeks["tickets_closed"].fillna(0).astype(int).tolist()
    return [
        {
            "at": pd.Timestamp(week),
            "kind": "ticket",
            "label": f"week of {pd.Timestamp(week):%-d %b}: {o} opened, {c} closed",
        }
        for week, o, c in zip(weeks["week_start"].tolist(), opened, closed, strict=True)
        if o > 0 or c > 0
    ]


_KIND_ORDER = {kind: n for n, kind in enumerate(["ticket", *EVENT_SOURCES])}


def _event_order(event: dict) -> tuple:
    """Events by time; those at the same time by kind (tickets, surveys, demos, stages), then label."""
    return (pd.Timestamp(event["at"]), _KIND_ORDER[event["kind"]], event["label"])


def timeline(serving_db: Path, account_id: str) -> Timeline:
    """The weekly emotional timeline and the dated events that go on the same chart."""
    params = {"account_id": account_id}
    missing: list[str] = []
    weeks = query_optional(serving_db, _WEEKS_SQL, params)
    if weeks is None:
        missing.append("marts.fct_account_emotion_weekly")
        weeks = pd.DataFrame(columns=["week_start"])
    events = ticket_events(weeks)
    every_event = records_optional(serving_db, _ALL_EVENTS_SQL, params)
    if every_event is not None:
        events += every_event
    else:
        for table, sql in EVENT_SOURCES.values():
            rows = records_optional(serving_db, sql, params)
            if rows is None:
                missing.append(table)
            else:
                events += rows
    events = sorted((e for e in events if e["at"] is not None), key=_event_order)
    frame = pd.DataFrame(events, columns=EVENT_COLUMNS)
    if events:
        frame["at"] = pd.to_datetime(frame["at"])
    return Timeline(weeks=weeks, events=frame, missing=missing)


# --- interactions and their evidence -------------------------------------------------------------

_INTERACTIONS_SQL = """
select
    interaction_id, occurred_at, channel, author_type, direction, ticket_id, subject, body,
    emotion, emotion_source, emotion_intensity, compound, human_tagged_by,
    (select owner from marts.dim_accounts where account_id = $account_id) as owner,
    (select count(*) from marts.fct_interactions where account_id = $account_id) as total,
    coalesce(is_analysis_opt_out, false) as opted_out,
    coalesce(churn_intent, false) as churn_intent,
    coalesce(billing_concern, false) as billing_concern,
    coalesce(urgency, false) as urgency,
    coalesce(praise, false) as praise
from marts.fct_interactions
where account_id = $account_id
  and (len($only) = 0 or list_contains($only, interaction_id)
       or ($ticket is not null and ticket_id = $ticket))
order by occurred_at desc, interaction_id desc
limit $limit
"""

_COUNT_SQL = "select count(*) as n from marts.fct_interactions where account_id = $account_id"

# The snapshot keeps evidence in account order: the account filter reads one account's rows.
# Strongest first: where two rows name the same words, the stronger one gives the highlight its
# tone (the snapshot's row order says nothing).
_EVIDENCE_TEMPLATE = """
select interaction_id, evidence_kind, evidence_target, evidence_text, evidence_weight
from marts.fct_interaction_evidence
where {account_filter} list_contains($ids, interaction_id)
order by interaction_id, abs(evidence_weight) desc nulls last, evidence_kind, evidence_target,
    evidence_text
"""
_EVIDENCE_SQL = _EVIDENCE_TEMPLATE.format(account_filter="account_id = $account_id and")
# A snapshot published before the evidence carried its account: every account's rows are read.
_EVIDENCE_SQL_BY_ID = _EVIDENCE_TEMPLATE.format(account_filter="")


def interactions(
    serving_db: Path,
    account_id: str,
    policy: Policy,
    *,
    limit: int = INTERACTIONS_SHOWN,
    only: list[str] | None = None,
    ticket_id: str | None = None,
) -> Interactions:
    """The account's interactions, newest first, with the words that drove each score marked.

    ``only`` (interaction ids) or ``ticket_id`` narrow the list to an observation's evidence.
    """
    rows = query_records(
        serving_db,
        _INTERACTIONS_SQL,
        {
            "account_id": account_id,
            "only": list(only or []),
            "ticket": ticket_id,
            "limit": int(limit),
        },
    )
    if rows:
        total = int(rows[0]["total"])
    elif only or ticket_id:  # nothing matched the narrowing: count the account's on their own
        total = int(query_records(serving_db, _COUNT_SQL, {"account_id": account_id})[0]["n"])
    else:
        total = 0
    owner = rows[0]["owner"] if rows else None
    visible = can_read_text(policy, owner)
    ids = [row["interaction_id"] for row in rows]
    evidence = _evidence(serving_db, account_id, ids) if visible else {}
    views = []
    for row in rows:
        body = show_text(policy, row["body"], owner=owner, opted_out=row["opted_out"])
        cues = [cue for cue in CUE_COLUMNS if row[cue]]
        shown = visible and not row["opted_out"]
        phrases = (
            driving_phrases(evidence.get(row["interaction_id"], []), row["emotion"], cues)
            if shown
            else []
        )
        views.append(
            InteractionView(
                interaction_id=row["interaction_id"],
                occurred_at=row["occurred_at"],
                channel=row["channel"],
                author_type=row["author_type"],
                direction=row["direction"],
                ticket_id=row["ticket_id"],
                subject=show_text(policy, row["subject"], owner=owner, opted_out=row["opted_out"]),
                body=highlight(body, phrases),
                emotion=row["emotion"],
                emotion_source=row["emotion_source"],
                intensity=row["emotion_intensity"],
                compound=row["compound"],
                human_tagged_by=row["human_tagged_by"],
                text_visible=shown,
            )
        )
    return Interactions(rows=views, total=total)


def _evidence(
    serving_db: Path, account_id: str, interaction_ids: list[str]
) -> dict[str, list[Evidence]]:
    if not interaction_ids:
        return {}
    try:
        rows = records_optional(
            serving_db, _EVIDENCE_SQL, {"account_id": account_id, "ids": interaction_ids}
        )
    except duckdb.BinderException:  # no account_id column yet
        rows = records_optional(serving_db, _EVIDENCE_SQL_BY_ID, {"ids": interaction_ids})
    out: dict[str, list[Evidence]] = {}
    for row in rows or []:
        out.setdefault(row["interaction_id"], []).append(
            Evidence(
                kind=str(row["evidence_kind"]),
                target=str(row["evidence_target"]),
                text=str(row["evidence_text"] or ""),
                weight=float(row["evidence_weight"] or 0.0),
            )
        )
    return out


_KEY_MESSAGES_SQL = """
with recent as (
    select max(occurred_at) - interval 90 day as since
    from marts.fct_interactions where account_id = $account_id
)
select interaction_id
from marts.fct_interactions, recent
where account_id = $account_id
  and author_type = 'customer'
  and body is not null
  and not coalesce(is_analysis_opt_out, false)
order by list_contains($preferred, interaction_id) desc,
    (occurred_at >= recent.since) desc,
    abs(coalesce(compound, 0)) + coalesce(emotion_intensity, 0) desc,
    occurred_at desc
limit $limit
"""


def key_messages(
    serving_db: Path,
    account_id: str,
    policy: Policy,
    *,
    preferred: list[str],
    limit: int = 3,
) -> list[InteractionView]:
    """The customer's messages to read aloud: those an observation points at first, then the
    strongest of the last 90 days; newest first."""
    chosen = query(
        serving_db,
        _KEY_MESSAGES_SQL,
        {"account_id": account_id, "preferred": preferred, "limit": int(limit)},
    )
    ids = list(chosen["interaction_id"])
    if not ids:
        return []
    return interactions(serving_db, account_id, policy, limit=limit, only=ids).rows


def interaction_account(serving_db: Path, interaction_id: str) -> str | None:
    """The account an interaction belongs to (None for an unknown id)."""
    rows = query(
        serving_db,
        "select account_id from marts.fct_interactions where interaction_id = $id",
        {"id": interaction_id},
    )
    return None if rows.empty else rows["account_id"].iloc[0]


# --- the observation template and the churn review ------------------------------------------------

OBSERVATION_CATEGORIES = {
    "behavioral_trigger": "Behavioral triggers",
    "sentiment_signal": "Sentiment signals",
    "verbal_cue": "Verbal cues",
    "engagement_frequency": "Engagement frequency",
    "positive_highlight": "Positive highlights",
    "risk_indicator": "Risk indicators",
}

_OBSERVATIONS_SQL = """
select category, line, observed_at, evidence_kind, evidence_id,
    (select owner from marts.dim_accounts where account_id = $account_id) as owner
from marts.fct_account_observations
where account_id = $account_id
order by category, rank, observed_at desc
"""

_CHURN_REVIEW_SQL = """
select cue, cue_at, days_before_churn, could_have_acted, reason, evidence_kind, evidence_id,
    (select owner from marts.dim_accounts where account_id = $account_id) as owner
from marts.fct_churned_account_review
where account_id = $account_id
order by cue_at nulls last, cue
"""


def observations(serving_db: Path, account_id: str, policy: Policy) -> list[Observation] | None:
    """The filled observation template (None when the snapshot does not hold it yet)."""
    rows = records_optional(serving_db, _OBSERVATIONS_SQL, {"account_id": account_id})
    if rows is None:
        return None
    return [
        Observation(
            category=row["category"],
            line=show_quotes(policy, row["line"], owner=row["owner"]) or "",
            observed_at=row["observed_at"],
            evidence_kind=row["evidence_kind"],
            evidence_id=None if row["evidence_id"] is None else str(row["evidence_id"]),
        )
        for row in rows
    ]


def churn_review(serving_db: Path, account_id: str, policy: Policy) -> list[ChurnCue] | None:
    """The cues that came before a churn, oldest first (None when not published yet)."""
    rows = records_optional(serving_db, _CHURN_REVIEW_SQL, {"account_id": account_id})
    if rows is None:
        return None
    return [
        ChurnCue(
            cue=row["cue"],
            cue_at=row["cue_at"],
            days_before_churn=None
            if row["days_before_churn"] is None
            else int(row["days_before_churn"]),
            could_have_acted=bool(row["could_have_acted"]),
            reason=show_quotes(policy, row["reason"], owner=row["owner"]) or "",
            evidence_kind=row["evidence_kind"],
            evidence_id=None if row["evidence_id"] is None else str(row["evidence_id"]),
        )
        for row in rows
    ]
