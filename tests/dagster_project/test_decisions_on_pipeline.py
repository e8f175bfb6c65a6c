"""People's decisions made in the dashboard survive the next real pipeline run.

On a copy of the demo warehouse, in headless Chromium against gunicorn: an analyst corrects
emotion tags on the Account page; a leader decides two actions, decides a third and reopens it,
and overrides an account's health on its Account page. Then one real Dagster run
(dbt on the DuckDB file) reads the app's database, and each test checks its own decisions in the
new marts and on the pages. One run serves every kind of decision: each run takes a minute or two.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from selenium.webdriver.common.by import By

from tests.support.dashboard import (
    choose_in_dropdown,
    chrome,
    decide_in_browser,
    open_page,
    override_health_in_browser,
    read_account_health,
    read_actions,
    reopen_in_browser,
    running_dashboard,
    severe_console_entries,
    wait_for,
)
from tests.support.pipeline import run_module

pytestmark = [pytest.mark.pipeline, pytest.mark.browser]

TIMELINE = "account-timeline-graph"
SHOWN = 25  # interactions the Account page lists at first


@dataclass(frozen=True)
class TagCorrection:
    account_id: str
    interaction_id: str
    model_emotion: str
    tag: str  # the analyst's tag for the interaction
    account_tag: str  # the analyst's tag for how the account feels now

    @property
    def page(self) -> str:
        return f"/account?account_id={self.account_id}"

    @property
    def row_id(self) -> str:
        return f"interaction-{self.interaction_id}"


@dataclass(frozen=True)
class HealthOverride:
    account_id: str
    computed: tuple[float, str]  # the computed score and band before the run
    score: int  # the leader's override
    reason: str


@dataclass(frozen=True)
class Decided:
    warehouse: Path
    url: str  # the server that was running before the run and still is
    tags: TagCorrection
    done: str
    dismissed: str
    reopened: str  # marked done, then reopened
    health: HealthOverride
    open_before: set[str]
    rerun: subprocess.CompletedProcess


def _tag_correction(serving: Path) -> TagCorrection:
    """An account with a model-scored customer text among the first shown, and new emotions."""
    with duckdb.connect(str(serving), read_only=True) as con:
        account_id, interaction_id, emotion, account_emotion = con.execute(
            """
            with shown as (
                select f.*, row_number() over (
                    partition by f.account_id order by f.occurred_at desc, f.interaction_id desc
                ) as position
                from marts.fct_interactions f
            )
            select s.account_id, s.interaction_id, s.emotion, a.current_emotion
            from shown s join marts.dim_accounts a using (account_id)
            where s.position <= $shown and s.author_type = 'customer'
              and s.emotion_source = 'model' and s.body is not null
              and not coalesce(a.is_churned, false)
            order by s.account_id, s.position
            limit 1
            """,
            {"shown": SHOWN},
        ).fetchone()
    return TagCorrection(
        account_id,
        interaction_id,
        emotion,
        tag="anger" if emotion != "anger" else "delight",
        account_tag="anxiety" if account_emotion != "anxiety" else "curiosity",
    )


def _correct_tags(driver, url: str, tags: TagCorrection) -> None:
    open_page(driver, url, tags.page, TIMELINE)
    row = driver.find_element(By.ID, tags.row_id)
    choose_in_dropdown(driver, row.find_element(By.CSS_SELECTOR, ".tag-choice"), tags.tag)
    row.find_element(By.CSS_SELECTOR, ".tag-form button.button").click()
    wait_for(
        driver, lambda d: f"Saved '{tags.tag}'" in d.find_element(By.ID, tags.row_id).text, "save"
    )
    header = driver.find_element(By.CSS_SELECTOR, ".account-emotion")
    choose_in_dropdown(
        driver, header.find_element(By.CSS_SELECTOR, ".tag-choice"), tags.account_tag
    )
    header.find_element(By.CSS_SELECTOR, "button.button").click()
    wait_for(driver, lambda d: f"Saved '{tags.account_tag}'" in header.text, "the account's tag")


def _health(serving: Path, account_id: str) -> tuple:
    with duckdb.connect(str(serving), read_only=True) as con:
        return con.execute(
            "select health_higher_healthier, health_band, is_overridden, override_score, "
            "overridden_by, override_reason, effective_health_higher_healthier, "
            "effective_health_band from marts.fct_account_health where account_id = ?",
            [account_id],
        ).fetchone()


def _health_override(serving: Path) -> HealthOverride:
    """An account not at risk by its computed health and not overridden: a leader sets 10."""
    with duckdb.connect(str(serving), read_only=True) as con:
        (account_id,) = con.execute(
            "select account_id from marts.fct_account_health where health_band <> 'at_risk' "
            "and not is_overridden order by account_id limit 1"
        ).fetchone()
    computed = _health(serving, account_id)[:2]
    return HealthOverride(account_id, computed, 10, "said on a call they are leaving")


def _open_action_ids(serving: Path) -> set[str]:
    with duckdb.connect(str(serving), read_only=True) as con:
        rows = con.execute("select action_id from marts.fct_action_queue where is_open").fetchall()
    return {r[0] for r in rows}


@pytest.fixture(scope="module")
def decided(pipeline_runs, tmp_path_factory):
    # A copy of the demo warehouse: the other tests read the shared one as the two runs left it.
    warehouse = tmp_path_factory.mktemp("decisions") / "warehouse"
    shutil.copytree(pipeline_runs.warehouse_dir, warehouse)
    serving = warehouse / "serving.duckdb"
    tags = _tag_correction(serving)
    health = _health_override(serving)
    open_before = _open_action_ids(serving)
    with running_dashboard(warehouse) as url:
        with chrome() as driver:  # an analyst
            _correct_tags(driver, url, tags)
            assert severe_console_entries(driver) == []
        with chrome() as driver:  # a leader
            done, dismissed, reopened = read_actions(driver, url)["rows"][:3]
            assert "marked done" in decide_in_browser(driver, done, "done", note="called them")
            assert "dismissed" in decide_in_browser(driver, dismissed, "dismissed")
            assert "marked done" in decide_in_browser(driver, reopened, "done", note="too early")
            assert "reopened" in reopen_in_browser(driver, reopened)
            read_account_health(driver, url, health.account_id)
            said = override_health_in_browser(driver, health.score, health.reason)
            assert said.startswith(f"Saved: health {health.score}")
            assert severe_console_entries(driver) == []
        rerun = run_module(["dagster_project", "run"], warehouse)
        assert rerun.returncode == 0, rerun.stdout[-5000:] + rerun.stderr[-5000:]
        yield Decided(warehouse, url, tags, done, dismissed, reopened, health, open_before, rerun)


def test_a_tag_correction_survives_the_next_pipeline_run(decided: Decided):
    tags = decided.tags
    # The server that ran through the pipeline run reads the new snapshot without a restart.
    with chrome() as driver:
        open_page(driver, decided.url, tags.page, TIMELINE)
        text = driver.find_element(By.ID, tags.row_id).text
        badge = driver.find_element(By.CSS_SELECTOR, f"#{tags.row_id} .emotion-badge").text
        assert badge == f"{tags.tag} · human tag", (tags.model_emotion, badge)
        assert "by test-analyst" in text and "after the next pipeline run" not in text
        feels = driver.find_element(By.CSS_SELECTOR, ".account-emotion .emotion-badge").text
        assert feels == f"{tags.account_tag} · human tag"
        assert severe_console_entries(driver) == []

    with duckdb.connect(str(decided.warehouse / "serving.duckdb"), read_only=True) as con:
        source, shown, tagged_by = con.execute(
            "select emotion_source, emotion, human_tagged_by from marts.fct_interactions "
            "where interaction_id = ?",
            [tags.interaction_id],
        ).fetchone()
        week = con.execute(
            "select w.dominant_emotion, w.dominant_source from marts.fct_account_emotion_weekly w "
            "join marts.fct_interactions f on f.account_id = w.account_id "
            "and date_trunc('week', f.occurred_at)::date = w.week_start "
            "where f.interaction_id = ?",
            [tags.interaction_id],
        ).fetchone()
    assert (source, shown, tagged_by) == ("human", tags.tag, "test-analyst")
    assert week == (tags.tag, "human")  # a person's tag wins the week on the timeline too


def test_an_action_decided_in_the_dashboard_stays_decided_after_the_next_run(decided: Decided):
    done, dismissed = decided.done, decided.dismissed
    serving = decided.warehouse / "serving.duckdb"
    with duckdb.connect(str(serving), read_only=True) as con:
        rows = con.execute(
            "select action_id, status, decided_by, decision_note from marts.fct_action_queue "
            "where action_id in (?, ?) order by status",
            [done, dismissed],
        ).fetchall()
    assert rows == [
        (dismissed, "dismissed", "test-leader", None),
        (done, "done", "test-leader", "called them"),
    ]
    open_after = _open_action_ids(serving)
    assert open_after & {done, dismissed} == set()
    assert open_after >= decided.open_before - {done, dismissed}
    # New ones only where the analyst's tag changed what a text says (an angry text about money
    # is a billing concern).
    with duckdb.connect(str(serving), read_only=True) as con:
        new_evidence = [
            row[0]
            for row in con.execute(
                "select evidence from marts.fct_action_queue where action_id in (select unnest(?))",
                [sorted(open_after - decided.open_before)],
            ).fetchall()
        ]
    assert all(decided.tags.interaction_id in evidence for evidence in new_evidence), new_evidence
    # A fresh server on the new snapshot (and the same app state) lists neither.
    with running_dashboard(decided.warehouse) as url, chrome() as driver:
        after = read_actions(driver, url)["rows"]
    assert done not in after and dismissed not in after


def test_a_reopened_action_is_open_after_the_next_run(decided: Decided):
    with duckdb.connect(str(decided.warehouse / "serving.duckdb"), read_only=True) as con:
        row = con.execute(
            "select status, decision, decided_by from marts.fct_action_queue where action_id = ?",
            [decided.reopened],
        ).fetchone()
    assert row == ("open", "reopened", "test-leader")
    with chrome() as driver:
        listed = read_actions(driver, decided.url)["rows"]
        text = driver.find_element(By.ID, f"action-row-{decided.reopened}").text
    assert decided.reopened in listed
    assert "Last decision: Reopened by test-leader" in text


def test_a_health_override_applies_beside_the_computed_score_after_the_next_run(
    decided: Decided,
):
    health = decided.health
    shown = _health(decided.warehouse / "serving.duckdb", health.account_id)
    assert shown[:2] == health.computed, "the computed score is not touched"
    assert shown[2:] == (
        True,
        float(health.score),
        "test-leader",
        health.reason,
        float(health.score),
        "at_risk",
    )
    with chrome() as driver:
        card = read_account_health(driver, decided.url, health.account_id)
        assert severe_console_entries(driver) == []
    assert card["effective"] == f"{health.score} · at risk"
    score, band = health.computed
    assert card["computed"] == f"{score:.0f} · {band.replace('_', ' ')}"
    assert f"Overridden to {health.score} by test-leader" in card["text"]
    assert "next pipeline run" not in card["text"], "no longer pending"


def test_the_next_run_built_incrementally_with_the_seeds_kept(decided: Decided):
    """The run after the decisions (new files, the dbt project unchanged) built incrementally and
    kept the seeds as loaded; the tests above show it still published what it built."""
    log = decided.rerun.stdout + decided.rerun.stderr
    command = next(line for line in log.splitlines() if "Running dbt command" in line)
    assert "--exclude resource_type:seed" in command
    assert "--full-refresh" not in command
    assert "Skipping step serving__marts_snapshot" not in log
