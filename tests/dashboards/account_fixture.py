"""The dashboard tests' snapshot plus one account's emotional memory, for the Account page and
the session pack: the issue-16 marts (weekly timeline, lifecycle, observations, churn review)
filled by hand for A4 (at risk, owned by the test agent) and A7 (churned), with texts, their
evidence and personal details to mask.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from tests.dashboards.serving_fixture import write_serving_db

ACCOUNT = "A4"  # "Account 3", at risk, owned by sam.agent@vendor.example (the test agent)
ACCOUNT_NAME = "Account 3"
CHURNED = "A7"  # "Account 6", churned on 2024-03-01
CHURNED_NAME = "Account 6"

# (interaction_id, account_id, ticket_id, author_type, occurred_at, channel, body, emotion,
#  compound, churn_intent, billing_concern)
INTERACTIONS = [
    (
        "i5",
        "A4",
        None,
        "customer",
        "2024-01-10 09:00:00",
        "chat",
        "Great onboarding, thanks a lot Priya Shah!",
        "delight",
        0.8,
        False,
        False,
    ),
    (
        "i1",
        "A4",
        "T-1",
        "customer",
        "2024-02-02 10:00:00",
        "email",
        "Hi Maria, the export failed again. Call me on +44 20 7946 0958.",
        "frustration",
        -0.6,
        False,
        False,
    ),
    (
        "i4",
        "A4",
        None,
        "customer",
        "2024-03-20 16:00:00",
        "email",
        "We are evaluating alternatives because the invoice is wrong again.",
        "frustration",
        -0.7,
        True,
        True,
    ),
    (
        "i6",
        "A4",
        None,
        "agent",
        "2024-03-21 08:00:00",
        "email",
        "Sorry about the invoice, it is fixed now.",
        "neutral",
        0.1,
        False,
        False,
    ),
    (
        "i8",
        "A1",
        None,
        "customer",
        "2024-02-27 09:30:00",
        "chat",
        "Can we add seats? The admin page is confusing.",
        "confusion",
        -0.2,
        False,
        False,
    ),
    (
        "i7",
        "A7",
        None,
        "customer",
        "2024-01-20 11:00:00",
        "email",
        "The sync keeps failing and I am frustrated.",
        "frustration",
        -0.5,
        False,
        False,
    ),
]
OTHER_OWNERS_ACCOUNT = "A1"  # owned by olivia.owner@vendor.example, not the test agent
NEWEST_FIRST_A4 = ["i6", "i4", "i1", "i5"]
# (interaction_id, kind, target, text, weight)
EVIDENCE = [
    ("i5", "token", "sentiment", "Great", 3.1),
    ("i5", "model", "delight", "great", 0.9),
    ("i1", "token", "sentiment", "failed", -1.2),
    ("i1", "model", "frustration", "failed", 0.8),
    ("i4", "token", "sentiment", "wrong", -1.5),
    ("i4", "pattern", "churn_intent", "churn words: 'evaluating alternatives'", 1.0),
    ("i4", "pattern", "billing_concern", "billing words: 'invoice'", 1.0),
    ("i4", "model", "delight", "because", 0.2),  # not the text's emotion: never marked
    ("i7", "token", "sentiment", "failing", -1.1),
]
# The words each text must show marked (case as written in the text), and ones it must not.
MARKED = {
    "i5": {"Great"},
    "i1": {"failed"},
    "i4": {"wrong", "evaluating alternatives", "invoice"},
}
NOT_MARKED = {"i4": {"because"}}

# (week_start, messages, sentiment, emotion, confidence, source, trajectory, tickets opened, latest)
WEEKS = [
    ("2024-01-08", 1, 0.8, "delight", 1, "model", None, 0, False),
    ("2024-01-29", 1, -0.6, "frustration", 1, "model", "delight turning to frustration", 1, False),
    (
        "2024-03-18",
        1,
        -0.7,
        "frustration",
        1,
        "model",
        "frustration for 7 weeks after the export failures",
        0,
        True,
    ),
]
TRAJECTORY = "frustration for 7 weeks after the export failures"
STAGES = [  # (account_id, stage, entered_at, left_at)
    ("A4", "onboarding", "2023-12-01", "2024-01-15"),
    ("A4", "adoption", "2024-01-15", None),
    ("A7", "adoption", "2023-06-01", "2024-03-01"),
    ("A7", "churned", "2024-03-01", None),
]
# (account_id, category, line, observed_at, evidence_kind, evidence_id, rank)
OBSERVATIONS = [
    (
        "A4",
        "behavioral_trigger",
        "opened 5 e-mails in 2 days",
        "2024-03-01",
        "engagement",
        "E-1",
        1,
    ),
    ("A4", "sentiment_signal", "'frustrated' in ticket #T-1", "2024-02-02", "ticket", "T-1", 1),
    ("A4", "verbal_cue", "'we are evaluating alternatives'", "2024-03-20", "interaction", "i4", 1),
    (
        "A4",
        "engagement_frequency",
        "no reply since the demo on 5 Jan",
        "2024-01-05",
        "engagement",
        "E-2",
        1,
    ),
    (
        "A4",
        "positive_highlight",
        "praised the onboarding on 10 Jan",
        "2024-01-10",
        "interaction",
        "i5",
        1,
    ),
    ("A4", "risk_indicator", "billing concern, 1 mention", "2024-03-20", "interaction", "i4", 1),
    ("A7", "sentiment_signal", "'frustrated' on 20 Jan", "2024-01-20", "interaction", "i7", 1),
]
VERBAL_CUE = "we are evaluating alternatives"
# (account_id, churned_at, cue, cue_at, days_before, could_have_acted, reason, kind, id)
CHURN_REVIEW = [
    (
        "A7",
        "2024-03-01",
        "first_frustration",
        "2024-01-20",
        41,
        True,
        "first frustrated message",
        "interaction",
        "i7",
    ),
    (
        "A7",
        "2024-03-01",
        "engagement_drop",
        "2024-02-10",
        20,
        False,
        "logins fell by 80% against the 8 weeks before",
        "engagement",
        "E-9",
    ),
]

_DDL = """
create or replace table marts.fct_interactions (
    interaction_id varchar, account_id varchar, account_resolved_via varchar, contact_id varchar,
    ticket_id varchar, channel varchar, direction varchar, author_type varchar,
    occurred_at timestamp, occurred_date date, subject varchar, body varchar, text_hash varchar,
    scorer_version varchar, compound double, sentiment_label varchar, model_emotion varchar,
    emotion varchar, emotion_source varchar, emotion_intensity double,
    model_emotion_intensity double, human_tagged_by varchar, human_tagged_at timestamp,
    churn_intent boolean, billing_concern boolean, urgency boolean, praise boolean,
    sarcasm boolean, question boolean, language varchar, is_empty boolean,
    is_analysis_opt_out boolean);
create table marts.fct_interaction_evidence (
    interaction_id varchar, account_id varchar, scorer_version varchar, evidence_kind varchar,
    evidence_target varchar, evidence_text varchar, evidence_weight double);
create table marts.fct_account_emotion_weekly (
    account_id varchar, week_start date, customer_messages bigint, mean_sentiment double,
    mean_intensity double, share_delight double, share_frustration double,
    engagement_events bigint, csat_mean double, nps_mean double, tickets_opened bigint,
    tickets_closed bigint, dominant_emotion varchar, dominant_confidence bigint,
    dominant_source varchar, trajectory varchar, is_latest_week boolean);
create table marts.fct_account_lifecycle_stages (
    account_id varchar, stage varchar, entered_at timestamp, left_at timestamp,
    days_in_stage bigint, is_current boolean);
create table marts.fct_account_observations (
    account_id varchar, category varchar, line varchar, observed_at timestamp,
    evidence_kind varchar, evidence_id varchar, rank bigint);
create table marts.fct_churned_account_review (
    account_id varchar, churned_at timestamp, cue varchar, cue_at timestamp,
    days_before_churn bigint, could_have_acted boolean, reason varchar, evidence_kind varchar,
    evidence_id varchar);
create table marts.fct_account_emotion_transitions (
    account_id varchar, changed_week date, from_state varchar, to_state varchar,
    transition_kind varchar, last_message_before_id varchar, first_message_after_id varchar,
    from_week date, to_week date);
create table marts.fct_account_cues_weekly (
    account_id varchar, week_start_date date, last_demo_date date);
alter table marts.dim_accounts add column current_emotion_source varchar;
alter table marts.dim_accounts add column account_emotion_tag varchar;
alter table marts.dim_accounts add column account_tagged_by varchar;
"""


def write_account_serving_db(path: Path) -> Path:
    write_serving_db(path)
    with duckdb.connect(str(path)) as con:
        con.execute(_DDL)
        con.executemany(
            "insert into marts.fct_interactions (interaction_id, account_id, ticket_id, "
            "author_type, occurred_at, occurred_date, channel, direction, body, emotion, "
            "emotion_source, compound, churn_intent, billing_concern, urgency, praise, "
            "is_analysis_opt_out) values (?, ?, ?, ?, ?::timestamp, ?::date, ?, "
            "case when ? = 'customer' then 'inbound' else 'outbound' end, ?, ?, 'model', ?, ?, "
            "?, false, false, false)",
            [
                (i, a, t, who, at, at[:10], ch, who, body, emo, c, churn, bill)
                for i, a, t, who, at, ch, body, emo, c, churn, bill in INTERACTIONS
            ],
        )
        con.executemany(
            "insert into marts.fct_interaction_evidence (interaction_id, scorer_version, "
            "evidence_kind, evidence_target, evidence_text, evidence_weight) "
            "values (?, 'v1', ?, ?, ?, ?)",
            EVIDENCE,
        )
        con.execute(  # each row carries its interaction's account, as the mart's do
            "update marts.fct_interaction_evidence e set account_id = i.account_id "
            "from marts.fct_interactions i where i.interaction_id = e.interaction_id"
        )
        con.executemany(
            "insert into marts.fct_account_emotion_weekly values ('A4', ?::date, ?, ?, 0.5, "
            "case when ? = 'delight' then 1.0 else 0.0 end, "
            "case when ? = 'frustration' then 1.0 else 0.0 end, 2, null, null, ?, 0, ?, ?, ?, ?, ?)",
            [
                (w, n, s, e, e, t, e, conf, src, traj, latest)
                for w, n, s, e, conf, src, traj, t, latest in WEEKS
            ],
        )
        con.executemany(
            "insert into marts.fct_account_lifecycle_stages values (?, ?, ?::timestamp, "
            "?::timestamp, 0, ? is null)",
            [(a, s, entered, left, left) for a, s, entered, left in STAGES],
        )
        con.executemany(
            "insert into marts.fct_account_observations values (?, ?, ?, ?::timestamp, ?, ?, ?)",
            OBSERVATIONS,
        )
        con.executemany(
            "insert into marts.fct_churned_account_review values "
            "(?, ?::timestamp, ?, ?::timestamp, ?, ?, ?, ?, ?)",
            CHURN_REVIEW,
        )
        con.execute(
            "insert into marts.fct_account_emotion_transitions values ('A4', date '2024-01-29', "
            "'delight', 'frustration', 'escalation', 'i5', 'i1', date '2024-01-08', "
            "date '2024-01-29')"
        )
        con.execute(
            "insert into marts.fct_account_cues_weekly values "
            "('A4', date '2024-01-08', date '2024-01-05'), ('A4', date '2024-01-15', date '2024-01-05')"
        )
        con.execute("update marts.dim_accounts set current_emotion_source = 'model'")
    return path
