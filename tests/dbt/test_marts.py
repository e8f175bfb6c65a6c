"""dbt marts on a hand-written warehouse: every number recomputed in Python from the raw rows.

The recomputation follows the metric definitions of ARCHITECTURE.md and the docs blocks in
dbt/models/docs.md, written independently of the SQL.
"""

# ruff: noqa: E501  (the fixture rows are tables: one row a line reads better than wrapped tuples)

from __future__ import annotations

import shutil
from collections import defaultdict
from datetime import datetime, timedelta

import duckdb
import pytest

from sentiment_udfs.scoring import score_text
from sentiment_udfs.taxonomy import EMOTIONS, sentiment_label
from tests.dbt.conftest import Warehouse, insert_raw

pytestmark = pytest.mark.dbt


# --- the fixture warehouse -----------------------------------------------------------------
# Six accounts, one per emotional segment (ACCOUNT_SEGMENTS). The as-of time is the latest
# interaction, i602 at 2024-06-30 12:00, so the 90-day window starts 2024-04-01 12:00 and the
# 60-day window 2024-05-01 12:00. Scores are written by hand (not by the scorer) so every number
# is visible where it is used.


# fmt: off
def ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


# account_id, name, industry, plan, region, lifecycle_stage, created_at, mrr, renewal_date, owner
ACCOUNTS = [
    ("A1", "Acme", "software", "enterprise", "emea", "customer", ts("2023-01-01"), 5000.0, "2025-01-01", "ola"),
    ("A2", "Birch", "retail", "pro", "amer", "customer", ts("2023-02-01"), 1200.0, "2024-09-01", "ola"),
    ("A3", "Cedar", "finance", "pro", "apac", "customer", ts("2023-03-01"), 900.0, "2024-08-01", "pia"),
    ("A4", "Dune", "media", "starter", "emea", "customer", ts("2023-04-01"), 300.0, "2024-12-01", "pia"),
    ("A5", "Elm", "health", "pro", "amer", "former", ts("2023-05-01"), 0.0, None, "ola"),
    ("A6", "Fir", "software", "starter", "emea", "customer", ts("2023-06-01"), 250.0, "2025-03-01", "pia"),
]

# The segment each account was designed to land in (the test also recomputes it from the rules).
ACCOUNT_SEGMENTS = {
    "A1": "champion",  # positive texts (avg 0.7) and latest NPS 9 (an older 3 does not count)
    "A2": "frustrated",  # 2 of 3 non-empty customer texts negative; an empty text does not count
    "A3": "at_risk",  # "evaluating alternatives" (churn_intent) although NPS 10
    "A4": "disengaged",  # last customer text 2024-04-20 (> 60 days); only the agent wrote since
    "A5": "churned",  # renewed, then churned
    "A6": "content",  # churned, then renewed: back; mildly positive
}

# contact_id, account_id, email, role, created_at, analysis_opt_out
CONTACTS = [
    ("C1", "A1", "kim@acme.test", "admin", ts("2023-01-02"), False),
    ("C2", "A2", "lee@birch.test", "buyer", ts("2023-02-02"), False),
    ("C3", "A3", "max@cedar.test", "admin", ts("2023-03-02"), False),
    ("C4", "A4", "noa@dune.test", "user", ts("2023-04-02"), True),
    ("C5", "A5", "oli@elm.test", "admin", ts("2023-05-02"), False),
    ("C6", "A6", "pat@fir.test", "admin", ts("2023-06-02"), None),
]

# interaction_id, account_id, contact_id, ticket_id, channel, direction, author_type, occurred_at, subject, body
INTERACTIONS = [
    ("i101", "A1", "C1", None, "email", "inbound", "customer", ts("2024-06-10 09:00"), "Dashboard", "Love the new dashboard"),
    ("i102", "A1", "C1", None, "email", "outbound", "agent", ts("2024-06-10 10:00"), "Re: Dashboard", "Glad you like it"),
    ("i103", "A1", "C1", None, "chat", "inbound", "customer", ts("2024-06-20 09:00"), None, "All good, thanks"),
    ("i201", "A2", "C2", "T2", "ticket_comment", "inbound", "customer", ts("2024-06-01 09:00"), None, "Still broken"),
    ("i202", "A2", "C2", "T2", "ticket_comment", "inbound", "customer", ts("2024-06-02 09:00"), None, "Disappointing"),
    ("i204", "A2", None, "T2", "ticket_comment", "outbound", "agent", ts("2024-06-02 10:00"), None, "We fixed it"),
    ("i203", "A2", "C2", None, "email", "inbound", "customer", ts("2024-06-15 09:00"), "Thanks", "Works now"),
    ("i205", "A2", "C2", None, "email", "inbound", "customer", ts("2024-06-16 09:00"), None, ""),
    ("i301", "A3", "C3", "T3", "email", "inbound", "customer", ts("2024-06-25 09:00"), None, "We are evaluating alternatives"),
    ("i302", "A3", "C3", None, "chat", "inbound", "customer", ts("2024-05-10 09:00"), None, "Brilliant release"),
    ("i401", "A4", "C4", None, "email", "inbound", "customer", ts("2024-03-15 09:00"), None, "Terrible"),
    ("i402", "A4", "C4", None, "email", "inbound", "customer", ts("2024-04-20 09:00"), None, "Still annoyed"),
    ("i403", "A4", None, None, "email", "outbound", "agent", ts("2024-06-28 09:00"), "Checking in", "How are things?"),
    ("i501", "A5", "C5", None, "call", "inbound", "customer", ts("2024-06-05 09:00"), None, "Nice call"),
    ("i601", "A6", "C6", None, "social", "inbound", "customer", ts("2024-06-29 09:00"), None, "Fine"),
    ("i602", "A6", None, None, "chat", "outbound", "bot", ts("2024-06-30 12:00"), None, "How can I help?"),
    ("i603", "A6", "C6", None, "chat", "inbound", "customer", ts("2024-06-01 09:00"), None, "How does export work?"),
]
AS_OF = ts("2024-06-30 12:00")

# interaction_id, scorer_version, compound, emotion, intensity, churn_intent, is_empty, scored_at
SCORES = [
    ("i101", "v2", 0.8, "delight", 0.8, False, False, ts("2024-07-01")),
    ("i102", "v2", 0.5, "satisfaction", 0.5, False, False, ts("2024-07-01")),
    ("i103", "v2", 0.6, "satisfaction", 0.6, False, False, ts("2024-07-01")),
    ("i201", "v2", -0.6, "frustration", 0.6, False, False, ts("2024-07-01")),
    ("i202", "v2", -0.4, "disappointment", 0.4, False, False, ts("2024-07-01")),
    ("i204", "v2", 0.2, "satisfaction", 0.2, False, False, ts("2024-07-01")),
    ("i203", "v2", 0.3, "satisfaction", 0.3, False, False, ts("2024-07-01")),
    ("i205", "v2", 0.0, "neutral", 0.0, False, True, ts("2024-07-01")),
    # i301 was re-scored: v2 supersedes v1.
    ("i301", "v1", -0.1, "anxiety", 0.1, False, False, ts("2024-06-26")),
    ("i301", "v2", -0.2, "frustration", 0.2, True, False, ts("2024-07-01")),
    ("i302", "v2", 0.7, "delight", 0.7, False, False, ts("2024-07-01")),
    ("i401", "v2", -0.7, "anger", 0.7, False, False, ts("2024-07-01")),
    ("i402", "v2", -0.5, "frustration", 0.5, False, False, ts("2024-07-01")),
    ("i403", "v2", 0.4, "curiosity", 0.4, False, False, ts("2024-07-01")),
    ("i501", "v2", 0.5, "delight", 0.5, False, False, ts("2024-07-01")),
    ("i601", "v2", 0.2, "satisfaction", 0.2, False, False, ts("2024-07-01")),
    ("i602", "v2", 0.0, "neutral", 0.0, False, False, ts("2024-07-01")),
    ("i603", "v2", 0.1, "curiosity", 0.1, False, False, ts("2024-07-01")),
]

# interaction_id, account_id, tag, tagged_by, tagged_at
EMOTION_TAGS = [
    ("i103", None, "delight", "ann", ts("2024-06-21")),  # superseded by bob's later tag
    ("i103", None, "satisfaction", "bob", ts("2024-06-22")),  # agrees with the model
    ("i201", None, " Anger ", "ann", ts("2024-06-03")),  # overrides frustration
    ("i301", None, "frustration", "carl", ts("2024-06-26")),  # agrees with v2 (not with v1)
    ("i401", None, "anger", "ann", ts("2024-04-01")),  # agrees
    ("i601", None, "meh", "bob", ts("2024-06-30")),  # not an emotion: ignored
    (None, "A6", "anxiety", "ann", ts("2024-06-30")),  # account-level: A6's current emotion; its texts keep theirs
]

# ticket_id, account_id, contact_id, created_at, status, priority, first_solved_at, solved_at, closed_at, reopen_count
TICKETS = [
    ("T2", "A2", "C2", ts("2024-06-01 08:00"), "solved", "high", ts("2024-06-02 10:00"), ts("2024-06-02 10:00"), None, 0),
    ("T3", "A3", "C3", ts("2024-06-25 08:00"), "open", "normal", None, None, None, 0),
    ("T6", "A6", "C6", ts("2024-06-10 08:00"), "closed", "low", None, None, ts("2024-06-11 08:00"), 0),
]

# response_id, account_id, contact_id, ticket_id, survey_type, score, scale_min, scale_max, comment, responded_at
SURVEYS = [
    ("s1", "A1", "C1", None, "nps", 3, 0, 10, None, ts("2024-05-01 10:00")),
    ("s2", "A1", "C1", None, "nps", 9, 0, 10, "Great", ts("2024-06-21 10:00")),
    ("s3", "A2", "C2", None, "nps", 6, 0, 10, None, ts("2024-06-21 11:00")),
    ("s4", "A3", "C3", None, "nps", 10, 0, 10, None, ts("2024-06-21 12:00")),
    ("s5", "A6", "C6", None, "nps", 7, 0, 10, None, ts("2024-06-21 13:00")),
    ("s6", "A4", "C4", None, "nps", 8, 0, 10, None, ts("2024-06-22 10:00")),
    # CSAT: ticket basis (last customer text on the ticket at or before the response) ...
    ("c1", "A2", "C2", "T2", "csat", 2, 1, 5, "meh", ts("2024-06-02 12:00")),  # i202: disappointment
    ("c2", "A2", "C2", "T2", "csat", 4, 1, 5, None, ts("2024-06-01 12:00")),  # i201: anger (human tag)
    # ... comment basis (crm_emotion) ...
    ("c3", "A1", "C1", None, "csat", 7, 1, 7, "Thanks, the support was amazing and fast!", ts("2024-06-21 10:00")),
    ("c6", "A4", "C4", None, "csat", 9, 0, 10, "I am so angry, this is the worst service ever", ts("2024-06-01 15:00")),
    # ... and none: neutral.
    ("c4", "A3", "C3", None, "csat", 5, 1, 7, None, ts("2024-06-21 11:00")),
    ("c5", "A6", "C6", "T6", "csat", 5, 1, 5, "  ", ts("2024-06-11 09:00")),
    ("e1", "A1", "C1", None, "ces", 2, 1, 5, None, ts("2024-06-21 10:00")),
]

# account_id, event, occurred_at, mrr_delta
ACCOUNT_EVENTS = [
    ("A5", "renewed", ts("2024-01-01"), 0.0),
    ("A5", "churned", ts("2024-05-15"), -800.0),
    ("A6", "churned", ts("2024-02-01"), -250.0),
    ("A6", "renewed", ts("2024-03-01"), 250.0),
    ("A1", "expanded", ts("2024-04-01"), 1000.0),
]

MARTS = (
    "fct_interactions",
    "dim_accounts",
    "agg_emotion_mix_daily",
    "agg_nps_trend",
    "agg_csat_by_emotion",
    "agg_emotion_tag_agreement",
)

# fmt: on


def write_raw_rows(conn: duckdb.DuckDBPyConnection) -> None:
    """The raw and scores rows above, as the loader and the scorer would have written them."""
    insert_raw(
        conn,
        "raw.accounts",
        "account_id, name, industry, plan, region, lifecycle_stage, created_at, mrr, renewal_date, owner",
        ACCOUNTS,
    )
    insert_raw(
        conn,
        "raw.contacts",
        "contact_id, account_id, email, role, created_at, analysis_opt_out",
        CONTACTS,
    )
    insert_raw(
        conn,
        "raw.interactions",
        "interaction_id, account_id, contact_id, ticket_id, channel, direction, author_type, occurred_at, subject, body",
        INTERACTIONS,
    )
    insert_raw(
        conn,
        "raw.tickets",
        "ticket_id, account_id, contact_id, created_at, status, priority, first_solved_at, solved_at, closed_at, reopen_count",
        TICKETS,
    )
    insert_raw(
        conn,
        "raw.surveys",
        "response_id, account_id, contact_id, ticket_id, survey_type, score, scale_min, scale_max, comment, responded_at",
        SURVEYS,
    )
    insert_raw(
        conn, "raw.account_events", "account_id, event, occurred_at, mrr_delta", ACCOUNT_EVENTS
    )
    insert_raw(
        conn,
        "raw.emotion_tags",
        "interaction_id, account_id, tag, tagged_by, tagged_at",
        EMOTION_TAGS,
    )
    conn.executemany(
        """insert into scores.interaction_scores (
               interaction_id, text_hash, scorer_version, compound, sentiment_label, emotion,
               emotion_intensity, emotion_scores, churn_intent, billing_concern, urgency, praise,
               sarcasm, question, language, is_empty, scored_at)
           values (?, ?, ?, ?, ?, ?, ?, null, ?, false, false, false, false, false, ?, ?, ?)""",
        [
            (
                iid,
                f"hash-{iid}",
                ver,
                comp,
                sentiment_label(comp),
                emo,
                inten,
                churn,
                "unknown" if empty else "en",
                empty,
                at,
            )
            for iid, ver, comp, emo, inten, churn, empty, at in SCORES
        ],
    )
    conn.execute(
        "insert into scores.interaction_evidence values "
        "('i301', 'v2', 'keyword', 'churn_intent', 'evaluating alternatives', 1.0), "
        # i401's contact C4 opted out (after this score): its evidence quotes the text.
        "('i401', 'v2', 'keyword', 'anger', 'Terrible', 1.0)"
    )


@pytest.fixture(scope="module")
def warehouse(make_warehouse):
    return make_warehouse(write_raw_rows)


CSAT_TOP_BOX_POINTS = 2  # dbt_project.yml var csat_top_box_points


# --- independent recomputation from the raw rows ------------------------------------------


def current_scores() -> dict[str, dict]:
    """The latest score per interaction by scored_at."""
    latest: dict[str, dict] = {}
    for iid, ver, comp, emo, inten, churn, empty, at in SCORES:
        if iid not in latest or at > latest[iid]["scored_at"]:
            latest[iid] = dict(
                scorer_version=ver,
                compound=comp,
                emotion=emo,
                intensity=inten,
                churn_intent=churn,
                is_empty=empty,
                scored_at=at,
                label=sentiment_label(comp),
            )
    return latest


def interaction_tags() -> dict[str, str]:
    """The latest valid tag per interaction."""
    best: dict[str, tuple] = {}
    for iid, _account, tag, _by, at in EMOTION_TAGS:
        tag = tag.strip().lower()
        if iid is None or tag not in EMOTIONS:
            continue
        if iid not in best or at > best[iid][1]:
            best[iid] = (tag, at)
    return {iid: tag for iid, (tag, _) in best.items()}


def account_tags() -> dict[str, tuple[str, datetime]]:
    """The latest valid account-level tag per account: (tag, tagged_at)."""
    best: dict[str, tuple[str, datetime]] = {}
    for iid, account, tag, _by, at in EMOTION_TAGS:
        tag = tag.strip().lower()
        if iid is None and tag in EMOTIONS and (account not in best or at > best[account][1]):
            best[account] = (tag, at)
    return best


def interactions() -> list[dict]:
    scores, tags = current_scores(), interaction_tags()
    rows = []
    for iid, account, _contact, ticket, _ch, _dir, author, at, _subj, _body in INTERACTIONS:
        s = scores[iid]
        rows.append(
            {
                **s,
                "interaction_id": iid,
                "account_id": account,
                "ticket_id": ticket,
                "author_type": author,
                "occurred_at": at,
                "model_emotion": s["emotion"],
                "emotion": tags.get(iid, s["emotion"]),
                "tag": tags.get(iid),
            }
        )
    return rows


def expected_segments() -> dict[str, dict]:
    rows = interactions()
    as_of = max(r["occurred_at"] for r in rows)
    assert as_of == AS_OF
    events = defaultdict(lambda: defaultdict(list))
    for account, event, at, _delta in ACCOUNT_EVENTS:
        events[account][event].append(at)
    nps = defaultdict(list)
    for _rid, account, _c, _t, kind, score, *_rest, at in SURVEYS:
        if kind == "nps":
            nps[account].append((at, score))

    out = {}
    for account, *_ in ACCOUNTS:
        churns, renewals = events[account]["churned"], events[account]["renewed"]
        is_churned = bool(churns) and (not renewals or max(churns) > max(renewals))
        customer = [
            r for r in rows if r["account_id"] == account and r["author_type"] == "customer"
        ]
        in_60 = [r for r in customer if r["occurred_at"] >= as_of - timedelta(days=60)]
        in_90 = [r for r in customer if r["occurred_at"] >= as_of - timedelta(days=90)]
        texts_90 = [r for r in in_90 if not r["is_empty"]]
        negative_share = (
            sum(r["label"] == "negative" for r in texts_90) / len(texts_90) if texts_90 else None
        )
        avg_compound = sum(r["compound"] for r in texts_90) / len(texts_90) if texts_90 else None
        latest_nps = max(nps[account])[1] if nps[account] else None
        if is_churned:
            segment = "churned"
        elif not in_60:
            segment = "disengaged"
        elif any(r["churn_intent"] for r in texts_90):
            segment = "at_risk"
        elif negative_share is not None and negative_share >= 0.4:
            segment = "frustrated"
        elif (
            avg_compound is not None
            and avg_compound >= 0.4
            and latest_nps is not None
            and latest_nps >= 9
        ):
            segment = "champion"
        else:
            segment = "content"
        latest_text = max(
            (r for r in customer if not r["is_empty"]), key=lambda r: r["occurred_at"], default=None
        )
        current_emotion = latest_text["emotion"] if latest_text else None
        tag = account_tags().get(account)
        if tag and (latest_text is None or tag[1] >= latest_text["occurred_at"]):
            current_emotion = tag[0]  # a person's account tag, newer than the latest text
        out[account] = dict(
            is_churned=is_churned,
            customer_interactions_90d=len(in_90),
            negative_share_90d=negative_share,
            avg_compound_90d=avg_compound,
            latest_nps_score=latest_nps,
            current_emotion=current_emotion,
            emotional_segment=segment,
        )
    return out


# --- the tests -----------------------------------------------------------------------------


def test_every_interaction_once_in_fct_interactions(warehouse):
    rows = warehouse.mart("fct_interactions", "interaction_id")
    assert sorted(r["interaction_id"] for r in rows) == sorted(i[0] for i in INTERACTIONS)
    expected = {r["interaction_id"]: r for r in interactions()}
    for row in rows:
        want = expected[row["interaction_id"]]
        assert row["scorer_version"] == want["scorer_version"]
        assert row["model_emotion"] == want["model_emotion"]
        assert row["emotion"] == want["emotion"]
        assert row["emotion_source"] == ("human" if want["tag"] else "model")
        assert row["occurred_date"] == want["occurred_at"].date()


def test_human_tag_overrides_model_emotion(warehouse):
    rows = {r["interaction_id"]: r for r in warehouse.mart("fct_interactions", "interaction_id")}
    assert (
        rows["i201"]["model_emotion"],
        rows["i201"]["emotion"],
        rows["i201"]["emotion_source"],
    ) == (
        "frustration",
        "anger",
        "human",
    )
    assert rows["i201"]["emotion_intensity"] is None  # the model's intensity measures frustration
    assert rows["i103"]["emotion"] == "satisfaction"  # bob's later tag beats ann's
    assert rows["i301"]["model_emotion"] == "frustration"  # v2 supersedes v1's anxiety
    assert rows["i601"]["emotion_source"] == "model"  # "meh" is no emotion
    accounts = {r["account_id"]: r for r in warehouse.mart("dim_accounts")}
    assert accounts["A6"]["current_emotion"] == "anxiety"  # the account tag, newer than i601
    assert accounts["A6"]["current_emotion_source"] == "human_account"
    assert rows["i601"]["emotion"] == "satisfaction"  # the account tag leaves texts alone


def test_emotion_mix_daily(warehouse):
    expected = defaultdict(lambda: dict(interactions=0, negative=0, positive=0, compounds=[]))
    for r in interactions():
        if r["author_type"] != "customer" or r["is_empty"]:
            continue
        e = expected[(r["occurred_at"].date(), r["emotion"])]
        e["interactions"] += 1
        e["negative"] += r["label"] == "negative"
        e["positive"] += r["label"] == "positive"
        e["compounds"].append(r["compound"])
    rows = warehouse.mart("agg_emotion_mix_daily")
    assert len(rows) == len(expected)
    for row in rows:
        want = expected[(row["activity_date"], row["emotion"])]
        assert row["interactions"] == want["interactions"]
        assert row["negative_interactions"] == want["negative"]
        assert row["positive_interactions"] == want["positive"]
        assert row["avg_compound"] == pytest.approx(sum(want["compounds"]) / len(want["compounds"]))


def test_nps_trend(warehouse):
    buckets = defaultdict(lambda: {"promoter": 0, "passive": 0, "detractor": 0})
    for _rid, _a, _c, _t, kind, score, *_rest, at in SURVEYS:
        if kind == "nps":
            bucket = "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"
            buckets[at.date()][bucket] += 1
    rows = warehouse.mart("agg_nps_trend", "response_date")
    assert [r["response_date"] for r in rows] == sorted(buckets)
    for row in rows:
        b = buckets[row["response_date"]]
        n = sum(b.values())
        assert (row["responses"], row["promoters"], row["passives"], row["detractors"]) == (
            n,
            b["promoter"],
            b["passive"],
            b["detractor"],
        )
        assert row["nps"] == pytest.approx(100 * b["promoter"] / n - 100 * b["detractor"] / n)
    # 2024-06-21: 9, 6, 10, 7 -> 2 promoters, 1 passive, 1 detractor -> 25
    assert {r["response_date"].isoformat(): r["nps"] for r in rows} == {
        "2024-05-01": -100.0,
        "2024-06-21": 25.0,
        "2024-06-22": 0.0,
    }


def test_csat_by_emotion(warehouse):
    rows_by_ticket = [
        r for r in interactions() if r["author_type"] == "customer" and not r["is_empty"]
    ]
    expected = defaultdict(lambda: [0, 0])
    opted_out = {c[0] for c in CONTACTS if c[5]}
    for _rid, _a, contact, ticket, kind, score, _smin, smax, comment, at in SURVEYS:
        if kind != "csat":
            continue
        on_ticket = [
            r
            for r in rows_by_ticket
            if ticket and r["ticket_id"] == ticket and r["occurred_at"] <= at
        ]
        if on_ticket:
            emotion = max(on_ticket, key=lambda r: r["occurred_at"])["emotion"]
        elif comment and comment.strip() and contact not in opted_out:
            emotion = score_text(comment)["emotion"]
        else:
            emotion = "neutral"
        cell = expected[(at.date(), emotion)]
        cell[0] += 1
        cell[1] += score >= smax - CSAT_TOP_BOX_POINTS + 1
    rows = warehouse.mart("agg_csat_by_emotion")
    assert {
        (r["response_date"], r["emotion"]): (r["responses"], r["satisfied_responses"]) for r in rows
    } == {k: tuple(v) for k, v in expected.items()}
    for row in rows:
        assert row["csat_pct"] == pytest.approx(100 * row["satisfied_responses"] / row["responses"])
    # Spot checks: the ticket's human tag is used; the comment is scored; on 1-7, 7 is satisfied.
    by_key = {(r["response_date"].isoformat(), r["emotion"]): r for r in rows}
    assert by_key[("2024-06-01", "anger")]["ticket_basis_responses"] == 1  # c2 via i201's tag
    assert by_key[("2024-06-02", "disappointment")]["csat_pct"] == 0.0  # c1: 2 on 1-5
    c3_emotion = score_text("Thanks, the support was amazing and fast!")["emotion"]
    assert by_key[("2024-06-21", c3_emotion)]["csat_pct"] == 100.0  # c3: 7 on 1-7
    assert by_key[("2024-06-21", "neutral")]["csat_pct"] == 0.0  # c4: 5 on 1-7


def test_dim_accounts_metrics_and_segments(warehouse):
    expected = expected_segments()
    assert {a: e["emotional_segment"] for a, e in expected.items()} == ACCOUNT_SEGMENTS
    rows = {r["account_id"]: r for r in warehouse.mart("dim_accounts")}
    assert set(rows) == set(expected)
    for account, want in expected.items():
        row = rows[account]
        for column, value in want.items():
            if isinstance(value, float):
                assert row[column] == pytest.approx(value), (account, column)
            else:
                assert row[column] == value, (account, column)
    assert rows["A5"]["churned_at"].isoformat() == "2024-05-15T00:00:00"
    assert rows["A6"]["churned_at"] is None


def test_tag_agreement(warehouse):
    expected = defaultdict(lambda: [0, 0])
    for r in interactions():
        if r["tag"]:
            expected[r["model_emotion"]][0] += 1
            expected[r["model_emotion"]][1] += r["tag"] == r["model_emotion"]
    rows = warehouse.mart("agg_emotion_tag_agreement")
    assert {r["emotion"]: (r["tagged"], r["agreed"], r["disagreed"]) for r in rows} == {
        e: (n, agreed, n - agreed) for e, (n, agreed) in expected.items()
    }
    assert {r["emotion"]: r["agreement_pct"] for r in rows} == {
        "anger": 100.0,
        "frustration": 50.0,
        "satisfaction": 100.0,
    }


def test_dbt_build_is_idempotent(warehouse):
    before = {name: warehouse.mart(name) for name in MARTS}
    warehouse.dbt_build()
    after = {name: warehouse.mart(name) for name in MARTS}
    assert after == before


# --- the evidence mart, built incrementally ----------------------------------------------------


def _rescore(conn: duckdb.DuckDBPyConnection, iid: str, at: str, evidence: list[tuple]) -> None:
    """Score `iid` again at its current version (v2), as the scorer does for an edited message:
    its score and evidence of that version are replaced, the score with a new scored_at."""
    conn.execute(
        "create temp table _score as select * from scores.interaction_scores "
        "where interaction_id = ? and scorer_version = 'v2'",
        [iid],
    )
    for table in ("scores.interaction_scores", "scores.interaction_evidence"):
        conn.execute(
            f"delete from {table} where interaction_id = ? and scorer_version = 'v2'", [iid]
        )
    conn.execute(
        "insert into scores.interaction_scores select * replace (?::timestamp as scored_at) from _score",
        [at],
    )
    conn.execute("drop table _score")
    conn.executemany(
        "insert into scores.interaction_evidence values (?, 'v2', ?, ?, ?, ?)",
        [(iid, *row) for row in evidence],
    )


def _evidence(wh: Warehouse) -> list[dict]:
    return wh.query("select * from marts.fct_interaction_evidence order by all")


def test_nightly_evidence_builds_equal_full_builds(warehouse, tmp_path) -> None:
    """Two nights of changes, each built incrementally in one copy and in full in another: new
    scores with evidence; then a message scored again at the same version (an edited text), a
    message moved to another account and a contact who opted out. The rows are equal each night,
    and each change shows."""
    copies = []
    for name in ("nightly", "full"):
        (tmp_path / name).mkdir()
        shutil.copy(warehouse.db_path, tmp_path / name / "warehouse.duckdb")
        copies.append(
            Warehouse(
                tmp_path / name, tmp_path / name / "warehouse.duckdb", tmp_path / name / "dbt"
            )
        )
    nightly, full = copies

    def night(change) -> None:
        for wh in copies:
            with duckdb.connect(str(wh.db_path)) as conn:
                change(conn)
        nightly.nightly_build()
        full.dbt_build("--full-refresh")
        assert _evidence(nightly) == _evidence(full)

    def new_scores(conn) -> None:
        _rescore(conn, "i101", "2024-07-02", [("keyword", "delight", "Love", 1.0)])
        _rescore(conn, "i204", "2024-07-02", [("keyword", "satisfaction", "fixed", 1.0)])

    night(new_scores)
    first = {(r["interaction_id"], r["evidence_text"], r["account_id"]) for r in _evidence(nightly)}
    assert first == {
        ("i101", "Love", "A1"),
        ("i204", "fixed", "A2"),
        ("i301", "evaluating alternatives", "A3"),
    }

    def changes(conn) -> None:
        _rescore(
            conn,
            "i301",
            "2024-07-03",
            [("keyword", "churn_intent", "switching to a competitor", 1.0)],
        )
        conn.execute("update raw.interactions set account_id = 'A6' where interaction_id = 'i204'")
        conn.execute("update raw.contacts set analysis_opt_out = true where contact_id = 'C1'")

    night(changes)
    second = {
        (r["interaction_id"], r["evidence_text"], r["account_id"]) for r in _evidence(nightly)
    }
    assert second == {("i204", "fixed", "A6"), ("i301", "switching to a competitor", "A3")}


# --- privacy: opted-out contacts (issue 14) -------------------------------------------------


def test_opted_out_texts_are_counted_but_never_published(warehouse):
    rows = {r["interaction_id"]: r for r in warehouse.mart("fct_interactions", "interaction_id")}
    opted_out = {c[0] for c in CONTACTS if c[5]}
    theirs = [i[0] for i in INTERACTIONS if i[2] in opted_out]
    assert theirs == ["i401", "i402"]
    for iid in theirs:
        assert rows[iid]["is_analysis_opt_out"]
        assert (rows[iid]["subject"], rows[iid]["body"], rows[iid]["text_hash"]) == (
            None,
            None,
            None,
        )
    assert rows["i101"]["body"] == "Love the new dashboard"  # everyone else's text is there
    evidence = warehouse.mart("fct_interaction_evidence", "interaction_id")
    assert [r["interaction_id"] for r in evidence] == ["i301"]  # i401's evidence is withheld
    # Each evidence row carries its interaction's account, for the Account page's reads.
    assert evidence[0]["account_id"] == rows["i301"]["account_id"] is not None
    assert warehouse.mart("agg_analysis_opt_outs") == [
        {"opted_out_contacts": 1, "withheld_interactions": 2, "withheld_survey_comments": 1}
    ]


def test_opted_out_survey_comments_are_never_scored(warehouse):
    (c6,) = warehouse.query(
        "select emotion_basis, emotion from intermediate.int_surveys__emotion_assigned "
        "where response_id = 'c6'"
    )
    # c6's comment ("I am so angry ...") is C4's, who opted out: no crm_emotion, no 'anger'.
    assert c6 == {"emotion_basis": "none", "emotion": "neutral"}
    (c3,) = warehouse.query(
        "select emotion_basis from intermediate.int_surveys__emotion_assigned "
        "where response_id = 'c3'"
    )
    assert c3["emotion_basis"] == "comment"


def test_every_scoring_call_in_dbt_is_one_reviewed_for_opt_outs():
    """A new crm_* call on text in a model must skip opted-out contacts: review it, then list it."""
    import re
    from pathlib import Path

    models = Path(__file__).resolve().parents[2] / "dbt" / "models"
    calls = {
        path.name
        for path in models.rglob("*.sql")
        if re.search(r"\bcrm_[a-z_]+\s*\(", path.read_text())
    }
    assert calls == {"int_surveys__emotion_assigned.sql"}
