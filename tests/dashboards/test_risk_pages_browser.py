"""At risk, Actions and the risk score page, in headless Chromium against the real gunicorn server
on the hand-written snapshot (serving_fixture + risk_fixture)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from tests.dashboards.risk_fixture import (
    EXPECTED_ACCOUNTS,
    EXPECTED_AT_RISK_MRR,
    EXPECTED_OPEN_ACTIONS,
    RISK,
)
from tests.dashboards.serving_fixture import OWNER_SAM, write_serving_db
from tests.support.dashboard import (
    AT_RISK_PATH,
    FRESHNESS,
    RISK_GRAPHS,
    chrome,
    decide_in_browser,
    expected_actions_summary,
    expected_at_risk,
    expected_backtest,
    read_actions,
    read_at_risk,
    read_risk_score,
    running_dashboard,
    severe_console_entries,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("warehouse")
    write_serving_db(folder / "serving.duckdb")
    return folder


@pytest.fixture(scope="module")
def base_url(warehouse: Path) -> Iterator[str]:
    with running_dashboard(warehouse) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    with chrome() as d:
        yield d


@pytest.fixture
def driver(browser: WebDriver, base_url: str) -> WebDriver:
    """Signed out, with an empty console."""
    browser.get(f"{base_url}/login")
    browser.delete_all_cookies()
    browser.get_log("browser")
    return browser


def test_at_risk_renders_for_a_leader_ranked_by_risk_with_no_console_errors(driver, base_url):
    shown = read_at_risk(driver, base_url)
    by_risk = sorted(RISK, key=lambda a: -RISK[a][0])
    assert shown["rows"] == by_risk
    assert shown["at_risk_mrr"] == f"{EXPECTED_AT_RISK_MRR['all']:,.0f}"
    first = driver.find_element(By.ID, f"at-risk-row-{by_risk[0]}")
    assert "3 tickets unresolved for over 10 days" in first.text
    assert "Tom Baker" not in first.text, "a leader sees no names from what customers wrote"
    assert "Intervention call (+1 more)" in first.text
    link = first.find_element(By.TAG_NAME, "a")
    assert link.get_attribute("href").endswith(f"/account?account_id={by_risk[0]}")
    assert driver.find_element(By.ID, FRESHNESS).text.strip()
    assert severe_console_entries(driver) == []


def test_at_risk_numbers_equal_the_marts_and_a_filter_changes_them(driver, base_url, warehouse):
    serving = warehouse / "serving.duckdb"
    everything = read_at_risk(driver, base_url)
    assert {k: everything[k] for k in ("at_risk_mrr", "at_risk_accounts", "accounts_count")} == (
        expected_at_risk(serving)
    )
    pro = read_at_risk(driver, base_url, "?plan=pro")
    assert {k: pro[k] for k in ("at_risk_mrr", "at_risk_accounts", "accounts_count")} == (
        expected_at_risk(serving, plan="pro")
    )
    assert pro["at_risk_mrr"] != everything["at_risk_mrr"]
    assert len(pro["rows"]) == EXPECTED_ACCOUNTS["pro"]
    assert parse_qs(urlsplit(driver.current_url).query) == {"plan": ["pro"]}


def test_at_risk_sorts_on_the_server(driver, base_url):
    read_at_risk(driver, base_url)
    driver.find_element(By.XPATH, "//button[starts-with(normalize-space(), 'MRR')]").click()
    by_mrr = sorted(RISK, key=lambda a: -int(a[1:]))  # MRR is 1000 + the account's index

    def rows() -> list[str]:
        return [
            e.get_attribute("id").removeprefix("at-risk-row-")
            for e in driver.find_elements(By.CSS_SELECTOR, "[id^='at-risk-row-']")
        ]

    WebDriverWait(
        driver, 30, poll_frequency=0.2, ignored_exceptions=(StaleElementReferenceException,)
    ).until(lambda d: rows() == by_mrr)
    assert severe_console_entries(driver) == []


def test_an_agent_sees_only_its_own_accounts(driver, base_url, warehouse):
    shown = read_at_risk(driver, base_url, role="agent")
    assert set(shown["rows"]) == {"A4", "A5", "A6"}
    assert {k: shown[k] for k in ("at_risk_mrr", "at_risk_accounts", "accounts_count")} == (
        expected_at_risk(warehouse / "serving.duckdb", owner=OWNER_SAM)
    )
    actions = read_actions(driver, base_url, role="agent")
    assert set(actions["rows"]) == {"X1", "X2", "X3"}


def test_the_risk_score_page_says_it_in_words_next_to_the_baselines(driver, base_url, warehouse):
    shown = read_risk_score(driver, base_url)
    assert shown["table"] == expected_backtest(warehouse / "serving.duckdb")
    assert "38% churned within 90 days: 7.6× the 5% of all accounts" in shown["sentences"]
    assert "beats both simple rules" in shown["sentences"]
    assert {g: shown["graphs"].get(g) for g in RISK_GRAPHS} == {
        "risk-score-lift-graph": 3,
        "risk-score-calibration-graph": 2,
    }
    assert severe_console_entries(driver) == []


def test_a_decision_takes_the_action_off_the_queue_and_is_kept(driver, base_url, warehouse):
    before = read_actions(driver, base_url)
    assert before["rows"][:2] == ["X1", "X2"] and set(before["rows"]) == set(EXPECTED_OPEN_ACTIONS)
    assert before["summary"] == expected_actions_summary(warehouse / "serving.duckdb")
    message = decide_in_browser(driver, "X3", "done", note="Refund sent to Tom Baker")
    assert "marked done" in message
    until = date.today() + timedelta(days=30)
    assert "snoozed until" in decide_in_browser(driver, "X5", "snoozed", snoozed_until=until)
    refused = decide_in_browser(driver, "X7", "snoozed", snoozed_until=date(2020, 1, 1))
    assert refused.startswith("Not recorded") and "after today" in refused
    after = read_actions(driver, base_url)  # a reload: the decisions come from the app state
    assert set(after["rows"]) == set(EXPECTED_OPEN_ACTIONS) - {"X3", "X5"}
    assert after["summary"].startswith("3 open actions")
    with sqlite3.connect(warehouse / "app_state.sqlite") as con:
        rows = con.execute(
            "select action_id, account_id, decision, snoozed_until, note, decided_by "
            "from action_decisions order by decision_id"
        ).fetchall()
    assert rows == [
        ("X3", "A5", "done", None, "Refund sent to Tom Baker", "test-leader"),
        ("X5", "A1", "snoozed", until.isoformat(), None, "test-leader"),
    ]
    # The At risk page's recommended action follows: A5's only open action is done.
    read_at_risk(driver, base_url)
    assert "Billing review" not in driver.find_element(By.ID, "at-risk-row-A5").text
    assert severe_console_entries(driver) == []


def test_the_at_risk_page_keeps_its_filters_in_a_shared_link(driver, base_url):
    shown = read_at_risk(driver, base_url, "?region=emea")
    assert shown["at_risk_mrr"] == f"{EXPECTED_AT_RISK_MRR['emea']:,.0f}"
    assert len(shown["rows"]) == EXPECTED_ACCOUNTS["emea"]
    nav = driver.find_element(By.CSS_SELECTOR, f"a[href^='{AT_RISK_PATH}']")
    assert "region=emea" in nav.get_attribute("href")
