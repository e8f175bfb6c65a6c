"""The Account page's and the session pack's data layer on a hand-made snapshot: masking by role,
the words that drove each score, the timeline's events, the template, suggestions, and marts
that a snapshot does not hold yet."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dashboards.data import account as data
from dashboards.data import pack as pack_data
from dashboards.data.connection import close_all
from dashboards.data.privacy import HIDDEN_QUOTE, HIDDEN_TEXT, policy_for
from tests.dashboards.account_fixture import (
    ACCOUNT,
    ACCOUNT_NAME,
    CHURNED,
    MARKED,
    NEWEST_FIRST_A4,
    NOT_MARKED,
    OTHER_OWNERS_ACCOUNT,
    VERBAL_CUE,
    write_account_serving_db,
)
from tests.support.dashboard import TEST_USERS

AGENT = policy_for("agent", TEST_USERS["sam.agent@vendor.example"][1])  # owns A4
ANALYST = policy_for("analyst")
LEADER = policy_for("leader")


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    close_all()
    return write_account_serving_db(tmp_path / "serving.duckdb")


def _marked(view: data.InteractionView) -> set[str]:
    return {p.text for p in view.body if p.phrase}


def test_interactions_come_newest_first_with_the_words_that_drove_them(snapshot: Path):
    listing = data.interactions(snapshot, ACCOUNT, AGENT)
    assert [r.interaction_id for r in listing.rows] == NEWEST_FIRST_A4
    assert listing.total == len(NEWEST_FIRST_A4)
    by_id = {r.interaction_id: r for r in listing.rows}
    for interaction_id, words in MARKED.items():
        assert _marked(by_id[interaction_id]) == words, interaction_id
    for interaction_id, words in NOT_MARKED.items():
        assert not _marked(by_id[interaction_id]) & words
    # The agent owns A4: the full text, personal details included.
    assert "+44 20 7946 0958" in "".join(p.text for p in by_id["i1"].body)


def test_the_count_is_of_the_whole_account_even_when_the_list_is_narrowed(snapshot: Path):
    assert data.interactions(snapshot, ACCOUNT, AGENT, limit=2).total == len(NEWEST_FIRST_A4)
    narrowed = data.interactions(snapshot, ACCOUNT, AGENT, only=["i4"])
    assert [r.interaction_id for r in narrowed.rows] == ["i4"]
    assert narrowed.total == len(NEWEST_FIRST_A4)
    nothing = data.interactions(snapshot, ACCOUNT, AGENT, only=["no-such-id"])
    assert nothing.rows == [] and nothing.total == len(NEWEST_FIRST_A4)
    assert data.interactions(snapshot, "no-such-account", AGENT).total == 0


def test_the_stronger_of_two_rows_naming_the_same_words_gives_the_tone(snapshot: Path):
    with duckdb.connect(str(snapshot)) as con:
        con.execute(
            "insert into marts.fct_interaction_evidence "
            "values ('i1', 'A4', 'v1', 'lexicon', 'sentiment', 'failed (word)', 0.3)"
        )
        # Stored weakest first: the snapshot's order must not decide.
        con.execute(
            "create or replace table marts.fct_interaction_evidence as "
            "select * from marts.fct_interaction_evidence order by abs(evidence_weight)"
        )
    close_all()
    (i1,) = [
        r for r in data.interactions(snapshot, ACCOUNT, AGENT).rows if r.interaction_id == "i1"
    ]
    (failed,) = [p for p in i1.body if p.phrase]
    assert (failed.text, failed.phrase.tone) == ("failed", "negative")


def test_evidence_without_its_account_column_still_marks_the_words(snapshot: Path):
    """A snapshot published before the evidence carried its account."""
    with duckdb.connect(str(snapshot)) as con:
        con.execute("alter table marts.fct_interaction_evidence drop column account_id")
    close_all()
    by_id = {r.interaction_id: r for r in data.interactions(snapshot, ACCOUNT, AGENT).rows}
    for interaction_id, words in MARKED.items():
        assert _marked(by_id[interaction_id]) == words, interaction_id


def test_texts_follow_the_role(snapshot: Path):
    analyst = {r.interaction_id: r for r in data.interactions(snapshot, ACCOUNT, ANALYST).rows}
    text = "".join(p.text for p in analyst["i1"].body)
    assert "Maria" not in text and "+44" not in text and "[phone]" in text
    assert _marked(analyst["i1"]) == {"failed"}  # still marked, in the masked text
    leader = data.interactions(snapshot, ACCOUNT, LEADER).rows
    assert all(not r.text_visible and not _marked(r) for r in leader)
    assert all("".join(p.text for p in r.body) == HIDDEN_TEXT for r in leader)
    # The agent does not own A1: its texts are hidden from the agent.
    other = data.interactions(snapshot, OTHER_OWNERS_ACCOUNT, AGENT).rows
    assert other and not any(r.text_visible for r in other)


def test_observation_quotes_are_masked_where_the_role_sees_no_text(snapshot: Path):
    agent_lines = [o.line for o in data.observations(snapshot, ACCOUNT, AGENT)]
    leader_lines = [o.line for o in data.observations(snapshot, ACCOUNT, LEADER)]
    assert any(VERBAL_CUE in line for line in agent_lines)
    assert not any(VERBAL_CUE in line for line in leader_lines)
    assert any(HIDDEN_QUOTE in line for line in leader_lines)
    assert "opened 5 e-mails in 2 days" in leader_lines  # no quote: shown to every role
    linked = {(o.evidence_kind, o.evidence_id) for o in data.observations(snapshot, ACCOUNT, AGENT)}
    assert ("interaction", "i4") in linked and ("ticket", "T-1") in linked


def test_the_timeline_holds_weeks_and_every_kind_of_event(snapshot: Path):
    timeline = data.timeline(snapshot, ACCOUNT)
    assert timeline.missing == []
    assert list(timeline.weeks["dominant_emotion"]) == ["delight", "frustration", "frustration"]
    kinds = set(timeline.events["kind"])
    assert kinds == {"survey", "ticket", "demo", "stage"}
    assert list(timeline.events["at"]) == sorted(timeline.events["at"])


def test_events_on_the_same_day_come_in_one_order(snapshot: Path):
    """Tickets, surveys, demos, stages; then by label (the marts' row order says nothing)."""
    with duckdb.connect(str(snapshot)) as con:
        con.execute(
            "insert into marts.agg_account_surveys_daily values "
            "('2030-01-07', 'A4', 'nps', 'neutral', 1, 0, 0, 1, 0), "
            "('2030-01-07', 'A4', 'csat', 'neutral', 1, 0, 0, 0, 1)"
        )
        con.execute(
            "insert into marts.fct_account_lifecycle_stages "
            "values ('A4', 'renewal', '2030-01-07', null, 1, true)"
        )
    close_all()
    events = data.timeline(snapshot, ACCOUNT).events
    same_day = events[events["at"] == "2030-01-07"]
    assert same_day["label"].tolist() == [
        "CSAT: 1 response (satisfied 1)",
        "NPS: 1 response (promoters 0, detractors 1)",
        "stage: renewal",
    ]


def test_a_snapshot_without_the_new_marts_still_serves_the_page(snapshot: Path):
    with duckdb.connect(str(snapshot)) as con:
        con.execute("drop table marts.fct_account_emotion_weekly")
        con.execute("drop table marts.fct_account_observations")
    close_all()
    timeline = data.timeline(snapshot, ACCOUNT)
    assert "marts.fct_account_emotion_weekly" in timeline.missing
    assert set(timeline.events["kind"]) == {"survey", "demo", "stage"}
    assert data.observations(snapshot, ACCOUNT, AGENT) is None
    assert len(data.interactions(snapshot, ACCOUNT, AGENT).rows) == len(NEWEST_FIRST_A4)


def test_a_churned_account_has_its_cues_in_order(snapshot: Path):
    cues = data.churn_review(snapshot, CHURNED, ANALYST)
    assert [c.cue for c in cues] == ["first_frustration", "engagement_drop"]
    assert cues[0].could_have_acted and cues[0].days_before_churn == 41


def test_finding_accounts_by_name_and_id(snapshot: Path):
    assert [m.account_id for m in data.find_accounts(snapshot, ACCOUNT_NAME, ANALYST)][0] == ACCOUNT
    assert [m.account_id for m in data.find_accounts(snapshot, "a4", ANALYST)] == [ACCOUNT]
    assert data.find_accounts(snapshot, "%", ANALYST) == []  # a wildcard is a character
    assert data.find_accounts(snapshot, "  ", ANALYST) == []


def test_key_messages_prefer_what_the_template_points_at(snapshot: Path):
    messages = data.key_messages(snapshot, ACCOUNT, AGENT, preferred=["i5"], limit=2)
    assert "i5" in [m.interaction_id for m in messages]
    assert all(m.author_type == "customer" for m in messages)


def test_suggestions_mix_kinds_and_never_repeat_an_account(snapshot: Path):
    suggested = pack_data.suggestions(snapshot, ANALYST)
    assert {"churned", "high_engagement"} <= {s.kind for s in suggested}
    assert suggested[0].kind == "churned" and suggested[0].account_id == CHURNED
    ids = [s.account_id for s in suggested]
    assert len(ids) == len(set(ids))


def test_a_pack_account_carries_everything_its_page_prints(snapshot: Path):
    account = pack_data.pack_account(snapshot, ACCOUNT, AGENT)
    assert account.profile.name == ACCOUNT_NAME
    assert account.observations and not account.timeline.weeks.empty
    assert account.key_messages and account.churn_cues is None
    assert pack_data.pack_account(snapshot, "nope", AGENT) is None
    assert pack_data.pack_account(snapshot, CHURNED, AGENT).churn_cues
