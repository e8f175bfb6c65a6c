"""A small, hand-written ``serving.duckdb`` with the Overview's marts, and its known answers.

Three months of data (Jan–Mar 2024). The numbers below were worked out by hand from the rows,
so tests can check both the app and ``expected_overview_kpis`` against them.
"""

from __future__ import annotations

from datetime import date
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
"""


def write_serving_db(path: Path) -> Path:
    """Create the snapshot at ``path`` (its folder must exist) and return the path."""
    with duckdb.connect(str(path)) as con:
        con.execute(_DDL)
        con.executemany("insert into marts.agg_nps_trend values (?, ?, ?, ?, ?, ?)", NPS_ROWS)
        con.executemany("insert into marts.agg_csat_by_emotion values (?, ?, ?, ?, ?)", CSAT_ROWS)
        con.executemany(
            "insert into marts.agg_emotion_mix_daily values (?, ?, ?, ?, ?, ?)", MIX_ROWS
        )
        for i, (account_id, segment) in enumerate(ACCOUNT_SEGMENTS.items()):
            churned = segment == "churned"
            con.execute(
                """
                insert into marts.dim_accounts values (
                    ?, ?, 'software', 'pro', 'emea', 'customer', 'owner@example.com', ?,
                    date '2024-12-31', timestamp '2023-01-01 00:00:00', ?,
                    case when ? then timestamp '2024-03-01 00:00:00' end,
                    timestamp '2024-01-03 09:00:00', timestamp '2024-03-28 17:00:00',
                    ?, 0.1, 0.2, 'neutral', 0.5, 8, ?)
                """,
                [account_id, f"Account {i}", 1000.0 + i, churned, churned, i, segment],
            )
    return path
