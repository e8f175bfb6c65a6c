"""Issue 16's marts on a hand-written warehouse: timeline, transitions, lifecycle, churn review and
the observation template, recomputed here from the rows and the definitions in the models' docs.

All data ends on Sunday 2024-06-30. Five accounts:
  M1  a history of weekly states built to give each kind of transition, one week decided by a
      person's tag against the majority of its messages, a week decided by an account tag
      without messages, one contact above the contact-timeline threshold and one below it, and
      a contact who opted out of analysis whose (already scored) words must appear nowhere;
  M2  churned on 2024-06-20, with cues before it (frustration, praise, churn intent, an open
      ticket, a detractor NPS, usage that stopped);
  M3  five e-mail opens in two days, a demo it never answered after, billing concerns;
  M4  a lead that bought, onboarded, adopted and is now renewing (deals);
  M5  enthusiasm declining week after week;
  M6  a low, then kinder weeks, but one of them says it will cancel;
  M7  M6's weeks without the talk of leaving.
"""

# ruff: noqa: E501  (fixture rows are tables)

from __future__ import annotations

from datetime import date, datetime, timedelta

import duckdb
import pytest

from tests.dbt.conftest import insert_raw, insert_scores

pytestmark = pytest.mark.dbt

ACT_DAYS = 14  # dbt_project.yml churn_review_act_days
MIN_CONTACT_MESSAGES = 8  # dbt_project.yml contact_timeline_min_messages
OPTED_OUT_WORDS = "switching to Zylo"


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


ACCOUNTS = [
    (
        a,
        f"Account {a}",
        "software",
        "pro",
        "emea",
        stage,
        ts("2024-01-01"),
        1000.0,
        "2025-01-01",
        "o@v.test",
    )
    for a, stage in (
        ("M1", "customer"),
        ("M2", "churned"),
        ("M3", "customer"),
        ("M4", "customer"),
        ("M5", "customer"),
        ("M6", "customer"),
        ("M7", "customer"),
    )
]
CONTACTS = [
    ("CM1", "M1", "a@m1.test", "admin", ts("2024-01-01"), False),
    ("CM1b", "M1", "b@m1.test", "user", ts("2024-01-01"), False),
    ("CM1x", "M1", "x@m1.test", "user", ts("2024-01-01"), True),
    ("CM2", "M2", "a@m2.test", "admin", ts("2024-01-01"), False),
    ("CM3", "M3", "a@m3.test", "admin", ts("2024-01-01"), False),
    ("CM4", "M4", "a@m4.test", "admin", ts("2024-01-01"), False),
    ("CM5", "M5", "a@m5.test", "admin", ts("2024-01-01"), False),
    ("CM6", "M6", "a@m6.test", "admin", ts("2024-01-01"), False),
    ("CM7", "M7", "a@m7.test", "admin", ts("2024-01-01"), False),
]

# id, account, contact, ticket, occurred_at, emotion, compound, cues (churn_intent, billing, urgency, praise), body
MESSAGES = [
    # M1, week of 1 Apr: frustration (2) over satisfaction (1)
    (
        "m1-1",
        "M1",
        "CM1",
        "TK1",
        "2024-04-01 09:00",
        "frustration",
        -0.6,
        "",
        "The export broke again",
    ),
    ("m1-2", "M1", "CM1", "TK1", "2024-04-02 09:00", "frustration", -0.5, "", "Still broken"),
    ("m1-3", "M1", "CM1", None, "2024-04-03 09:00", "satisfaction", 0.4, "", "Thanks for the call"),
    # 8 Apr: satisfaction -> recovery
    (
        "m1-4",
        "M1",
        "CM1",
        None,
        "2024-04-08 09:00",
        "satisfaction",
        0.6,
        "",
        "Works now, thank you",
    ),
    # money mentioned happily: the scorer's billing cue, no billing concern
    (
        "m1-5",
        "M1",
        "CM1",
        None,
        "2024-04-09 09:00",
        "satisfaction",
        0.5,
        "b",
        "All good, invoice too",
    ),
    # 15 Apr: neutral -> cooling
    ("m1-6", "M1", "CM1", None, "2024-04-15 09:00", "neutral", 0.0, "", "Noted"),
    # (22 Apr: nothing) 29 Apr: anger -> escalation
    ("m1-7", "M1", "CM1", "TK2", "2024-04-29 09:00", "anger", -0.9, "", "This is unacceptable"),
    # 6 May: two frustrated messages, but a person tags the third as satisfaction -> it wins
    ("m1-8", "M1", "CM1", None, "2024-05-06 09:00", "frustration", -0.4, "", "Slow again"),
    ("m1-9", "M1", "CM1", None, "2024-05-07 09:00", "frustration", -0.3, "", "Still slow"),
    ("m1-10", "M1", "CM1", None, "2024-05-08 09:00", "neutral", 0.1, "", "Ok we will see"),
    # 13 May: curiosity -> other (warm to warm)
    (
        "m1-11",
        "M1",
        "CM1",
        None,
        "2024-05-13 09:00",
        "curiosity",
        0.3,
        "",
        "How does the API work?",
    ),
    # a second contact, below the contact-timeline threshold
    ("m1b-1", "M1", "CM1b", None, "2024-05-14 09:00", "curiosity", 0.3, "", "Can I get access?"),
    ("m1b-2", "M1", "CM1b", None, "2024-05-15 09:00", "curiosity", 0.2, "", "Thanks"),
    # the contact who opted out: scored before opting out; anger that would outvote the week's
    # curiosity, and churn intent the template would quote
    (
        "m1x-1",
        "M1",
        "CM1x",
        None,
        "2024-05-13 10:00",
        "anger",
        -0.9,
        "c",
        f"We are {OPTED_OUT_WORDS} next month",
    ),
    (
        "m1x-2",
        "M1",
        "CM1x",
        None,
        "2024-05-14 10:00",
        "anger",
        -0.8,
        "c",
        f"Really {OPTED_OUT_WORDS}",
    ),
    # M2, churned on 2024-06-20
    (
        "m2-1",
        "M2",
        "CM2",
        None,
        "2024-01-15 09:00",
        "satisfaction",
        0.6,
        "p",
        "Great support, thank you so much",
    ),
    ("m2-2", "M2", "CM2", None, "2024-03-01 09:00", "frustration", -0.6, "", "Reports are wrong"),
    ("m2-3", "M2", "CM2", None, "2024-05-01 09:00", "satisfaction", 0.5, "", "Better now"),
    (
        "m2-4",
        "M2",
        "CM2",
        None,
        "2024-06-12 09:00",
        "disappointment",
        -0.5,
        "c",
        "We are evaluating alternatives",
    ),
    ("m2-5", "M2", "CM2", None, "2024-06-15 09:00", "frustration", -0.7, "", "Nothing works"),
    # M3: billing concerns, then a demo and silence
    (
        "m3-1",
        "M3",
        "CM3",
        None,
        "2024-05-20 09:00",
        "anxiety",
        -0.2,
        "b",
        "The invoice is wrong again. Please fix.",
    ),
    (
        "m3-2",
        "M3",
        "CM3",
        None,
        "2024-06-01 09:00",
        "neutral",
        -0.1,
        "b",
        "Any news on the invoice?",
    ),
    # M4: one message while onboarding, one while renewing
    ("m4-1", "M4", "CM4", None, "2024-03-01 09:00", "curiosity", 0.4, "", "How do I set up SSO?"),
    (
        "m4-2",
        "M4",
        "CM4",
        None,
        "2024-06-05 09:00",
        "anxiety",
        -0.3,
        "",
        "Worried about the renewal price",
    ),
    # M5: delight fading to indifference over five weeks
    ("m5-1", "M5", "CM5", None, "2024-05-13 09:00", "delight", 0.8, "", "Love it"),
    ("m5-2", "M5", "CM5", None, "2024-05-20 09:00", "satisfaction", 0.5, "", "Good"),
    ("m5-3", "M5", "CM5", None, "2024-05-27 09:00", "satisfaction", 0.2, "", "Fine"),
    ("m5-4", "M5", "CM5", None, "2024-06-03 09:00", "neutral", -0.1, "", "Ok"),
    ("m5-5", "M5", "CM5", None, "2024-06-10 09:00", "neutral", -0.3, "", "Meh"),
    # M6 and M7: a low on 3 June, then kinder weeks; M6 says it will cancel on 17 June
    *[
        (f"m{a}-{i}", f"M{a}", f"CM{a}", None, day, emotion, compound, cue if a == 6 else "", body)
        for a in (6, 7)
        for i, (day, emotion, compound, cue, body) in enumerate(
            [
                ("2024-06-03 09:00", "frustration", -0.8, "", "The sync failed again"),
                ("2024-06-03 15:00", "frustration", -0.8, "", "Still failing after a restart"),
                ("2024-06-10 09:00", "neutral", -0.2, "", "Any update?"),
                ("2024-06-17 09:00", "disappointment", -0.5, "c", "We will cancel at renewal"),
                ("2024-06-24 09:00", "satisfaction", 0.1, "", "Thanks for the fix"),
                ("2024-06-24 15:00", "satisfaction", 0.1, "", "Runs fine now"),
            ]
        )
    ],
    # every account has data up to 30 June (an agent's note)
    *[
        (f"end-{a}", a, f"C{a}", None, "2024-06-30 09:00", None, None, "", "internal note")
        for a in ("M1", "M3", "M4", "M5", "M6", "M7")
    ],
]
# M1's contact CM1 also writes 8 more scored messages in earlier weeks (quiet ones in March).
MESSAGES += [
    (
        f"m1-early-{i}",
        "M1",
        "CM1",
        None,
        f"2024-03-{4 + i:02d} 09:00",
        "satisfaction",
        0.3,
        "",
        "Fine thanks",
    )
    for i in range(3)
]
TAGS = [
    # interaction tag: the neutral message of 6 May is satisfaction in a person's judgement
    ("m1-10", None, "satisfaction", "lead@v.test", ts("2024-05-09 10:00")),
    # account tag given in a week without messages (10 June): anxiety
    (None, "M1", "anxiety", "lead@v.test", ts("2024-06-12 10:00")),
]
EVIDENCE = [
    ("m1-5", "pattern", "billing_concern", "billing words: 'invoice'", 1.0),
    ("m3-1", "pattern", "billing_concern", "billing words: 'invoice'", 1.0),
    ("m3-2", "pattern", "billing_concern", "billing words: 'invoice'", 1.0),
    ("m2-4", "pattern", "churn_intent", "evaluating alternatives: 'evaluating alternatives'", 1.0),
    ("m2-1", "pattern", "praise", "praise phrases: 'thank you so much'", 1.0),
    ("m1x-1", "pattern", "churn_intent", "switch to: 'switching to'", 1.0),
    ("m1x-2", "pattern", "churn_intent", "switch to: 'switching to'", 1.0),
    ("m6-2", "pattern", "churn_intent", "cancel: 'cancel at renewal'", 1.0),
]
TICKETS = [
    (
        "TK1",
        "M1",
        "CM1",
        ts("2024-04-01 09:00"),
        "solved",
        "high",
        ts("2024-04-08 09:00"),
        ts("2024-04-08 09:00"),
        None,
        0,
    ),
    (
        "TK2",
        "M1",
        "CM1",
        ts("2024-04-29 09:00"),
        "solved",
        "urgent",
        ts("2024-05-02 09:00"),
        ts("2024-05-02 09:00"),
        None,
        0,
    ),
    ("TM2", "M2", "CM2", ts("2024-04-10 09:00"), "open", "high", None, None, None, 0),
]
SURVEYS = [
    ("S-M2", "M2", "CM2", None, "nps", 3, 0, 10, None, ts("2024-05-20 09:00")),
    ("S-M1", "M1", "CM1", None, "csat", 4, 1, 5, None, ts("2024-04-09 12:00")),
]
EVENTS = [
    # M2 logs in every day from January to March, then stops
    *[
        (f"e2-{i}", "M2", "CM2", "login", ts("2024-01-01 10:00") + timedelta(days=i))
        for i in range(91)
    ],
    # M3: five opens in two days, then a demo
    *[
        (f"e3-o{i}", "M3", "CM3", "email_open", ts("2024-06-03 08:00") + timedelta(hours=9 * i))
        for i in range(5)
    ],
    ("e3-d", "M3", "CM3", "demo_attended", ts("2024-06-10 15:00")),
    *[
        (f"end-e-{a}", a, f"C{a}", "email_sent", ts("2024-06-30 09:00"))
        for a in ("M1", "M2", "M3", "M4", "M5", "M6", "M7")
    ],
]
DEALS = [
    (
        "D4-1",
        "M4",
        "closed_won",
        12000.0,
        ts("2024-01-05 09:00"),
        ts("2024-02-01 09:00"),
        "won",
        "new_business",
    ),
    ("D4-2", "M4", "proposal", 12000.0, ts("2024-06-01 09:00"), None, None, "renewal"),
]
ACCOUNT_EVENTS = [("M2", "churned", ts("2024-06-20 10:00"), -1000.0)]
CUE_COLUMNS = {"c": "churn_intent", "b": "billing_concern", "u": "urgency", "p": "praise"}


def write_rows(conn: duckdb.DuckDBPyConnection, messages=MESSAGES, tags=TAGS) -> None:
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
    write_messages(conn, messages)
    insert_raw(
        conn, "raw.emotion_tags", "interaction_id, account_id, tag, tagged_by, tagged_at", tags
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
        conn,
        "raw.engagement_events",
        "event_id, account_id, contact_id, event_type, occurred_at",
        EVENTS,
    )
    insert_raw(
        conn,
        "raw.deals",
        "deal_id, account_id, stage, amount, created_at, closed_at, outcome, deal_type",
        DEALS,
    )
    insert_raw(
        conn, "raw.account_events", "account_id, event, occurred_at, mrr_delta", ACCOUNT_EVENTS
    )
    conn.executemany(
        "insert into scores.interaction_evidence values (?, 'v1', ?, ?, ?, ?)",
        [e for e in EVIDENCE if any(m[0] == e[0] for m in messages)],
    )


def write_messages(
    conn: duckdb.DuckDBPyConnection, messages: list[tuple], loaded_at: datetime | None = None
) -> None:
    """Messages as the loader and the scorer would store them (the customer's, scored)."""
    rows = [
        (
            iid,
            acc,
            con,
            tk,
            "note" if emo is None else "ticket_comment" if tk else "email",
            "outbound" if emo is None else "inbound",
            "agent" if emo is None else "customer",
            ts(at),
            "subject",
            body,
        )
        for iid, acc, con, tk, at, emo, _, _, body in messages
    ]
    if loaded_at is None:
        insert_raw(
            conn,
            "raw.interactions",
            "interaction_id, account_id, contact_id, ticket_id, channel, direction, author_type, occurred_at, subject, body",
            rows,
        )
    else:
        conn.executemany(
            "insert into raw.interactions (interaction_id, account_id, contact_id, ticket_id, channel, direction, author_type, occurred_at, subject, body, _source_file, _source_row, _loaded_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'late.csv', 1, ?)",
            [r + (loaded_at,) for r in rows],
        )
    insert_scores(
        conn,
        [
            (
                iid,
                c,
                emo,
                "c" in cues,
                "b" in cues,
                "u" in cues,
                "p" in cues,
                loaded_at or ts("2024-07-01"),
            )
            for iid, _, _, _, _, emo, c, cues, _ in messages
            if emo is not None
        ],
    )


@pytest.fixture(scope="module")
def warehouse(make_warehouse):
    return make_warehouse(write_rows)


def _by(rows: list[dict], *keys: str) -> dict:
    return {tuple(r[k] for k in keys) if len(keys) > 1 else r[keys[0]]: r for r in rows}


# ---------------------------------------------------------------- timeline


def test_dominant_state_per_week_and_a_human_tag_wins(warehouse) -> None:
    weeks = _by(
        warehouse.query("select * from marts.fct_account_emotion_weekly where account_id = 'M1'"),
        "week_start",
    )
    w1 = weeks[date(2024, 4, 1)]
    assert (w1["dominant_emotion"], w1["dominant_source"], w1["dominant_confidence"]) == (
        "frustration",
        "model",
        2,
    )
    assert w1["customer_messages"] == 3 and w1["share_frustration"] == pytest.approx(2 / 3)
    assert w1["mean_sentiment"] == pytest.approx((-0.6 - 0.5 + 0.4) / 3, abs=1e-6)  # rounded to 6
    assert w1["tickets_opened"] == 1 and w1["tickets_closed"] == 0
    assert (
        weeks[date(2024, 4, 8)]["tickets_closed"] == 1 and weeks[date(2024, 4, 8)]["csat_mean"] == 4
    )
    # 6 May: two frustrated messages against one a person tagged satisfaction: the person wins
    w6 = weeks[date(2024, 5, 6)]
    assert (w6["dominant_emotion"], w6["dominant_source"], w6["dominant_confidence"]) == (
        "satisfaction",
        "human",
        1,
    )
    assert w6["dominant_first_message_id"] == "m1-10"
    # 10 June: no message, an account tag: a week of its own, decided by the person
    w10 = weeks[date(2024, 6, 10)]
    assert (w10["dominant_emotion"], w10["dominant_source"], w10["customer_messages"]) == (
        "anxiety",
        "human",
        0,
    )
    assert date(2024, 4, 22) not in weeks  # no activity, no row
    latest = [w for w in weeks.values() if w["is_latest_week"]]
    assert [w["week_start"] for w in latest] == [max(weeks)]


def test_opted_out_contact_is_counted_never_read(warehouse) -> None:
    w = warehouse.query(
        "select * from marts.fct_account_emotion_weekly where account_id = 'M1' and week_start = date '2024-05-13'"
    )[0]
    # two of CM1x's messages are counted, but the week's state is the others' curiosity
    assert w["customer_messages"] == 5 and w["scored_messages"] == 3
    assert w["dominant_emotion"] == "curiosity" and w["share_anger"] == 0
    for mart in (
        "fct_account_emotion_weekly",
        "fct_contact_emotion_weekly",
        "fct_account_emotion_transitions",
        "fct_churned_account_review",
        "fct_account_observations",
        "fct_account_lifecycle_stages",
    ):
        text = warehouse.query(
            f"select string_agg(cast(columns(*) as varchar), '|') as t from marts.{mart}"
        )[0]
        found = " ".join(str(v) for v in text.values() if v)
        assert found, mart  # the mart has rows to search
        assert "m1x-" not in found and OPTED_OUT_WORDS not in found and "CM1x" not in found, mart


def test_contact_timeline_only_above_the_message_threshold(warehouse) -> None:
    rows = warehouse.query(
        "select contact_id, sum(scored_messages) as n from marts.fct_contact_emotion_weekly group by 1"
    )
    counts = {r["contact_id"]: r["n"] for r in rows}
    scored = {}
    for m in MESSAGES:
        if m[5] is not None and m[2] != "CM1x":
            scored[m[2]] = scored.get(m[2], 0) + 1
    expected = {c: n for c, n in scored.items() if n >= MIN_CONTACT_MESSAGES}
    assert expected == {"CM1": 14}  # the data is built so that exactly one contact qualifies
    assert counts == expected


def test_trajectory_in_words(warehouse) -> None:
    rows = _by(
        warehouse.query("select * from marts.fct_account_emotion_weekly where account_id = 'M5'"),
        "week_start",
    )
    # five weeks, each a notch less positive, starting from delight
    assert rows[date(2024, 6, 10)]["trajectory"] == "enthusiasm declining over 5 weeks"
    assert rows[date(2024, 5, 13)]["trajectory"] == "delight, the first messages in 6 weeks"
    # three and four single-message weeks fall as steeply, but are too few words for a trend
    # (trajectory_min_messages = 5)
    assert rows[date(2024, 5, 27)]["sentiment_slope_per_week"] < -0.05
    assert rows[date(2024, 5, 27)]["trajectory"] == "mixed over 3 weeks, now satisfaction"
    assert rows[date(2024, 6, 3)]["trajectory"].startswith("mixed over 4 weeks")
    assert rows[date(2024, 6, 10)]["sentiment_slope_per_week"] < -0.05
    # the least-squares slope of M5's weekly means (one message a week), and none for one week
    means = [m[6] for m in MESSAGES if m[1] == "M5" and m[5] is not None]
    for weeks in range(1, len(means) + 1):
        week = date(2024, 5, 13) + timedelta(weeks=weeks - 1)
        expected = _least_squares_slope(means[:weeks])
        got = rows[week]["sentiment_slope_per_week"]
        assert got is None if expected is None else got == pytest.approx(round(expected, 4)), week


def test_talk_of_leaving_outweighs_a_kinder_trend(warehouse) -> None:
    weekly = warehouse.query(
        "select account_id, week_start, trajectory, churn_intent_messages"
        " from marts.fct_account_emotion_weekly where account_id in ('M6', 'M7')"
    )
    words = {(r["account_id"], r["week_start"]): r["trajectory"] for r in weekly}
    # the same weeks rise from a low; without the cancel message they read as a recovery
    assert words[("M7", date(2024, 6, 24))] == "recovering since 3 Jun 2024"
    assert words[("M6", date(2024, 6, 24))] == (
        "spoke of leaving in the week of 17 Jun 2024, now satisfaction"
    )
    assert words[("M6", date(2024, 6, 17))] == (
        "spoke of leaving in the week of 17 Jun 2024, now disappointment"
    )
    # before it was said, the words are the same as M7's
    assert words[("M6", date(2024, 6, 10))] == words[("M7", date(2024, 6, 10))]
    assert "leaving" not in words[("M6", date(2024, 6, 10))]
    said = {(r["account_id"], r["week_start"]): r["churn_intent_messages"] for r in weekly}
    assert said[("M6", date(2024, 6, 17))] == 1
    assert sum(v for (a, _), v in said.items() if a == "M7") == 0


def _least_squares_slope(ys: list[float]) -> float | None:
    """Slope per step of ys at steps 0, 1, 2...; None under two points."""
    if len(ys) < 2:
        return None
    xs = range(len(ys))
    mx, my = sum(xs) / len(ys), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


# ---------------------------------------------------------------- transitions


def test_transitions_classified_with_the_messages_either_side(warehouse) -> None:
    rows = warehouse.query(
        "select * from marts.fct_account_emotion_transitions where account_id = 'M1' order by changed_week"
    )
    got = [(r["changed_week"], r["from_state"], r["to_state"], r["transition_kind"]) for r in rows]
    assert got == [
        (
            date(2024, 4, 1),
            "satisfaction",
            "frustration",
            "escalation",
        ),  # from the quiet March weeks
        (date(2024, 4, 8), "frustration", "satisfaction", "recovery"),
        (date(2024, 4, 15), "satisfaction", "neutral", "cooling"),
        (date(2024, 4, 29), "neutral", "anger", "escalation"),
        (date(2024, 5, 6), "anger", "satisfaction", "recovery"),
        (date(2024, 5, 13), "satisfaction", "curiosity", "other"),
        (date(2024, 6, 10), "curiosity", "anxiety", "cooling"),
    ]
    first = rows[1]
    # the last frustrated message before, the first satisfied one after
    assert (first["last_message_before_id"], first["first_message_after_id"]) == ("m1-2", "m1-4")
    assert (first["from_week"], first["to_week"]) == (date(2024, 4, 1), date(2024, 4, 8))
    assert rows[4]["to_source"] == "human" and rows[4]["first_message_after_id"] == "m1-10"
    assert rows[2]["transition_words"] == "satisfied -> indifferent"
    # M3's weeks go anxiety -> neutral: warming
    m3 = warehouse.query(
        "select transition_kind from marts.fct_account_emotion_transitions where account_id = 'M3'"
    )
    assert [r["transition_kind"] for r in m3] == ["warming"]


def test_transitions_counted_per_month_and_quarter(warehouse) -> None:
    rows = warehouse.query("select * from marts.agg_emotion_transitions_by_period")
    counts = {(r["grain"], r["period_start"], r["transition_kind"]): r["transitions"] for r in rows}
    transitions = warehouse.query(
        "select changed_week, transition_kind from marts.fct_account_emotion_transitions"
    )
    assert len(transitions) >= 8
    for grain in ("month", "quarter"):
        expected: dict = {}
        for t in transitions:
            d = t["changed_week"]
            start = (
                date(d.year, d.month, 1)
                if grain == "month"
                else date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)
            )
            key = (grain, start, t["transition_kind"])
            expected[key] = expected.get(key, 0) + 1
        assert {k: v for k, v in counts.items() if k[0] == grain and v} == expected
    # every kind is listed in every period, zeros included
    assert counts[("month", date(2024, 4, 1), "warming")] == 0


# ---------------------------------------------------------------- lifecycle


def test_lifecycle_stages_from_deals_and_events(warehouse) -> None:
    rows = warehouse.query(
        "select * from marts.fct_account_lifecycle_stages where account_id = 'M4' order by stage_number"
    )
    assert [(r["stage"], r["entered_at"]) for r in rows] == [
        ("lead", ts("2024-01-05 09:00")),
        ("onboarding", ts("2024-02-01 09:00")),
        ("adoption", ts("2024-02-01 09:00") + timedelta(days=90)),
        ("renewal", ts("2024-06-01 09:00")),
    ]
    assert [r["days_in_stage"] for r in rows[:3]] == [27, 90, 31]
    assert [r["is_current"] for r in rows] == [False, False, False, True]
    m2 = warehouse.query(
        "select stage, is_current, entered_at from marts.fct_account_lifecycle_stages where account_id = 'M2' order by stage_number"
    )
    assert [r["stage"] for r in m2] == ["onboarding", "adoption", "churned"]
    assert m2[-1]["is_current"] and m2[-1]["entered_at"] == ts("2024-06-20 10:00")
    # emotions by stage: M4's renewal-time worry is the only message written in renewal
    by_stage = warehouse.query(
        "select * from marts.agg_emotion_by_lifecycle_stage where stage = 'renewal'"
    )
    assert [(r["emotion"], r["messages"], r["share"]) for r in by_stage] == [("anxiety", 1, 1.0)]


# ---------------------------------------------------------------- churned-account review


def test_churned_account_cues_and_lead_times(warehouse) -> None:
    rows = _by(
        warehouse.query("select * from marts.fct_churned_account_review where account_id = 'M2'"),
        "cue",
    )
    churn = date(2024, 6, 20)
    expected = {
        "first_frustration": ("m2-2", "interaction", date(2024, 3, 1)),
        "last_positive_message": ("m2-3", "interaction", date(2024, 5, 1)),
        "churn_intent": ("m2-4", "interaction", date(2024, 6, 12)),
        "unresolved_tickets": ("TM2", "ticket", date(2024, 4, 10)),
        "negative_survey": ("S-M2", "survey", date(2024, 5, 20)),
    }
    for cue, (evidence_id, kind, at) in expected.items():
        row = rows[cue]
        days = (churn - at).days
        assert (row["evidence_id"], row["evidence_kind"], row["days_before_churn"]) == (
            evidence_id,
            kind,
            days,
        ), cue
        assert row["could_have_acted"] == (days >= ACT_DAYS), cue
        assert f"{days} days before the churn" in row["reason"], row["reason"]
    assert rows["churn_intent"]["could_have_acted"] is False  # 8 days: too late
    assert "too late to act" in rows["churn_intent"]["reason"]
    # usage stopped at the end of March: the drop is seen weeks before the churn, and its evidence
    # is the last login before it was seen
    drop = rows["engagement_drop"]
    assert drop["evidence_kind"] == "engagement" and drop["evidence_id"].startswith("e2-")
    assert drop["could_have_acted"] and drop["cue_at"] > ts("2024-03-31")
    assert set(rows) == set(expected) | {"engagement_drop"}
    assert warehouse.query("select distinct account_id from marts.fct_churned_account_review") == [
        {"account_id": "M2"}
    ]


# ---------------------------------------------------------------- observation template


def test_observation_lines_point_at_real_evidence(warehouse) -> None:
    rows = warehouse.query("select * from marts.fct_account_observations")
    assert len(rows) >= 10
    tables = {
        "interaction": ("marts.fct_interactions", "interaction_id"),
        "ticket": ("raw.tickets", "ticket_id"),
        "engagement": ("raw.engagement_events", "event_id"),
        "survey": ("raw.surveys", "response_id"),
        "deal": ("raw.deals", "deal_id"),
    }
    for r in rows:
        table, key = tables[r["evidence_kind"]]
        owner = warehouse.query(
            f"select account_id from {table} where {key} = '{r['evidence_id']}'"
        )
        assert owner == [{"account_id": r["account_id"]}], r


def test_observation_template_lines(warehouse) -> None:
    rows = warehouse.query(
        "select * from marts.fct_account_observations where account_id = 'M3' order by category, rank"
    )
    lines = {(r["category"], r["line"]): (r["evidence_kind"], r["evidence_id"]) for r in rows}
    assert lines[("behavioral_trigger", "opened 5 e-mails in 2 days")] == ("engagement", "e3-o0")
    assert lines[("behavioral_trigger", "attended a demo on 10 Jun")] == ("engagement", "e3-d")
    assert lines[("engagement_frequency", "no reply since the demo on 10 Jun")] == (
        "engagement",
        "e3-d",
    )
    assert lines[("risk_indicator", "billing concern, 2 mentions")] == ("interaction", "m3-2")
    assert lines[("verbal_cue", "'The invoice is wrong again' (billing concern)")] == (
        "interaction",
        "m3-1",
    )
    assert lines[("sentiment_signal", "'anxious' in an e-mail on 20 May")] == (
        "interaction",
        "m3-1",
    )
    m1 = {
        r["line"]
        for r in warehouse.query(
            "select line from marts.fct_account_observations where account_id = 'M1'"
        )
    }
    assert "'angry' in ticket #TK2" in m1
    # m1-5 names the invoice happily: no billing concern counted or quoted
    assert not [line for line in m1 if "billing" in line], m1
    m2 = {
        r["line"]: r
        for r in warehouse.query(
            "select * from marts.fct_account_observations where account_id = 'M2'"
        )
    }
    assert "'We are evaluating alternatives' (churn intent)" in m2
    assert "a ticket unresolved, the oldest 81 days old" in m2  # 10 Apr to the data's end, 30 Jun


# ---------------------------------------------------------------- incremental = full


LATE = [
    # a new week for M1 and M5, a late message in an old week of M1 (15 April: two frustrated
    # messages outvote its single neutral one, so two transitions change), and a new M1 contact
    ("m1-late-1", "M1", "CM1", None, "2024-04-16 09:00", "frustration", -0.5, "", "Late: broken"),
    (
        "m1-late-2",
        "M1",
        "CM1",
        None,
        "2024-04-17 09:00",
        "frustration",
        -0.5,
        "",
        "Late: still broken",
    ),
    ("m1-new", "M1", "CM1", None, "2024-07-01 09:00", "delight", 0.9, "p", "Love the fix"),
    ("m5-new", "M5", "CM5", None, "2024-07-01 09:00", "anger", -0.9, "c", "Cancel our plan"),
    *[
        (
            f"m1b-new-{i}",
            "M1",
            "CM1b",
            None,
            f"2024-06-{3 + i:02d} 09:00",
            "satisfaction",
            0.4,
            "",
            "ok",
        )
        for i in range(7)
    ],
]
LATE_TAG = [("m5-3", None, "anger", "lead@v.test", ts("2024-07-01 12:00"))]
COMPARED = (
    "fct_account_emotion_weekly",
    "fct_contact_emotion_weekly",
    "fct_account_emotion_transitions",
    "agg_emotion_transitions_by_period",
)


def test_nightly_build_with_late_data_equals_a_full_build(make_warehouse) -> None:
    wh = make_warehouse(write_rows)
    conn = duckdb.connect(str(wh.db_path))
    try:
        write_messages(conn, LATE, loaded_at=ts("2024-07-02 02:00"))
        conn.executemany(
            "insert into raw.emotion_tags (interaction_id, account_id, tag, tagged_by, tagged_at, _source_file, _source_row, _loaded_at) values (?, ?, ?, ?, ?, 'app', 1, timestamp '2024-07-02 02:00')",
            LATE_TAG,
        )
    finally:
        conn.close()
    wh.nightly_build()
    nightly = {m: _rows(wh, m) for m in COMPARED}
    wh.dbt_build("--full-refresh")
    full = {m: _rows(wh, m) for m in COMPARED}
    for m in COMPARED:
        assert nightly[m] == full[m], m
    # and the late data did change what the first build had said
    transitions = {
        (r["changed_week"], r["transition_kind"])
        for r in wh.query(
            "select * from marts.fct_account_emotion_transitions where account_id = 'M1'"
        )
    }
    assert (date(2024, 4, 15), "cooling") not in transitions and (
        date(2024, 4, 15),
        "escalation",
    ) in transitions
    assert (date(2024, 7, 1), "recovery") in transitions  # from the account tag's anxiety
    m5 = {
        r["changed_week"]: r["to_state"]
        for r in wh.query(
            "select * from marts.fct_account_emotion_transitions where account_id = 'M5'"
        )
    }
    assert m5[date(2024, 5, 27)] == "anger"  # the late tag
    # a contact that reached the threshold gets all its weeks
    assert (
        wh.query(
            "select count(*) as n from marts.fct_contact_emotion_weekly where contact_id = 'CM1b'"
        )[0]["n"]
        == 2
    )
    latest = wh.query(
        "select week_start from marts.fct_account_emotion_weekly where account_id = 'M5' and is_latest_week"
    )
    assert latest == [{"week_start": date(2024, 7, 1)}]


# CM1's seven latest messages (9 April to 13 May), re-scored as empty texts: 7 of its 14 stay,
# under the contact threshold, while its weeks before 8 April are not rebuilt.
RESCORED_EMPTY = ("m1-5", "m1-6", "m1-7", "m1-8", "m1-9", "m1-10", "m1-11")


def test_a_contact_writing_for_two_accounts_in_a_week_keeps_one_row(make_warehouse) -> None:
    """A person can write for two companies (a HubSpot contact with several, a Zendesk user in two
    organizations). Their week stays one row, under the account the CRM links them to, and counts
    both messages; before, the week split into two rows and the build failed its unique test."""
    in_week = [
        m for m in MESSAGES if "2024-04-01" <= m[4][:10] <= "2024-04-07" and m[5]
    ]  # customers'
    week = [m for m in in_week if m[2] == "CM1"]
    assert week and {m[1] for m in week} == {"M1"}
    for_m2 = (
        "m1-for-m2",
        "M2",
        "CM1",
        None,
        "2024-04-02 09:00",
        "satisfaction",
        0.4,
        "",
        "Asking for a colleague",
    )
    wh = make_warehouse(lambda conn: write_rows(conn, messages=[*MESSAGES, for_m2]))
    rows = wh.query(
        "select account_id, customer_messages from intermediate.int_contact_weeks__summarized "
        "where contact_id = 'CM1' and week_start = date '2024-04-01'"
    )
    assert rows == [{"account_id": "M1", "customer_messages": len(week) + 1}]
    # The account's own week counts only its messages: M2's gains the one written for it.
    m2 = wh.query(
        "select customer_messages from intermediate.int_account_weeks__summarized "
        "where account_id = 'M2' and week_start = date '2024-04-01'"
    )
    assert m2[0]["customer_messages"] == 1 + sum(1 for m in in_week if m[1] == "M2")


def test_nightly_build_drops_a_contact_that_falls_under_the_threshold(make_warehouse) -> None:
    wh = make_warehouse(write_rows)
    # CM1 has weeks that the nightly build does not rebuild
    kept = wh.query(
        "select count(*) as n from marts.fct_contact_emotion_weekly where contact_id = 'CM1' and week_start < date '2024-04-08'"
    )
    assert kept[0]["n"] > 0
    conn = duckdb.connect(str(wh.db_path))
    try:
        conn.execute(
            "insert into scores.interaction_scores by name "
            "select * replace ('v2' as scorer_version, true as is_empty, timestamp '2024-07-02 02:00' as scored_at) "
            "from scores.interaction_scores where interaction_id in (select unnest(?))",
            [list(RESCORED_EMPTY)],
        )
    finally:
        conn.close()
    wh.nightly_build()
    nightly = {m: _rows(wh, m) for m in COMPARED}
    assert wh.query(
        "select count(*) as n from marts.fct_contact_emotion_weekly where contact_id = 'CM1'"
    ) == [{"n": 0}]
    wh.dbt_build("--full-refresh")
    for m in COMPARED:
        assert nightly[m] == _rows(wh, m), m


def _rows(wh, mart: str) -> list[tuple]:
    rows = (
        wh.query(f"select * exclude (loaded_through) from marts.{mart}")
        if mart != "agg_emotion_transitions_by_period"
        else wh.query(f"select * from marts.{mart}")
    )
    return sorted(tuple(str(v) for v in r.values()) for r in rows)
