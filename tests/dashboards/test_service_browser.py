"""The dashboard as a service, in headless Chromium against the real gunicorn server: sign-in,
sign-out, expiry, masking by role, and the shared filters in the URL."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from tests.dashboards.serving_fixture import (
    EXPECTED_AT_RISK,
    TEXT_SECRETS,
    write_serving_db,
)
from tests.support.dashboard import (
    DATE_END_INPUT,
    DATE_START_INPUT,
    FILTER_APPLIED,
    FILTER_NOTICE,
    FRESHNESS,
    LOGIN_MESSAGE,
    SIGN_OUT,
    USER_ROLE,
    chrome,
    on_login_page,
    open_overview,
    read_overview_kpis,
    running_dashboard,
    set_overview_range,
    sign_in,
    type_date,
)

pytestmark = pytest.mark.browser

# February and segment "at risk" (A4, A5), by hand from serving_fixture: interactions 5 (3
# negative, A4 2024-02-02) + 4 (4, A5 2024-02-27) = 7/9; NPS A5 2024-02-05 (2 promoters,
# 4 detractors of 8) = -25.0; CSAT A5 anger 0/3 + A4 confusion 1/2 = 1/5.
FEB_AT_RISK = {"nps": "-25.0", "csat": "20.0", "negative_share": "77.8"}
SHARED_VIEW = "?start=2024-02-01&end=2024-02-29&segment=at_risk"


@pytest.fixture(scope="module")
def driver() -> Iterator[WebDriver]:
    with chrome() as d:
        yield d


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    warehouse = tmp_path_factory.mktemp("warehouse")
    write_serving_db(warehouse / "serving.duckdb")
    with running_dashboard(warehouse) as url:
        yield url


@pytest.fixture
def fresh(driver: WebDriver, base_url: str) -> WebDriver:
    """A browser with no session (signed out)."""
    driver.get(f"{base_url}/login")
    driver.delete_all_cookies()
    driver.get_log("browser")  # start each test with an empty console
    return driver


def _kpis(driver: WebDriver) -> dict[str, str]:
    return {
        name: driver.find_element(By.ID, f"overview-kpi-{name.replace('_', '-')}").text.strip()
        for name in ("nps", "csat", "negative_share")
    }


def _severe_console_entries(driver: WebDriver) -> list[dict]:
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def _query(driver: WebDriver) -> dict[str, list[str]]:
    return parse_qs(urlsplit(driver.current_url).query)


def test_anonymous_visitor_gets_the_login_page_and_no_data(fresh: WebDriver, base_url: str):
    fresh.get(f"{base_url}/{SHARED_VIEW}")
    assert on_login_page(fresh)
    assert fresh.title == "Sign in · Customer emotion"
    assert not fresh.find_elements(By.ID, "overview-kpi-nps")
    assert "marts" not in fresh.page_source
    fresh.get(f"{base_url}/voices")
    assert on_login_page(fresh)


def test_wrong_password_is_refused(fresh: WebDriver, base_url: str):
    sign_in(fresh, base_url, "leader", password="not the password")
    assert on_login_page(fresh)
    assert "Wrong user name or password" in fresh.find_element(By.ID, LOGIN_MESSAGE).text


def test_a_shared_link_survives_sign_in_and_reproduces_the_view(fresh: WebDriver, base_url: str):
    open_overview(fresh, base_url, query=SHARED_VIEW)  # signs in as the analyst on the way
    assert _query(fresh) == {"start": ["2024-02-01"], "end": ["2024-02-29"], "segment": ["at_risk"]}
    assert _kpis(fresh) == FEB_AT_RISK
    assert fresh.find_element(By.ID, "overview-kpi-segment-at_risk").text == "2"
    assert fresh.find_element(By.ID, "overview-kpi-segment-champion").text == "0"
    applied = fresh.find_element(By.ID, FILTER_APPLIED).text
    assert applied == "Showing 2024-02-01 – 2024-02-29 · Segment: At risk"
    assert fresh.find_element(By.ID, DATE_START_INPUT).get_attribute("value") == "2024-02-01"
    assert fresh.find_element(By.ID, USER_ROLE).text == "analyst"
    assert "Data refreshed" in fresh.find_element(By.ID, FRESHNESS).text
    # Reload keeps the view.
    fresh.refresh()
    open_overview(fresh, base_url, query=SHARED_VIEW)
    assert _kpis(fresh) == FEB_AT_RISK
    assert _severe_console_entries(fresh) == []


def test_typed_dates_apply_and_go_into_the_url(fresh: WebDriver, base_url: str):
    read_overview_kpis(fresh, base_url)
    assert _query(fresh) == {}
    set_overview_range(fresh, None, None)  # nothing typed: nothing changes
    set_overview_range(fresh, date(2024, 2, 1), date(2024, 2, 29))
    WebDriverWait(fresh, 20).until(lambda d: _query(d).get("end") == ["2024-02-29"])
    assert _query(fresh)["start"] == ["2024-02-01"]
    # The navigation carries the filters to the next page.
    voices = fresh.find_element(By.CSS_SELECTOR, "a.nav-link[href^='/voices']")
    assert voices.get_attribute("href").endswith("/voices?start=2024-02-01&end=2024-02-29")
    assert _severe_console_entries(fresh) == []


def test_a_reversed_range_is_turned_round_and_said_so(fresh: WebDriver, base_url: str):
    open_overview(fresh, base_url, query="?start=2024-02-29&end=2024-02-01&segment=at_risk")
    WebDriverWait(fresh, 20).until(lambda d: d.find_element(By.ID, FILTER_NOTICE).text)
    assert "turned round" in fresh.find_element(By.ID, FILTER_NOTICE).text
    assert fresh.find_element(By.ID, DATE_START_INPUT).get_attribute("value") == "2024-02-01"
    assert fresh.find_element(By.ID, DATE_END_INPUT).get_attribute("value") == "2024-02-29"
    assert _kpis(fresh) == FEB_AT_RISK
    assert _query(fresh)["start"] == ["2024-02-01"]


def test_a_range_outside_the_data_shows_everything_and_says_why(fresh: WebDriver, base_url: str):
    open_overview(fresh, base_url, query="?start=2020-01-01&end=2020-01-31&segment=at_risk")
    WebDriverWait(fresh, 20).until(lambda d: d.find_element(By.ID, FILTER_NOTICE).text)
    notice = fresh.find_element(By.ID, FILTER_NOTICE).text
    assert "There is no data from 2020-01-01 to 2020-01-31" in notice
    assert _kpis(fresh) == EXPECTED_AT_RISK  # the whole range, still for the at-risk segment


def _voices(driver: WebDriver, base_url: str, role: str) -> str:
    driver.get(f"{base_url}/login")
    driver.delete_all_cookies()
    sign_in(driver, base_url, role, next_path="/voices")
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.ID, "voice-i1"))
    return driver.find_element(By.ID, "voices-table").text


def test_masking_by_role_on_the_voices_page(driver: WebDriver, base_url: str):
    driver.get_log("browser")
    analyst = _voices(driver, base_url, "analyst")
    assert "Hi [name], the export failed again. Call me on [phone]" in analyst
    for secret in (*TEXT_SECRETS, "sam.agent@vendor.example", "olivia.owner@vendor.example"):
        assert secret not in driver.page_source, secret
    summary = driver.find_element(By.ID, "voices-summary").text
    assert "1 more are from contacts who opted out of analysis" in summary
    assert _severe_console_entries(driver) == []

    leader = _voices(driver, base_url, "leader")
    assert "Tom Baker" not in leader and "[text hidden for your role]" in leader
    assert "Account 3" in leader  # account names, yes

    agent = _voices(driver, base_url, "agent")
    own = driver.find_element(By.ID, "voice-i1").text
    assert "Tom Baker" in own and "jo.doe@acme.example" in own  # Sam's own account A4
    assert "[text hidden for your role]" in driver.find_element(By.ID, "voice-i2").text
    assert "Priya Shah" not in agent


def test_sign_out(fresh: WebDriver, base_url: str):
    read_overview_kpis(fresh, base_url)
    fresh.find_element(By.ID, SIGN_OUT).click()
    WebDriverWait(fresh, 20).until(on_login_page)
    assert "You are signed out" in fresh.find_element(By.ID, LOGIN_MESSAGE).text
    fresh.get(f"{base_url}/")
    assert on_login_page(fresh)


def test_an_expired_session_goes_back_to_the_login_page(driver: WebDriver, tmp_path: Path):
    write_serving_db(tmp_path / "serving.duckdb")
    # Long enough that signing in and the first callbacks stay inside it on a loaded machine
    # (3 s expired between sign-in and the first callback at load 10).
    idle = 10
    env = {"DASHBOARD_SESSION_IDLE_SECONDS": str(idle)}
    with running_dashboard(tmp_path, env=env) as url:
        read_overview_kpis(driver, url)
        time.sleep(idle + 1)  # idle longer than the session may be
        # The next callback is refused (401) and the page goes to the login page, which says why.
        type_date(driver, DATE_START_INPUT, date(2024, 2, 1))
        WebDriverWait(driver, 20).until(on_login_page)
        assert "Your session expired" in driver.find_element(By.ID, LOGIN_MESSAGE).text
        assert "next=" in driver.current_url  # and it comes back to this view after sign-in
