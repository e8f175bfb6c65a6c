"""A person's override of an account's health, on the hand-written snapshot: what the Account page
shows, who may set or clear it, what is refused, and what waits for the next pipeline run."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from dashboards.data import app_state
from dashboards.data import health_overrides as health
from dashboards.data.privacy import policy_for
from tests.dashboards.risk_fixture import HEALTH_OVERRIDES, RISK
from tests.dashboards.serving_fixture import OWNER_SAM

LEADER = policy_for("leader")
SAM = policy_for("agent", OWNER_SAM)  # owns A4-A7
NOW = datetime.now(UTC)  # after the snapshot's publish time (an hour ago): entries are pending


@pytest.fixture
def state_db(tmp_path: Path) -> Path:
    db = tmp_path / "app_state.sqlite"
    app_state.migrate(db)
    return db


def _entries(db: Path) -> list[tuple]:
    with app_state.connect(db) as con:
        return con.execute(
            "select account_id, override_score, reason, valid_until, overridden_by "
            "from health_overrides order by override_id"
        ).fetchall()


def test_the_computed_score_and_the_applied_override_are_shown_apart(serving_db, state_db):
    a6 = health.account_health(serving_db, state_db, "A6", LEADER)
    score, band, by, why, _at, until, source = HEALTH_OVERRIDES["A6"]
    assert (a6.computed, a6.computed_band) == (RISK["A6"][3], RISK["A6"][4])
    assert (a6.effective, a6.effective_band) == (score, band)
    assert (a6.override.score, a6.override.reason, a6.override.until) == (score, why, until)
    assert a6.override.source == source
    assert a6.override.by != by and "@" in a6.override.by, "a leader sees e-mails masked"
    a2 = health.account_health(serving_db, state_db, "A2", LEADER)
    assert a2.override is None and a2.effective == a2.computed == RISK["A2"][3]
    assert a2.pending is None
    assert health.account_health(serving_db, state_db, "A7", LEADER) is None, "A7 churned"


def test_an_override_whose_last_day_has_passed_no_longer_applies(serving_db, state_db):
    """The snapshot applied A5's override (it held when it was built); its last day has passed
    since, so the computed score applies without waiting for the next run."""
    until = HEALTH_OVERRIDES["A5"][5]
    assert date.fromisoformat(until) < date.today()
    a5 = health.account_health(serving_db, state_db, "A5", LEADER)
    assert a5.override is None
    assert (a5.effective, a5.effective_band) == (a5.computed, a5.computed_band) == RISK["A5"][3:5]
    with pytest.raises(health.OverrideRefused, match="no override to clear"):
        health.clear_override(
            serving_db, state_db, LEADER, account_id="A5", overridden_by="lea@vendor.example"
        )


def test_an_override_is_kept_and_pending_until_the_next_run(serving_db, state_db):
    saved = health.set_override(
        serving_db,
        state_db,
        LEADER,
        account_id="A2",
        score=25,
        reason="  CEO said they are leaving  ",
        valid_until=date.today() + timedelta(days=30),
        overridden_by="lea@vendor.example",
        now=NOW,
    )
    assert _entries(state_db) == [
        (
            "A2",
            25.0,
            "CEO said they are leaving",
            (date.today() + timedelta(days=30)).isoformat(),
            "lea@vendor.example",
        )
    ]
    assert saved.overridden_at.startswith(NOW.strftime("%Y-%m-%d %H:%M:%S"))
    a2 = health.account_health(serving_db, state_db, "A2", LEADER)
    assert a2.pending.score == 25.0
    assert a2.effective == RISK["A2"][3], "the snapshot's numbers change at the next run"

    health.clear_override(
        serving_db, state_db, LEADER, account_id="A2", overridden_by="lea@vendor.example"
    )
    assert _entries(state_db)[-1] == ("A2", None, None, None, "lea@vendor.example")
    assert health.account_health(serving_db, state_db, "A2", LEADER).pending.score is None


def test_a_published_override_can_be_cleared_and_nothing_else(serving_db, state_db):
    with pytest.raises(health.OverrideRefused, match="no override to clear"):
        health.clear_override(serving_db, state_db, LEADER, account_id="A2", overridden_by="x")
    health.clear_override(serving_db, state_db, SAM, account_id="A6", overridden_by=OWNER_SAM)
    with pytest.raises(health.OverrideRefused, match="no override to clear"):
        health.clear_override(serving_db, state_db, SAM, account_id="A6", overridden_by=OWNER_SAM)
    assert [e[:2] for e in _entries(state_db)] == [("A6", None)]


@pytest.mark.parametrize(
    ("policy", "account_id", "score", "reason", "until", "refusal"),
    [
        (SAM, "A1", 30, "why", None, "your own accounts only"),
        (policy_for("agent", None), "A4", 30, "why", None, "your own accounts only"),
        (LEADER, "A7", 30, "why", None, "scores no health"),
        (LEADER, "nope", 30, "why", None, "scores no health"),
        (LEADER, "A1", 101, "why", None, "from 0 to 100"),
        (LEADER, "A1", -1, "why", None, "from 0 to 100"),
        (LEADER, "A1", float("nan"), "why", None, "from 0 to 100"),
        (LEADER, "A1", 30, "   ", None, "say why"),
        (LEADER, "A1", 30, "x" * 501, None, "longer than 500"),
        (LEADER, "A1", 30, "why", date.today(), "a day after today"),
    ],
)
def test_bad_overrides_are_refused_and_not_recorded(
    serving_db, state_db, policy, account_id, score, reason, until, refusal
):
    with pytest.raises(health.OverrideRefused, match=refusal):
        health.set_override(
            serving_db,
            state_db,
            policy,
            account_id=account_id,
            score=score,
            reason=reason,
            valid_until=until,
            overridden_by="x",
            now=NOW,
        )
    assert _entries(state_db) == []


def test_an_agent_overrides_its_own_accounts(serving_db, state_db):
    assert health.account_health(serving_db, state_db, "A4", SAM).may_override
    assert not health.account_health(serving_db, state_db, "A1", SAM).may_override
    assert health.account_health(serving_db, state_db, "A1", LEADER).may_override
    health.set_override(
        serving_db,
        state_db,
        SAM,
        account_id="A4",
        score=10,
        reason="legal threatened",
        overridden_by=OWNER_SAM,
        now=NOW,
    )
    pending = health.account_health(serving_db, state_db, "A4", SAM).pending
    assert (pending.score, pending.by, pending.until) == (10.0, OWNER_SAM, None)
