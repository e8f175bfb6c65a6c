"""Issue 15's marts on a hand-written warehouse: cues, health and actions recomputed from raw rows.

Four accounts, one per kind of cue, all with data up to Sunday 2024-06-30, so the latest snapshot is
Monday 2024-07-01 (also the first of a month) and it sees the days before it:
  R1  logged in every day in March-May, twice in June      -> engagement drop
  R2  two tickets open (one for 30 days), one solved, one
      abandoned in January (older than the 90-day window)  -> ticket frustration, senior agent
  R3  wrote "evaluating alternatives", a billing question,
      praise in May; our reply 6 h, theirs 42 h; NPS 3      -> verbal cues, reply times, survey
  R4  a demo on 1 June, more use after than before, an
      open deal                                             -> demo curiosity, accelerate the deal
The expected numbers are recomputed here from the rows and the cue definitions (windows of whole
days before the as-of date; thresholds from the seed file), not read back from SQL.
"""

# ruff: noqa: E501  (fixture rows are tables)

from __future__ import annotations

import csv
import hashlib
from datetime import date, datetime, timedelta

import duckdb
import pytest

from tests.dbt.conftest import DBT_DIR, insert_raw, insert_scores

pytestmark = pytest.mark.dbt

AS_OF = date(2024, 7, 1)
RECENT, BASELINE, SHORT, LONG, DEMO = 28, 90, 30, 90, 14  # dbt_project.yml cue_* vars


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _days(first: str, last: str) -> list[date]:
    d, end, out = date.fromisoformat(first), date.fromisoformat(last), []
    while d <= end:
        out.append(d)
        d += timedelta(days=1)
    return out


ACCOUNTS = [
    (
        a,
        f"Account {a}",
        "software",
        "pro",
        "emea",
        "customer",
        ts("2024-01-01"),
        1000.0,
        "2025-01-01",
        f"{a.lower()}@vendor.test",
    )
    for a in ("R1", "R2", "R3", "R4")
]
CONTACTS = [
    (f"C{a}", a, f"x@{a}.test", "admin", ts("2024-01-01"), False) for a in ("R1", "R2", "R3", "R4")
]

# event_id, account_id, contact_id, event_type, occurred_at
EVENTS: list[tuple] = []
for d in _days("2024-03-01", "2024-05-31"):
    EVENTS.append(
        (
            f"e1-{d}",
            "R1",
            "CR1",
            "login",
            datetime.combine(d, datetime.min.time()) + timedelta(hours=10),
        )
    )
EVENTS += [
    ("e1-j1", "R1", "CR1", "login", ts("2024-06-10 10:00")),
    ("e1-j2", "R1", "CR1", "login", ts("2024-06-20 10:00")),
    # R4: a demo on 1 June; 2 events in the 14 days before it, 6 in the 14 days after it.
    ("e4-d", "R4", "CR4", "demo_attended", ts("2024-06-01 10:00")),
    ("e4-b1", "R4", "CR4", "login", ts("2024-05-20 10:00")),
    ("e4-b2", "R4", "CR4", "email_open", ts("2024-05-25 10:00")),
    ("e4-b3", "R4", "CR4", "login", ts("2024-05-10 10:00")),  # 22 days before: outside
    *[
        (f"e4-a{i}", "R4", "CR4", kind, ts(f"2024-06-{3 + i:02d} 10:00"))
        for i, kind in enumerate(
            ["login", "feature_used", "login", "email_click", "login", "feature_used"]
        )
    ],
    ("e4-a9", "R4", "CR4", "login", ts("2024-06-16 10:00")),  # 15 days after: outside
]
# Every account has something on 30 June, so the data ends that day (email_sent counts for nothing).
EVENTS += [
    (f"end-{a}", a, f"C{a}", "email_sent", ts("2024-06-30 09:00")) for a in ("R1", "R2", "R3", "R4")
]

# ticket_id, account_id, contact_id, created_at, status, priority, first_solved_at, solved_at, closed_at, reopen_count
TICKETS = [
    ("T1", "R2", "CR2", ts("2024-06-01 09:00"), "open", "high", None, None, None, 0),
    ("T2", "R2", "CR2", ts("2024-06-25 09:00"), "new", "normal", None, None, None, 0),
    (
        "T3",
        "R2",
        "CR2",
        ts("2024-05-01 09:00"),
        "solved",
        "normal",
        ts("2024-05-03 09:00"),
        ts("2024-05-03 09:00"),
        None,
        0,
    ),
    ("T4", "R2", "CR2", ts("2024-01-15 09:00"), "pending", "low", None, None, None, 0),
]

# interaction_id, account_id, contact_id, ticket_id, channel, direction, author_type, occurred_at, subject, body
INTERACTIONS = [
    (
        "r2-1",
        "R2",
        "CR2",
        "T1",
        "ticket_comment",
        "inbound",
        "customer",
        ts("2024-06-01 09:00"),
        "Broken",
        "Export is broken",
    ),
    (
        "r3-1",
        "R3",
        "CR3",
        None,
        "email",
        "inbound",
        "customer",
        ts("2024-06-10 09:00"),
        "Plans",
        "We are evaluating alternatives",
    ),
    (
        "r3-2",
        "R3",
        None,
        None,
        "email",
        "outbound",
        "agent",
        ts("2024-06-10 15:00"),
        "Re: Plans",
        "Can we talk?",
    ),
    (
        "r3-3",
        "R3",
        None,
        None,
        "email",
        "outbound",
        "agent",
        ts("2024-06-11 09:00"),
        "Re: Plans",
        "Following up",
    ),
    (
        "r3-4",
        "R3",
        "CR3",
        None,
        "email",
        "inbound",
        "customer",
        ts("2024-06-12 09:00"),
        "Re: Plans",
        "Fine, Thursday. The invoice looks right now, thanks",
    ),
    (
        "r3-5",
        "R3",
        None,
        None,
        "note",
        "outbound",
        "agent",
        ts("2024-06-15 09:00"),
        None,
        "Internal: call them",
    ),
    (
        "r3-6",
        "R3",
        "CR3",
        None,
        "email",
        "inbound",
        "customer",
        ts("2024-06-20 09:00"),
        "Invoice",
        "Why were we charged twice?",
    ),
    (
        "r3-7",
        "R3",
        "CR3",
        None,
        "chat",
        "inbound",
        "customer",
        ts("2024-05-01 09:00"),
        None,
        "Love the new reports",
    ),
]
# interaction_id, compound, emotion, churn_intent, billing_concern, urgency, praise
SCORES = [
    ("r2-1", -0.5, "frustration", False, False, False, False),
    ("r3-1", -0.1, "anxiety", True, False, False, False),
    ("r3-2", 0.2, "neutral", False, False, False, False),
    ("r3-3", 0.1, "neutral", False, False, False, False),
    # money mentioned happily: the scorer's billing cue, but no concern (daily signals)
    ("r3-4", 0.3, "neutral", False, True, False, False),
    ("r3-5", 0.0, "neutral", False, False, False, False),
    ("r3-6", -0.4, "frustration", False, True, False, False),
    ("r3-7", 0.8, "delight", False, False, False, True),
]
SURVEYS = [("S1", "R3", "CR3", None, "nps", 3.0, 0, 10, None, ts("2024-06-05 09:00"))]
DEALS = [("D1", "R4", "proposal", 12000.0, ts("2024-05-15"), None, None)]


# People's health overrides from the dashboard (raw.health_overrides, via its app state): R2's
# holds; R1's ran out in 2000; R3's was set, then cleared. The seed holds none.
HEALTH_OVERRIDES = [
    ("R2", 15.0, "legal dispute over the contract", "2999-01-01", "lea", ts("2024-06-28 09:00")),
    ("R1", 20.0, "old worry", "2000-01-31", "lea", ts("2000-01-02 09:00")),
    ("R3", 90.0, "renewed early", None, "sam", ts("2024-06-20 09:00")),
    ("R3", None, None, None, "sam", ts("2024-06-21 09:00")),
]


def write_rows(conn: duckdb.DuckDBPyConnection) -> None:
    insert_raw(
        conn,
        "raw.health_overrides",
        "account_id, override_score, reason, valid_until, overridden_by, overridden_at",
        HEALTH_OVERRIDES,
    )
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
        "raw.engagement_events",
        "event_id, account_id, contact_id, event_type, occurred_at",
        EVENTS,
    )
    insert_raw(
        conn,
        "raw.tickets",
        "ticket_id, account_id, contact_id, created_at, status, priority, first_solved_at, solved_at, closed_at, reopen_count",
        TICKETS,
    )
    insert_raw(
        conn,
        "raw.interactions",
        "interaction_id, account_id, contact_id, ticket_id, channel, direction, author_type, occurred_at, subject, body",
        INTERACTIONS,
    )
    insert_raw(
        conn,
        "raw.surveys",
        "response_id, account_id, contact_id, ticket_id, survey_type, score, scale_min, scale_max, comment, responded_at",
        SURVEYS,
    )
    insert_raw(
        conn,
        "raw.deals",
        "deal_id, account_id, stage, amount, created_at, closed_at, outcome",
        DEALS,
    )
    insert_scores(conn, [(*score, ts("2024-07-01")) for score in SCORES])
    conn.execute(
        "insert into scores.interaction_evidence values "
        "('r3-1', 'v1', 'pattern', 'churn_intent', 'evaluating alternatives: ''evaluating alternatives''', 1.0)"
    )


def _seed(name: str) -> list[dict[str, str]]:
    with (DBT_DIR / "seeds" / f"{name}.csv").open(newline="") as f:
        return list(csv.DictReader(f))


THRESHOLDS = {r["cue"]: float(r["threshold"]) for r in _seed("risk_cue_thresholds")}


@pytest.fixture(scope="module")
def warehouse(make_warehouse):
    return make_warehouse(write_rows)


@pytest.fixture(scope="module")
def latest(warehouse) -> dict[str, dict]:
    rows = warehouse.query("select * from marts.fct_account_cues_weekly where is_latest_week")
    return {r["account_id"]: r for r in rows}


def _in_window(d: date, days: int, lag: int = 0) -> bool:
    """`d` falls in the `days` whole days that end `lag` days before AS_OF."""
    return AS_OF - timedelta(days=lag + days) <= d <= AS_OF - timedelta(days=lag + 1)


def test_the_latest_week_is_the_day_after_the_data_for_every_account(latest) -> None:
    assert set(latest) == {"R1", "R2", "R3", "R4"}
    assert {r["as_of_date"] for r in latest.values()} == {AS_OF}
    assert {r["week_start_date"] for r in latest.values()} == {date(2024, 6, 24)}


def test_weekly_rows_are_mondays_with_only_the_past_in_them(warehouse) -> None:
    rows = warehouse.query(
        "select account_id, week_start_date, as_of_date, logins_recent from marts.fct_account_cues_weekly where account_id = 'R1' order by as_of_date"
    )
    assert len(rows) >= 15
    logins = [e[4].date() for e in EVENTS if e[1] == "R1" and e[3] == "login"]
    for r in rows:
        assert r["as_of_date"].weekday() == 0 and r["week_start_date"] == r[
            "as_of_date"
        ] - timedelta(days=7)
        expected = sum(
            r["as_of_date"] - timedelta(days=RECENT) <= d < r["as_of_date"] for d in logins
        )
        assert (r["logins_recent"] or 0) == expected


def test_engagement_drop_against_the_accounts_own_baseline(latest) -> None:
    logins = [e[4].date() for e in EVENTS if e[1] == "R1" and e[3] == "login"]
    recent = sum(_in_window(d, RECENT) for d in logins)
    baseline = sum(_in_window(d, BASELINE, lag=RECENT) for d in logins)
    expected_pct = 100 * (recent - baseline * RECENT / BASELINE) / (baseline * RECENT / BASELINE)
    r1 = latest["R1"]
    assert (r1["logins_recent"], r1["logins_baseline"]) == (recent, baseline) == (2, 88)
    assert r1["logins_change_pct"] == pytest.approx(expected_pct)
    assert r1["engagement_change_pct"] == pytest.approx(expected_pct)  # logins are all it did
    assert expected_pct <= -THRESHOLDS["engagement_drop_pct"] and r1["cue_engagement_drop"]
    assert "engagement -93%" in r1["cue_evidence"]
    # Too little baseline to judge: no change, no cue.
    assert latest["R3"]["engagement_change_pct"] is None and not latest["R3"]["cue_engagement_drop"]


def test_demo_curiosity_compares_the_14_days_after_with_the_14_before(latest) -> None:
    demo = date(2024, 6, 1)
    r4_events = [
        (e[4].date(), e[3])
        for e in EVENTS
        if e[1] == "R4" and e[3] in ("login", "feature_used", "email_open", "email_click")
    ]
    before = sum(demo - timedelta(days=DEMO) <= d < demo for d, _ in r4_events)
    after = sum(demo < d <= demo + timedelta(days=DEMO) for d, _ in r4_events)
    r4 = latest["R4"]
    assert (
        (r4["last_demo_date"], r4["engagement_before_demo"], r4["engagement_after_demo"])
        == (demo, before, after)
        == (demo, 2, 6)
    )
    assert r4["demo_engagement_change_pct"] == pytest.approx(200.0)
    assert r4["cue_demo_curiosity"] and not latest["R1"]["cue_demo_curiosity"]


def test_unresolved_tickets_and_their_age(latest) -> None:
    open_now = [
        t
        for t in TICKETS
        if t[1] == "R2"
        and t[3].date() < AS_OF
        and t[3].date() >= AS_OF - timedelta(days=LONG)
        and (t[4] not in ("solved", "closed") or t[7].date() >= AS_OF)
    ]
    ages = [(AS_OF - t[3].date()).days for t in open_now]
    r2 = latest["R2"]
    assert r2["unresolved_tickets"] == len(open_now) == 2  # T4, from January, is abandoned
    assert r2["unresolved_ticket_ids"] == "T1, T2"
    assert r2["oldest_unresolved_ticket_days"] == max(ages) == 30
    assert (
        r2["stale_tickets"] == sum(a > THRESHOLDS["unresolved_ticket_age_days"] for a in ages) == 1
    )
    assert r2["cue_ticket_frustration"] and r2["cue_stale_tickets"]
    assert "2 unresolved tickets (T1, T2), the oldest 30 days old" in r2["cue_evidence"]
    assert latest["R1"]["unresolved_tickets"] == 0 and not latest["R1"]["cue_ticket_frustration"]


def test_reply_times_verbal_cues_silence_and_the_survey(latest) -> None:
    r3 = latest["R3"]
    # Ours: r3-2 answers r3-1 after 6 h. Theirs: r3-4 answers our run that began with r3-2: 42 h.
    # The note is no message to anyone; r3-6 has no answer yet.
    assert (r3["our_replies_90d"], r3["our_reply_hours_avg_90d"]) == (1, pytest.approx(6.0))
    assert (r3["customer_replies_90d"], r3["customer_reply_hours_avg_90d"]) == (
        1,
        pytest.approx(42.0),
    )
    assert r3["days_since_customer_message"] == (AS_OF - date(2024, 6, 20)).days == 11
    assert (
        r3["churn_intent_30d"],
        r3["billing_concern_30d"],
        r3["praise_30d"],
        r3["praise_90d"],
    ) == (1, 1, 0, 1)
    assert (r3["last_churn_intent_interaction_id"], r3["last_billing_concern_interaction_id"]) == (
        "r3-1",
        "r3-6",
    )
    assert r3["cue_churn_intent"] and r3["cue_billing_concern"] and not r3["cue_praise"]
    # One message is one message, in the evidence's words.
    assert "churn intent in 1 message (latest r3-1)" in r3["cue_evidence"]
    assert not r3["cue_slow_reply"] and not r3["cue_hesitation"]
    assert (
        r3["last_survey_type"],
        r3["last_survey_score"],
        r3["last_survey_score_normalized"],
    ) == ("nps", 3.0, pytest.approx(0.3))
    # R1 never wrote: hesitation, said in words.
    assert latest["R1"]["cue_hesitation"] and "never written" in latest["R1"]["cue_evidence"]


def test_health_is_the_seed_weighted_sum_of_its_components(warehouse) -> None:
    weights = {r["component"]: float(r["weight"]) for r in _seed("health_weights")}
    assert sum(weights.values()) == 100
    bands = [
        (r["band"], float(r["min_score"]), float(r["max_score"])) for r in _seed("health_bands")
    ]
    rows = warehouse.query("select * from marts.fct_account_health order by account_id")
    assert [r["account_id"] for r in rows] == ["R1", "R2", "R3", "R4"]
    for r in rows:
        expected = sum(w * r[f"{c}_component"] for c, w in weights.items()) / 100
        assert r["health_higher_healthier"] == pytest.approx(expected)
        band = next(
            b for b, lo, hi in bands if lo <= expected < hi or (hi == 100 and expected == 100)
        )
        assert r["health_band"] == band
    by_id = {r["account_id"]: r for r in rows}
    # R2's override (set in the dashboard) applies beside its computed score, never in it.
    r2 = by_id["R2"]
    assert (r2["is_overridden"], r2["override_source"], r2["overridden_by"]) == (True, "app", "lea")
    assert (r2["effective_health_higher_healthier"], r2["effective_health_band"]) == (
        15.0,
        "at_risk",
    )
    assert r2["override_reason"] == "legal dispute over the contract"
    # R1's expired, R3's was cleared: their own score applies.
    for account in ("R1", "R3", "R4"):
        r = by_id[account]
        assert not r["is_overridden"] and r["override_score"] is None
        assert r["effective_health_higher_healthier"] == r["health_higher_healthier"]
        assert r["effective_health_band"] == r["health_band"]
    churn_risk = warehouse.query(
        "select account_id, health_higher_healthier, effective_health_higher_healthier "
        "from marts.fct_account_churn_risk where account_id = 'R2'"
    )
    assert churn_risk[0]["effective_health_higher_healthier"] == 15.0
    assert churn_risk[0]["health_higher_healthier"] == r2["health_higher_healthier"]
    # R2: 2 unresolved, 1 stale, our replies not slow: 100 - 15*2 - 25*1.
    assert by_id["R2"]["support_component"] == pytest.approx(45.0)
    # R1's engagement fell 93%: 100 - 93.
    assert by_id["R1"]["engagement_component"] == pytest.approx(100 + by_id_change(warehouse, "R1"))
    # R3: NPS 3 of 10; churn words in 90 days cost 30 of commercial.
    assert (by_id["R3"]["surveys_component"], by_id["R3"]["commercial_component"]) == (
        pytest.approx(30.0),
        70.0,
    )


def by_id_change(warehouse, account: str) -> float:
    return warehouse.query(
        f"select engagement_change_pct from marts.fct_account_cues_weekly where is_latest_week and account_id = '{account}'"
    )[0]["engagement_change_pct"]


def _action_id(account: str, kind: str, reason: str, key: str) -> str:
    return hashlib.md5("|".join((account, kind, reason, key)).encode()).hexdigest()


def test_actions_carry_evidence_owner_and_a_stable_id(warehouse) -> None:
    rows = warehouse.query(
        "select * from marts.fct_action_queue order by account_id, action_type, reason"
    )
    got = {(r["account_id"], r["action_type"], r["reason"]): r for r in rows}
    assert set(got) == {
        ("R2", "route_to_senior_agent", "stale_tickets"),
        ("R3", "billing_review", "billing_concern"),
        ("R3", "intervention_call", "churn_intent"),
        # The starting weights put R3 (alternatives, billing, NPS 3) in the high band.
        ("R3", "intervention_call", "high_churn_risk"),
        ("R4", "accelerate_deal", "demo_curiosity"),
    }
    risk_call = got["R3", "intervention_call", "high_churn_risk"]
    high = warehouse.query(
        "select churn_risk_band from marts.fct_account_churn_risk where account_id = 'R3'"
    )
    assert high == [{"churn_risk_band": "high"}] and risk_call["owner"] == "r3@vendor.test"
    senior = got["R2", "route_to_senior_agent", "stale_tickets"]
    assert senior["action_id"] == _action_id(
        "R2", "route_to_senior_agent", "stale_tickets", "T1, T2"
    )
    assert senior["owner"] == "senior_support" and "T1, T2" in senior["evidence"]
    billing = got["R3", "billing_review", "billing_concern"]
    assert billing["action_id"] == _action_id("R3", "billing_review", "billing_concern", "r3-6")
    assert billing["owner"] == "billing_team"
    call = got["R3", "intervention_call", "churn_intent"]
    assert call["owner"] == "r3@vendor.test" and call["priority"] == "high"
    assert call["due_date"] == AS_OF + timedelta(days=2)
    assert call["evidence"] == "spoke of leaving in 1 message in 30 days, latest r3-1"
    deal = got["R4", "accelerate_deal", "demo_curiosity"]
    assert deal["action_id"] == _action_id(
        "R4", "accelerate_deal", "demo_curiosity", "2024-06-01|D1"
    )
    assert all(r["status"] == "open" and r["is_open"] for r in rows)


def test_without_churn_history_the_starting_weights_score_the_current_state(warehouse) -> None:
    # No account here ever churned: nothing to learn from, so the latest snapshot is scored by the
    # starting model (seed churn_risk_prior_weights), and no past month is (the backtest is empty).
    fits = warehouse.query(
        "select distinct cast(fit_as_of as date) as d, n_train from intermediate.int_churn_model__fits"
    )
    assert fits == [{"d": AS_OF, "n_train": 0}]
    risk = {
        r["account_id"]: r
        for r in warehouse.query("select * from marts.fct_account_churn_risk order by account_id")
    }
    assert set(risk) == {"R1", "R2", "R3", "R4"}
    assert {r["churn_model"] for r in risk.values()} == {"starting weights"}
    assert (
        warehouse.query("select count(*) as n from marts.fct_churn_risk_backtest_scores")[0]["n"]
        == 0
    )
    # The weights say what a CSM would: R3 wrote about alternatives and billing and answered NPS 3,
    # R2 has a ticket open for 30 days; R4 uses the product more since its demo.
    assert risk["R3"]["churn_risk_higher_riskier"] > risk["R4"]["churn_risk_higher_riskier"]
    assert risk["R2"]["churn_risk_higher_riskier"] > risk["R4"]["churn_risk_higher_riskier"]
    assert any("alternatives" in (risk["R3"][f"reason_{i}"] or "") for i in (1, 2, 3)), risk["R3"]


def test_every_data_test_passed(warehouse) -> None:
    results = warehouse.test_results()
    assert results
    assert [r for r in results if r["status"] not in ("pass", "warn")] == []


# --- the nightly (incremental) build equals a full rebuild -------------------------------------


NEW_DAY = [
    (
        "raw.engagement_events",
        "event_id, account_id, contact_id, event_type, occurred_at",
        [
            ("n1", "R1", "CR1", "login", ts("2024-07-01 10:00")),
            ("n2", "R4", "CR4", "feature_used", ts("2024-07-02 10:00")),
        ],
    ),
    (
        "raw.interactions",
        "interaction_id, account_id, contact_id, ticket_id, channel, direction, author_type, occurred_at, subject, body",
        [
            (
                "r3-8",
                "R3",
                None,
                None,
                "email",
                "outbound",
                "agent",
                ts("2024-07-01 11:00"),
                "Re: Invoice",
                "Refunded",
            )
        ],
    ),
]


def test_the_nightly_incremental_build_equals_a_full_rebuild(warehouse, tmp_path) -> None:
    import shutil

    from tests.dbt.conftest import Warehouse

    copies = []
    for name in ("nightly", "full"):
        base = tmp_path / name
        base.mkdir()
        shutil.copy(warehouse.db_path, base / "warehouse.duckdb")
        wh = Warehouse(dir=base, db_path=base / "warehouse.duckdb", work=base / "dbt")
        with duckdb.connect(str(wh.db_path)) as conn:
            for table, columns, rows in NEW_DAY:
                insert_raw(conn, table, columns, rows)
            insert_scores(
                conn, [("r3-8", 0.2, "neutral", False, False, False, False, datetime.now())]
            )
        copies.append(wh)
    nightly, full = copies
    nightly.nightly_build()
    full.dbt_build("--full-refresh")
    for table in (
        "intermediate.int_accounts__snapshots",
        "marts.fct_account_cues_weekly",
        "marts.fct_account_health",
        "marts.fct_action_queue",
    ):
        columns = nightly.query(f"describe {table}")
        select = ", ".join(
            f"round({c['column_name']}, 6)" if c["column_type"] == "DOUBLE" else c["column_name"]
            for c in columns
        )
        a = nightly.query(f"select {select} from {table} order by all")
        b = full.query(f"select {select} from {table} order by all")
        differ = [
            {k: (x[k], y[k]) for k in x if x[k] != y[k]}
            for x, y in zip(a, b, strict=False)
            if x != y
        ]
        assert (len(a), differ) == (len(b), []), table
    # The new days are in: a new latest snapshot the day after them, R1's login of 1 July counted.
    # (R3's agent mail of 1 July answers a run of theirs that began 19 days before: no reply.)
    latest = nightly.query(
        "select account_id, as_of_date, logins_recent, days_since_customer_message from marts.fct_account_cues_weekly where is_latest_week order by account_id"
    )
    assert {r["as_of_date"] for r in latest} == {date(2024, 7, 3)}
    by_id = {r["account_id"]: r for r in latest}
    assert by_id["R1"]["logins_recent"] == 3 and by_id["R3"]["days_since_customer_message"] == 13
    old_latest = nightly.query(
        "select count(*) as n from intermediate.int_accounts__snapshots where as_of_date = '2024-07-01' and is_latest"
    )
    assert old_latest[0]["n"] == 0
