"""People's decisions in headless Chromium against the real gunicorn server on the hand-written
snapshot (serving_fixture + risk_fixture + account_fixture): a health override set and cleared on the Account page,
a decided action shown with its note and reopened, the filter bar folded at phone width, and
folded away on the pages that take no filters."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from tests.dashboards.account_fixture import write_account_serving_db
from tests.dashboards.risk_fixture import RISK
from tests.support.dashboard import (
    FILTER_NOT_USED,
    FILTER_TOGGLE,
    PHONE,
    chrome,
    decide_in_browser,
    open_page,
    override_health_in_browser,
    read_account_health,
    read_actions,
    read_at_risk,
    read_decided,
    reopen_in_browser,
    running_dashboard,
    severe_console_entries,
    wait_for,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("warehouse")
    write_account_serving_db(folder / "serving.duckdb")
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
    """Signed out, desktop width, with an empty console."""
    browser.get(f"{base_url}/login")
    browser.delete_all_cookies()
    browser.set_window_size(1440, 1100)
    browser.get_log("browser")
    return browser


def _overrides(warehouse: Path) -> list[tuple]:
    with sqlite3.connect(warehouse / "app_state.sqlite") as con:
        return con.execute(
            "select account_id, override_score, reason, valid_until, overridden_by "
            "from health_overrides order by override_id"
        ).fetchall()


def test_a_leader_sets_and_clears_a_health_override_on_the_account_page(
    driver, base_url, warehouse
):
    shown = read_account_health(driver, base_url, "A2")
    assert shown["computed"] == f"{RISK['A2'][3]:.0f} · healthy"
    assert shown["effective"] == shown["computed"] and shown["can_set"]
    until = date.today() + timedelta(days=60)
    said = override_health_in_browser(driver, 25, "CEO said they are leaving", until)
    assert said == "Saved: health 25 applies after the next pipeline run."
    assert _overrides(warehouse) == [
        ("A2", 25.0, "CEO said they are leaving", until.isoformat(), "test-leader")
    ]
    card = driver.find_element(By.ID, "account-health").text
    assert f"Set to 25 by test-leader until {until}" in card
    assert "Applied: 88 · healthy" in card, "the snapshot's numbers wait for the next run"

    refused = override_health_in_browser(driver, 140, "typo")
    assert refused == "Not saved: the health must be a number from 0 to 100."
    assert len(_overrides(warehouse)) == 1

    driver.refresh()  # kept in the app state: still pending after a reload
    wait_for(driver, lambda d: "Set to 25" in d.find_element(By.ID, "account-health").text, "")
    said = override_health_in_browser(driver, None)
    assert said == "Cleared: the computed score applies after the next pipeline run."
    assert _overrides(warehouse)[-1] == ("A2", None, None, None, "test-leader")
    assert not driver.find_element(By.ID, "account-health-clear").is_enabled()
    assert severe_console_entries(driver) == []


def test_the_published_override_is_shown_beside_the_computed_score(driver, base_url):
    shown = read_account_health(driver, base_url, "A6")
    assert shown["computed"] == "52 · watch" and shown["effective"] == "30 · at risk"
    assert "(analysts' file), until 2999-01-01: “renewal call went badly”" in shown["text"]
    read_at_risk(driver, base_url)
    assert "30 · at risk overridden" in driver.find_element(By.ID, "at-risk-row-A6").text
    assert "overridden" not in driver.find_element(By.ID, "at-risk-row-A2").text


def test_an_agent_may_override_only_its_own_accounts(driver, base_url):
    assert read_account_health(driver, base_url, "A4", role="agent")["can_set"]
    other = read_account_health(driver, base_url, "A1", role="agent")
    assert not other["can_set"]
    assert other["status"] == "Only the account's owner may override its health."


def test_a_decided_action_shows_its_note_and_is_reopened(driver, base_url, warehouse):
    read_actions(driver, base_url)
    assert "marked done" in decide_in_browser(driver, "X3", "done", note="refund sent")
    wait_for(driver, lambda d: "X3" in read_decided(d), "X3 in the decided list")
    decided = read_decided(driver)
    assert "Done" in decided["X3"] and "refund sent" in decided["X3"]
    assert "test-leader" in decided["X3"], "who decided, and when"
    assert date.today().isoformat() in decided["X3"]
    assert "Snoozed until 2999-01-01" in decided["X4"], "the snapshot's own decisions too"
    assert "nan" not in decided["X6"] and "None" not in decided["X6"]

    said = reopen_in_browser(driver, "X3")
    assert said.startswith("Action X3… reopened")
    assert "X3" not in read_decided(driver)
    row = driver.find_element(By.ID, "action-row-X3").text
    assert "Last decision: Reopened by test-leader" in row
    with sqlite3.connect(warehouse / "app_state.sqlite") as con:
        assert con.execute(
            "select decision, note, decided_by from action_decisions where action_id = 'X3' "
            "order by decision_id"
        ).fetchall() == [("done", "refund sent", "test-leader"), ("reopened", None, "test-leader")]
    after = read_actions(driver, base_url)  # a reload: still open
    assert "X3" in after["rows"]
    assert severe_console_entries(driver) == []


@pytest.mark.parametrize("path", ["/", "/voices", "/at-risk", "/actions"])
def test_at_phone_width_the_filters_fold_behind_a_button(driver, base_url, path):
    driver.set_window_size(*PHONE)
    open_page(driver, base_url, path, FILTER_TOGGLE, role="leader")
    first_filter = driver.find_element(By.CSS_SELECTOR, "#filter-bar > .filter")
    toggle = driver.find_element(By.ID, FILTER_TOGGLE)
    assert toggle.is_displayed() and not first_filter.is_displayed()
    assert toggle.get_attribute("aria-expanded") == "false"
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= PHONE[0], "nothing pushes the page sideways"
    toggle.click()
    wait_for(driver, lambda d: first_filter.is_displayed(), "the filters to unfold")
    assert toggle.get_attribute("aria-expanded") == "true"
    toggle.click()
    wait_for(driver, lambda d: not first_filter.is_displayed(), "the filters to fold again")
    assert severe_console_entries(driver) == []


def test_at_desktop_width_the_filters_show_and_the_button_does_not(driver, base_url):
    open_page(driver, base_url, "/at-risk", FILTER_TOGGLE, role="leader")
    assert driver.find_element(By.CSS_SELECTOR, "#filter-bar > .filter").is_displayed()
    assert not driver.find_element(By.ID, FILTER_TOGGLE).is_displayed()


def _nav_hrefs(driver: WebDriver) -> dict[str, str]:
    return {
        link.text: link.get_attribute("href")
        for link in driver.find_elements(By.CSS_SELECTOR, "a.nav-link")
    }


def test_a_page_without_filters_says_so_and_keeps_them_for_the_next(driver, base_url):
    pro = read_at_risk(driver, base_url, "?plan=pro")
    assert pro["rows"] and set(pro["rows"]) <= {"A1", "A2", "A3"}  # serving_fixture's pro plan
    assert not driver.find_element(By.ID, FILTER_NOT_USED).is_displayed()
    driver.find_element(By.CSS_SELECTOR, f"#at-risk-row-{pro['rows'][0]} a").click()
    wait_for(
        driver,
        lambda d: (
            "/account" in d.current_url and d.find_element(By.ID, FILTER_NOT_USED).is_displayed()
        ),
        "the Account page, saying it takes no filters",
    )
    assert "This page is not filtered" in driver.find_element(By.ID, FILTER_NOT_USED).text
    assert not any(
        f.is_displayed() for f in driver.find_elements(By.CSS_SELECTOR, "#filter-bar > .filter")
    )
    assert "plan=pro" not in driver.current_url
    wait_for(driver, lambda d: _nav_hrefs(d)["At risk"].endswith("/at-risk?plan=pro"), "links")
    assert all(href.endswith("?plan=pro") for href in _nav_hrefs(driver).values())

    driver.find_element(By.CSS_SELECTOR, "a.nav-link[href$='/at-risk?plan=pro']").click()
    wait_for(
        driver,
        lambda d: (
            d.current_url.endswith("/at-risk?plan=pro")
            and d.find_elements(By.CSS_SELECTOR, "[id^='at-risk-row-']")
            and "pro" in d.find_element(By.ID, "filter-applied-label").text
        ),
        "At risk with the plan filter again",
    )
    rows = [
        e.get_attribute("id").removeprefix("at-risk-row-")
        for e in driver.find_elements(By.CSS_SELECTOR, "[id^='at-risk-row-']")
    ]
    assert rows == pro["rows"]
    assert driver.find_element(By.CSS_SELECTOR, "#filter-bar > .filter").is_displayed()
    assert severe_console_entries(driver) == []


@pytest.mark.parametrize("path", ["/risk-score", "/pack"])
def test_at_phone_width_a_page_without_filters_offers_none(driver, base_url, path):
    driver.set_window_size(*PHONE)
    open_page(driver, base_url, path, FILTER_NOT_USED, role="leader")
    wait_for(driver, lambda d: d.find_element(By.ID, FILTER_NOT_USED).is_displayed(), "the notice")
    assert not driver.find_element(By.ID, FILTER_TOGGLE).is_displayed()
    assert severe_console_entries(driver) == []
