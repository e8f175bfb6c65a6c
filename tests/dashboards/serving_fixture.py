"""A small, hand-written ``serving.duckdb`` with the dashboard's marts, and its known answers.

Three months of data (Jan–Mar 2024). The numbers below were worked out by hand from the rows,
so tests can check both the app and ``expected_overview_kpis`` against them. Each daily row of
the old roll-ups belongs wholly to one account (and channel), so the per-account roll-ups the
dashboard filters on sum to exactly the same totals.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb

FIRST_DAY = date(2024, 1, 3)
LAST_DAY = date(2024, 3, 28)
FEB_START, FEB_END = date(2024, 2, 1), date(2024, 2, 29)

# (response_date, responses, promoters, passives, detractors, nps)
NPS_ROWS = [
    ("2024-01-10", 10, 6, 2, 2, 40.0),
    ("2024-01-25", 4, 1, 1, 2, -25.0),
    ("2024-02-05", 8, 2, 2, 4, -25.0),
    ("2024-02-20", 5, 1, 1, 3, -40.0),
    ("2024-03-15", 6, 4, 1, 1, 50.0),
]
# (response_date, emotion, responses, satisfied_responses, csat_pct)
CSAT_ROWS = [
    ("2024-01-12", "delight", 5, 5, 100.0),
    ("2024-01-12", "frustration", 4, 1, 25.0),
    ("2024-02-08", "anger", 3, 0, 0.0),
    ("2024-02-08", "satisfaction", 6, 5, 83.33333333333333),
    ("2024-02-22", "confusion", 2, 1, 50.0),
    ("2024-03-05", "delight", 3, 3, 100.0),
    ("2024-03-05", "neutral", 4, 3, 75.0),
]
# (activity_date, emotion, interactions, negative, positive, avg_compound)
MIX_ROWS = [
    ("2024-01-03", "delight", 10, 0, 10, 0.7),
    ("2024-01-03", "frustration", 4, 4, 0, -0.5),
    ("2024-01-17", "neutral", 6, 1, 1, 0.0),
    ("2024-01-17", "anger", 2, 2, 0, -0.8),
    ("2024-02-02", "satisfaction", 7, 0, 6, 0.5),
    ("2024-02-02", "confusion", 5, 3, 0, -0.2),
    ("2024-02-14", "anxiety", 3, 2, 0, -0.3),
    ("2024-02-27", "disappointment", 4, 4, 0, -0.6),
    ("2024-02-27", "curiosity", 2, 0, 1, 0.2),
    ("2024-03-10", "delight", 8, 0, 8, 0.8),
    ("2024-03-28", "frustration", 3, 3, 0, -0.4),
]
# The account (and channel) each row above belongs to, in the same order.
NPS_ACCOUNTS = ["A1", "A4", "A5", "A6", "A2"]
CSAT_ACCOUNTS = ["A1", "A4", "A5", "A3", "A4", "A2", "A7"]
MIX_ACCOUNTS = [
    ("A1", "email"),
    ("A4", "chat"),
    ("A3", "email"),
    ("A5", "ticket_comment"),
    ("A2", "email"),
    ("A4", "email"),
    ("A6", "chat"),
    ("A5", "chat"),
    ("A1", "chat"),
    ("A2", "email"),
    ("A7", "email"),
]
OWNER_OLIVIA = "olivia.owner@vendor.example"
OWNER_SAM = "sam.agent@vendor.example"
# account_id -> (plan, region, owner)
ACCOUNT_ATTRIBUTES = {
    "A1": ("pro", "emea", OWNER_OLIVIA),
    "A2": ("pro", "emea", OWNER_OLIVIA),
    "A3": ("pro", "amer", OWNER_OLIVIA),
    "A4": ("starter", "emea", OWNER_SAM),
    "A5": ("starter", "amer", OWNER_SAM),
    "A6": ("starter", "amer", OWNER_SAM),
    "A7": ("starter", "amer", OWNER_SAM),
}
# account_id -> emotional_segment (no 'disengaged' account on purpose)
ACCOUNT_SEGMENTS = {
    "A1": "champion",
    "A2": "champion",
    "A3": "content",
    "A4": "at_risk",
    "A5": "at_risk",
    "A6": "frustrated",
    "A7": "churned",
}

# Worked by hand. Full range: NPS (14-12)/33 = +6.06; CSAT 18/27; negative 19/54.
# The mean of the daily NPS values is 0.0, so averaging percentages would show "0.0".
EXPECTED_FULL = {"nps": "+6.1", "csat": "66.7", "negative_share": "35.2"}
EXPECTED_FULL_COUNTS = {"nps": 33, "csat": 27, "negative_share": 54}
# February: NPS (3-7)/13 = -30.77; CSAT 6/11; negative 9/21.
EXPECTED_FEB = {"nps": "-30.8", "csat": "54.5", "negative_share": "42.9"}
EXPECTED_FEB_COUNTS = {"nps": 13, "csat": 11, "negative_share": 21}
# Segment "at risk" (A4, A5): interactions 4+2+5+4 = 15, negative 4+2+3+4 = 13 (86.7%);
# NPS A4 (4: 1 promoter, 2 detractors) + A5 (8: 2, 4) = (3-6)/12 = -25.0; CSAT (1+0+1)/9 = 22.2.
EXPECTED_AT_RISK = {"nps": "-25.0", "csat": "22.2", "negative_share": "86.7"}
# Channel "email": interactions 10+6+7+5+8+3 = 39, negative 0+1+0+3+0+3 = 7 (17.9%); surveys have
# no channel, so NPS and CSAT stay as for the full range.
EXPECTED_EMAIL = {"nps": "+6.1", "csat": "66.7", "negative_share": "17.9"}

# Texts (fct_interactions): personal details to mask, one of an opted-out contact (no text).
# (interaction_id, account_id, occurred_at, channel, subject, body, opted_out)
TEXT_ROWS = [
    (
        "i1",
        "A4",
        "2024-02-02 10:00:00",
        "email",
        "Export broken",
        "Hi Maria, the export failed again. Call me on +44 20 7946 0958 or mail "
        "jo.doe@acme.example.\nThanks, Tom Baker",
        False,
    ),
    (
        "i2",
        "A1",
        "2024-02-27 09:30:00",
        "chat",
        None,  # a chat has no subject: a null in the middle of text columns
        "On Monday, Priya Shah wrote: can we add seats? My number is 555-123-4567.",
        False,
    ),
    ("i3", "A5", "2024-02-14 15:00:00", "chat", None, None, True),
]
TEXT_SECRETS = (
    "Maria",
    "+44 20 7946 0958",
    "jo.doe@acme.example",
    "Tom Baker",
    "Priya Shah",
    "555-123-4567",
)

EXPECTED_SEGMENTS = {
    "segment_champion": "2",
    "segment_content": "1",
    "segment_at_risk": "2",
    "segment_frustrated": "1",
    "segment_disengaged": "0",
    "segment_churned": "1",
}

_DDL = """
create schema marts;
create table marts.agg_emotion_mix_daily (
    activity_date date, emotion varchar, interactions bigint, negative_interactions bigint,
    positive_interactions bigint, avg_compound double);
create table marts.agg_nps_trend (
    response_date date, responses bigint, promoters bigint, passives bigint, detractors bigint,
    nps double);
create table marts.agg_csat_by_emotion (
    response_date date, emotion varchar, responses bigint, satisfied_responses bigint,
    csat_pct double);
create table marts.dim_accounts (
    account_id varchar, name varchar, industry varchar, plan varchar, region varchar,
    lifecycle_stage varchar, owner varchar, mrr double, renewal_date date, created_at timestamp,
    is_churned boolean, churned_at timestamp, first_interaction_at timestamp,
    last_interaction_at timestamp, customer_interactions_90d bigint, avg_compound_90d double,
    negative_share_90d double, current_emotion varchar, current_emotion_intensity double,
    latest_nps_score double, emotional_segment varchar);
create table marts.agg_account_interactions_daily (
    activity_date date, account_id varchar, channel varchar, emotion varchar,
    interactions bigint, negative_interactions bigint, positive_interactions bigint);
create table marts.agg_account_surveys_daily (
    response_date date, account_id varchar, survey_type varchar, emotion varchar,
    responses bigint, promoters bigint, passives bigint, detractors bigint,
    satisfied_responses bigint);
create table marts.fct_interactions (
    interaction_id varchar, account_id varchar, contact_id varchar, channel varchar,
    direction varchar, author_type varchar, occurred_at timestamp, occurred_date date,
    subject varchar, body varchar, emotion varchar, sentiment_label varchar, compound double,
    is_analysis_opt_out boolean);
create schema meta;
create table meta.snapshot (published_at timestamp, tables bigint);
"""


def write_serving_db(path: Path, *, published_at: datetime | None = None) -> Path:
    """Create the snapshot at ``path`` (its folder must exist) and return the path.

    ``published_at`` (default: an hour ago) is what the freshness line reports.
    """
    published_at = published_at or datetime.now(UTC).replace(
        microsecond=0, tzinfo=None
    ) - timedelta(hours=1)
    with duckdb.connect(str(path)) as con:
        con.execute(_DDL)
        con.executemany("insert into marts.agg_nps_trend values (?, ?, ?, ?, ?, ?)", NPS_ROWS)
        con.executemany("insert into marts.agg_csat_by_emotion values (?, ?, ?, ?, ?)", CSAT_ROWS)
        con.executemany(
            "insert into marts.agg_emotion_mix_daily values (?, ?, ?, ?, ?, ?)", MIX_ROWS
        )
        con.executemany(
            "insert into marts.agg_account_interactions_daily values (?, ?, ?, ?, ?, ?, ?)",
            [
                (day, account, channel, emotion, n, negative, positive)
                for (day, emotion, n, negative, positive, _), (account, channel) in zip(
                    MIX_ROWS, MIX_ACCOUNTS, strict=True
                )
            ],
        )
        con.executemany(
            "insert into marts.agg_account_surveys_daily values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (day, account, "nps", None, n, promoters, passives, detractors, 0)
                for (day, n, promoters, passives, detractors, _), account in zip(
                    NPS_ROWS, NPS_ACCOUNTS, strict=True
                )
            ]
            + [
                (day, account, "csat", emotion, n, 0, 0, 0, satisfied)
                for (day, emotion, n, satisfied, _), account in zip(
                    CSAT_ROWS, CSAT_ACCOUNTS, strict=True
                )
            ],
        )
        con.executemany(
            "insert into marts.fct_interactions values "
            "(?, ?, 'c-' || ?, ?, 'inbound', 'customer', ?::timestamp, ?::date, ?, ?, "
            "case when ? then null else 'frustration' end, "
            "case when ? then null else 'negative' end, null, ?)",
            [
                (iid, acc, iid, ch, at, at[:10], subj, body, out, out, out)
                for iid, acc, at, ch, subj, body, out in TEXT_ROWS
            ],
        )
        con.execute("insert into meta.snapshot values (?, ?)", [published_at, 8])
        from tests.dashboards.risk_fixture import write_risk_marts  # it reads this module's data

        write_risk_marts(con)
        for i, (account_id, segment) in enumerate(ACCOUNT_SEGMENTS.items()):
            churned = segment == "churned"
            plan, region, owner = ACCOUNT_ATTRIBUTES[account_id]
            con.execute(
                """
                insert into marts.dim_accounts values (
                    ?, ?, 'software', ?, ?, 'customer', ?, ?,
                    date '2024-12-31', timestamp '2023-01-01 00:00:00', ?,
                    case when ? then timestamp '2024-03-01 00:00:00' end,
                    timestamp '2024-01-03 09:00:00', timestamp '2024-03-28 17:00:00',
                    ?, 0.1, 0.2, 'neutral', 0.5, 8, ?)
                """,
                [
                    account_id,
                    f"Account {i}",
                    plan,
                    region,
                    owner,
                    1000.0 + i,
                    churned,
                    churned,
                    i,
                    segment,
                ],
            )
    return path
