"""The risk pages' data access on the hand-written snapshot: ranking, paging, roles, the open
queue with the app state's decisions, and the CRM exports."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboards.data import actions, app_state, risk
from dashboards.data.privacy import policy_for
from dashboards.filters import Filters
from tests.dashboards.risk_fixture import (
    EXPECTED_ACCOUNTS,
    EXPECTED_AT_RISK_MRR,
    EXPECTED_OPEN_ACTIONS,
    RISK,
)
from tests.dashboards.serving_fixture import OWNER_SAM

LEADER = policy_for("leader")
AGENT = policy_for("agent", OWNER_SAM)
TODAY = date(2024, 3, 29)
NOW = datetime(2024, 3, 29, 12, 0, tzinfo=UTC)


@pytest.fixture
def state_db(tmp_path: Path) -> Path:
    db = tmp_path / "app_state.sqlite"
    app_state.migrate(db)
    return db


def test_accounts_are_ranked_by_risk_and_paged_on_the_server(serving_db, state_db):
    first = risk.at_risk_page(serving_db, state_db, Filters(), LEADER, page_size=4)
    assert list(first.rows["account_id"]) == sorted(RISK, key=lambda a: -RISK[a][0])[:4]
    assert (first.page, first.pages) == (0, 2)
    last = risk.at_risk_page(serving_db, state_db, Filters(), LEADER, page_size=4, page=9)
    assert last.page == 1 and len(last.rows) == 2, "a page past the end shows the last one"
    by_renewal = risk.at_risk_page(
        serving_db, state_db, Filters(), LEADER, sort="renewal", descending=False
    )
    dates = list(by_renewal.rows["renewal_date"])
    assert dates == sorted(dates)
    unknown = risk.at_risk_page(serving_db, state_db, Filters(), LEADER, sort="; drop table x")
    assert list(unknown.rows["account_id"]) == list(
        risk.at_risk_page(serving_db, state_db, Filters(), LEADER).rows["account_id"]
    )


def test_the_health_applied_is_marked_where_a_person_overrode_it(serving_db, state_db):
    rows = risk.at_risk_page(serving_db, state_db, Filters(), LEADER).rows.set_index("account_id")
    assert (rows.loc["A6", "health"], rows.loc["A6", "health_band"]) == (30.0, "at_risk")
    assert rows.loc["A6", "health_overridden"]
    assert not rows.loc["A2", "health_overridden"] and rows.loc["A2", "health"] == RISK["A2"][3]
    # A5's override held when the snapshot was built; its last day has passed since.
    assert (rows.loc["A5", "health"], rows.loc["A5", "health_band"]) == RISK["A5"][3:5]
    assert not rows.loc["A5", "health_overridden"]


def test_the_summary_says_when_the_starting_weights_scored_the_view(serving_db, state_db, tmp_path):
    assert not risk.at_risk_page(serving_db, state_db, Filters(), LEADER).summary.starting_weights
    new_warehouse = tmp_path / "serving.duckdb"
    new_warehouse.write_bytes(serving_db.read_bytes())
    with duckdb.connect(str(new_warehouse)) as con:
        con.execute("update marts.fct_account_churn_risk set churn_model = 'starting weights'")
    summary = risk.at_risk_page(new_warehouse, state_db, Filters(), LEADER).summary
    assert summary.starting_weights and summary.accounts == len(RISK)


@pytest.mark.parametrize(
    ("filters", "key"),
    [(Filters(), "all"), (Filters(plan=("pro",)), "pro"), (Filters(region=("emea",)), "emea")],
)
def test_at_risk_mrr_follows_the_account_filters(serving_db, state_db, filters, key):
    summary = risk.at_risk_page(serving_db, state_db, filters, LEADER).summary
    assert summary.at_risk_mrr == EXPECTED_AT_RISK_MRR[key]
    assert summary.accounts == EXPECTED_ACCOUNTS[key]


def test_an_agent_lists_only_its_own_accounts_and_sees_their_words(serving_db, state_db):
    mine = risk.at_risk_page(serving_db, state_db, Filters(), AGENT)
    assert set(mine.rows["account_id"]) == {"A4", "A5", "A6"}
    assert mine.summary.at_risk_mrr == EXPECTED_AT_RISK_MRR["sam"]
    a4 = mine.rows.set_index("account_id").loc["A4", "reasons"]
    assert any("Tom Baker" in r for r in a4), "an agent reads its own account's reasons in full"
    leader_a4 = (
        risk.at_risk_page(serving_db, state_db, Filters(), LEADER)
        .rows.set_index("account_id")
        .loc["A4"]
    )
    assert not any("Tom Baker" in r for r in leader_a4["reasons"])
    assert "sam.agent" not in str(leader_a4["owner"]), "a leader sees owners' e-mails masked"
    nobody = risk.at_risk_page(serving_db, state_db, Filters(), policy_for("agent", None))
    assert nobody.rows.empty and nobody.summary.accounts == 0


def test_the_open_queue_applies_the_snapshot_status_and_ended_snoozes(serving_db, state_db):
    queue = actions.open_queue(serving_db, state_db, Filters(), LEADER, today=TODAY)
    assert set(queue.rows["action_id"]) == set(EXPECTED_OPEN_ACTIONS)
    assert list(queue.rows["action_id"])[:2] == ["X1", "X2"], "high priority first"
    owners = dict(zip(queue.rows["action_id"], queue.rows["owner"], strict=True))
    assert owners["X2"] == "senior_support", "a team is named, not masked"
    assert owners["X1"] != OWNER_SAM


def test_decisions_leave_the_queue_at_once_and_a_snooze_ends_on_its_day(serving_db, state_db):
    for action_id, decision, until in (
        ("X1", "done", None),
        ("X2", "dismissed", None),
        ("X3", "snoozed", date(2024, 4, 10)),
    ):
        actions.decide(
            serving_db,
            state_db,
            LEADER,
            action_id=action_id,
            decision=decision,
            decided_by="lea",
            snoozed_until=until,
            now=NOW,
        )
    open_now = actions.open_queue(serving_db, state_db, Filters(), LEADER, today=TODAY)
    assert set(open_now.rows["action_id"]) == {"X5", "X7"}
    later = actions.open_queue(serving_db, state_db, Filters(), LEADER, today=date(2024, 4, 10))
    assert set(later.rows["action_id"]) == {"X3", "X5", "X7"}
    # The At risk page recommends only open actions: A4's two are decided.
    page = risk.at_risk_page(serving_db, state_db, Filters(), LEADER, today=TODAY)
    a4 = page.rows.set_index("account_id").loc["A4"]
    assert a4["open_actions"] == 0 and pd.isna(a4["recommended_action"])


@pytest.mark.parametrize(
    ("policy", "action_id", "decision", "until", "note", "refusal"),
    [
        (AGENT, "X7", "done", None, None, "not in the published queue"),
        (LEADER, "nope", "done", None, None, "not in the published queue"),
        (LEADER, "X1", "maybe", None, None, "unknown decision"),
        (LEADER, "X1", "snoozed", None, None, "needs the day it ends"),
        (LEADER, "X1", "snoozed", date(2024, 3, 29), None, "after today"),
        (LEADER, "X1", "done", None, "x" * 501, "longer than 500"),
    ],
)
def test_bad_decisions_are_refused_and_not_recorded(
    serving_db, state_db, policy, action_id, decision, until, note, refusal
):
    with pytest.raises(actions.DecisionRefused, match=refusal):
        actions.decide(
            serving_db,
            state_db,
            policy,
            action_id=action_id,
            decision=decision,
            decided_by="x",
            snoozed_until=until,
            note=note,
            now=NOW,
        )
    assert app_state.latest_action_decisions(state_db) == {}


def test_decided_actions_are_listed_with_their_note_and_can_be_reopened(serving_db, state_db):
    # The snapshot's own: X4 snoozed until 2999, X6 done (by lea, no note).
    before = actions.decided_actions(serving_db, state_db, Filters(), LEADER, today=TODAY)
    assert set(before.rows["action_id"]) == {"X4", "X6"} and before.actions == 2
    actions.decide(
        serving_db,
        state_db,
        LEADER,
        action_id="X1",
        decision="done",
        decided_by="lea@vendor.example",
        note="called, they stay",
        now=NOW,
    )
    decided = actions.decided_actions(serving_db, state_db, Filters(), LEADER, today=TODAY)
    first = decided.rows.iloc[0]
    assert first["action_id"] == "X1", "the newest decision first"
    assert (first["decision"], first["note"]) == ("done", "called, they stay")
    assert first["decided_by"] != "lea@vendor.example" and first["decided_at"].startswith(
        "2024-03-29 12:00"
    ), "who (masked for a leader) and when"
    x4 = decided.rows.set_index("action_id").loc["X4"]
    assert (x4["decision"], x4["snoozed_until"]) == ("snoozed", "2999-01-01")
    x6 = decided.rows.set_index("action_id").loc["X6"]
    assert (x6["decision"], x6["snoozed_until"], x6["note"], x6["decided_at"]) == (
        "done",
        None,
        None,
        None,
    ), "the snapshot knows no note nor time for it: nothing, not 'None'"

    # Reopened: open again at once, its last word shown in the queue, gone from the decided list.
    actions.reopen(
        serving_db, state_db, LEADER, action_id="X1", decided_by="sam", note="no, they leave"
    )
    open_now = actions.open_queue(serving_db, state_db, Filters(), LEADER, today=TODAY)
    assert "X1" in set(open_now.rows["action_id"])
    last = actions.last_decisions(state_db, list(open_now.rows["action_id"]), LEADER)
    assert (last["X1"].decision, last["X1"].note) == ("reopened", "no, they leave")
    after = actions.decided_actions(serving_db, state_db, Filters(), LEADER, today=TODAY)
    assert set(after.rows["action_id"]) == {"X4", "X6"}
    # A decision the snapshot holds (X6 done) is reopened the same way.
    actions.reopen(serving_db, state_db, LEADER, action_id="X6", decided_by="sam", now=NOW)
    assert "X6" in set(
        actions.open_queue(serving_db, state_db, Filters(), LEADER, today=TODAY).rows["action_id"]
    )


def test_the_decided_list_is_paged_on_the_server(serving_db, state_db):
    for minute, action_id in enumerate(("X1", "X2", "X3")):
        actions.decide(
            serving_db,
            state_db,
            LEADER,
            action_id=action_id,
            decision="dismissed",
            decided_by="lea",
            now=NOW.replace(minute=minute),
        )
    pages = [
        actions.decided_actions(
            serving_db, state_db, Filters(), LEADER, page=page, page_size=2, today=TODAY
        )
        for page in range(3)
    ]
    assert [p.rows["action_id"].tolist() for p in pages[:2]] == [["X3", "X2"], ["X1", "X4"]]
    assert [(p.page, p.pages, p.actions) for p in pages[:2]] == [(0, 3, 5), (1, 3, 5)]
    assert pages[2].rows["action_id"].tolist() == ["X6"], "the snapshot's own, undated, last"
    past = actions.decided_actions(
        serving_db, state_db, Filters(), LEADER, page=9, page_size=2, today=TODAY
    )
    assert past.page == 2 and past.rows["action_id"].tolist() == ["X6"]
    pro = actions.decided_actions(serving_db, state_db, Filters(plan=("pro",)), LEADER, today=TODAY)
    assert pro.rows["action_id"].tolist() == ["X6"] and (pro.actions, pro.pages) == (1, 1)


def test_a_reopening_keeps_its_note_and_shows_once_decided_again(serving_db, state_db):
    for minute, decision, note in ((0, "done", "sent"), (1, "reopened", "they wrote back")):
        record = actions.reopen if decision == "reopened" else actions.decide
        extra = {} if decision == "reopened" else {"decision": decision}
        record(
            serving_db,
            state_db,
            LEADER,
            action_id="X1",
            decided_by="lea@vendor.example",
            note=note,
            now=NOW.replace(minute=minute),
            **extra,
        )
    with app_state.connect(state_db) as con:
        assert con.execute(
            "select decision, note, decided_by, decided_at from action_decisions "
            "where action_id = 'X1' order by decision_id"
        ).fetchall() == [
            ("done", "sent", "lea@vendor.example", "2024-03-29 12:00:00.000000"),
            ("reopened", "they wrote back", "lea@vendor.example", "2024-03-29 12:01:00.000000"),
        ]
    actions.decide(
        serving_db,
        state_db,
        LEADER,
        action_id="X1",
        decision="done",
        decided_by="lea@vendor.example",
        now=NOW.replace(minute=2),
    )
    row = actions.decided_actions(serving_db, state_db, Filters(), LEADER, today=TODAY).rows
    x1 = row.set_index("action_id").loc["X1"]
    assert x1["decision"] == "done" and x1["note"] is None
    earlier = [(d.decision, d.note, d.decided_at) for d in x1["earlier"]]
    assert earlier == [
        ("reopened", "they wrote back", "2024-03-29 12:01"),
        ("done", "sent", "2024-03-29 12:00"),
    ]
    assert all(d.decided_by != "lea@vendor.example" for d in x1["earlier"]), "masked for a leader"
    x4 = row.set_index("action_id").loc["X4"]
    assert x4["earlier"] == [], "the snapshot's own decision has no history here"


@pytest.mark.parametrize(
    ("policy", "action_id", "refusal"),
    [
        (LEADER, "X1", "open already"),
        (LEADER, "X7", "open already"),  # its snooze has ended
        (LEADER, "nope", "not in the published queue"),
        (AGENT, "X6", "not in the published queue"),  # A1's, not sam's
    ],
)
def test_only_a_decided_action_of_ones_own_is_reopened(
    serving_db, state_db, policy, action_id, refusal
):
    with pytest.raises(actions.DecisionRefused, match=refusal):
        actions.reopen(serving_db, state_db, policy, action_id=action_id, decided_by="x", now=NOW)
    assert app_state.latest_action_decisions(state_db) == {}


def test_an_agent_lists_and_reopens_only_its_own_decided_actions(serving_db, state_db):
    # X6 (done) is A1's, not sam's; X4 (snoozed) is A6's, sam's.
    mine = actions.decided_actions(serving_db, state_db, Filters(), AGENT, today=TODAY)
    assert list(mine.rows["action_id"]) == ["X4"]
    actions.reopen(serving_db, state_db, AGENT, action_id="X4", decided_by=OWNER_SAM, now=NOW)
    assert app_state.latest_action_decisions(state_db)["X4"].decision == "reopened"


def test_the_open_queue_downloads_as_hubspot_and_salesforce_tasks(serving_db, state_db):
    open_actions = actions.open_actions_for_export(
        serving_db, state_db, Filters(), AGENT, today=TODAY
    )
    hubspot = list(csv.DictReader(io.StringIO(actions.tasks_csv(open_actions, "hubspot"))))
    assert [r["crm_emotion_action_id"] for r in hubspot] == ["X1", "X2", "X3"]
    assert hubspot[0]["hs_task_priority"] == "HIGH" and hubspot[0]["hs_task_type"] == "CALL"
    assert hubspot[0]["hubspot_owner_id"] == OWNER_SAM, "an agent's own e-mail is not masked"
    salesforce = list(csv.DictReader(io.StringIO(actions.tasks_csv(open_actions, "salesforce"))))
    assert [r["crm_emotion_action_id__c"] for r in salesforce] == ["X1", "X2", "X3"]
    assert salesforce[2]["Priority"] == "Normal" and salesforce[2]["ActivityDate"] == "2024-04-05"
    with pytest.raises(ValueError, match="unknown CRM"):
        actions.tasks_csv(open_actions, "pipedrive")


def test_the_backtest_is_read_whole(serving_db):
    backtest = risk.backtest(serving_db)
    assert set(backtest["scorer"]) == {
        "churn_risk",
        "naive_negative_share_90d",
        "naive_days_since_customer_message",
    }
    assert len(backtest[backtest["measure"] == "decile"]) == 30
