"""The Overview in headless Chromium against the real server (``python -m dashboards``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from tests.dashboards.serving_fixture import (
    EXPECTED_FEB,
    EXPECTED_FEB_COUNTS,
    EXPECTED_FULL,
    EXPECTED_SEGMENTS,
    FEB_END,
    FEB_START,
    write_serving_db,
)
from tests.support.dashboard import (
    DATE_END_INPUT,
    DATE_START_INPUT,
    RANGE_LABEL,
    chrome,
    expected_overview_counts,
    expected_overview_kpis,
    outside_requests,
    overview_graphs_with_data,
    read_overview_counts,
    read_overview_kpis,
    running_dashboard,
    sign_in,
    type_date,
    wait_for,
)

pytestmark = pytest.mark.browser
SLOW_MS = 1500  # a slow network: room to type before the first callback's answer arrives


@pytest.fixture(scope="module")
def driver() -> Iterator[WebDriver]:
    with chrome() as d:
        yield d


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    warehouse = tmp_path_factory.mktemp("warehouse")
    serving_db = write_serving_db(warehouse / "serving.duckdb")
    with running_dashboard(warehouse) as base_url:
        yield serving_db, base_url


def test_kpis_for_the_full_range_match_the_snapshot(published, driver: WebDriver) -> None:
    serving_db, base_url = published
    shown = read_overview_kpis(driver, base_url)
    assert shown == expected_overview_kpis(serving_db)
    # ... and both agree with the numbers worked out by hand from the fixture rows.
    assert {k: shown[k] for k in EXPECTED_FULL} == EXPECTED_FULL
    assert {k: v for k, v in shown.items() if k.startswith("segment_")} == EXPECTED_SEGMENTS
    assert read_overview_counts(driver) == expected_overview_counts(serving_db)


def test_typed_dates_filter_the_kpis_without_tab_or_enter(published, driver: WebDriver) -> None:
    serving_db, base_url = published
    full = read_overview_kpis(driver, base_url)
    narrow = read_overview_kpis(driver, base_url, FEB_START, FEB_END)
    assert narrow == expected_overview_kpis(serving_db, FEB_START, FEB_END)
    assert {k: narrow[k] for k in EXPECTED_FEB} == EXPECTED_FEB
    counts = read_overview_counts(driver)
    assert counts == expected_overview_counts(serving_db, FEB_START, FEB_END)
    assert counts["nps"].startswith(str(EXPECTED_FEB_COUNTS["nps"]))
    # The filter is proven to work: every range-driven KPI changed, segments (current) did not.
    for kpi in ("nps", "csat", "negative_share"):
        assert narrow[kpi] != full[kpi], kpi
    assert {k: v for k, v in narrow.items() if k.startswith("segment_")} == EXPECTED_SEGMENTS
    # The range shown is the one typed in, in the page's own inputs.
    start_input = driver.find_element(By.ID, "filter-start")
    end_input = driver.find_element(By.ID, "filter-end")
    assert start_input.get_attribute("value") == "2024-02-01"
    assert end_input.get_attribute("value") == "2024-02-29"


def test_a_date_typed_before_the_first_answer_is_kept(published, driver: WebDriver) -> None:
    """The bar arrives filled in from the page's URL, so the shared filter callback's first
    answer has nothing to write there: a date typed as soon as the boxes appear (before that
    answer, as on a slow network or a loaded server) is the one applied, not overwritten with
    the URL's. Chromium delays every request here, which opens that window for certain."""
    _, base_url = published
    read_overview_kpis(driver, base_url)  # signed in
    typed_end = FEB_START.replace(day=15)
    with slow_network(driver, latency_ms=SLOW_MS):
        driver.get(f"{base_url}/?start={FEB_START.isoformat()}&end={FEB_END.isoformat()}")
        wait_for(driver, lambda d: d.find_elements(By.ID, DATE_END_INPUT), "the date boxes")
        assert driver.find_element(By.ID, DATE_START_INPUT).get_attribute("value") == (
            FEB_START.isoformat()
        )
        type_date(driver, DATE_END_INPUT, typed_end)
        wanted = f"{FEB_START.isoformat()}/{typed_end.isoformat()}"
        wait_for(
            driver,
            lambda d: d.find_element(By.ID, RANGE_LABEL).get_attribute("title") == wanted,
            f"the Overview to apply the typed end date ({wanted})",
        )
    assert driver.find_element(By.ID, DATE_END_INPUT).get_attribute("value") == (
        typed_end.isoformat()
    )


@contextmanager
def slow_network(driver: WebDriver, latency_ms: int) -> Iterator[None]:
    """Every request of the page takes ``latency_ms`` longer (Chromium's network emulation)."""
    conditions = {"offline": False, "downloadThroughput": -1, "uploadThroughput": -1}
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd(
        "Network.emulateNetworkConditions", {**conditions, "latency": latency_ms}
    )
    try:
        yield
    finally:
        driver.execute_cdp_cmd("Network.emulateNetworkConditions", {**conditions, "latency": 0})


def test_charts_render_with_data(published, driver: WebDriver) -> None:
    _, base_url = published
    read_overview_kpis(driver, base_url)
    graphs = overview_graphs_with_data(driver)
    # One trace per emotion present (all nine occur in the fixture), one bar series for CSAT.
    assert graphs.get("overview-emotion-mix-graph") == 9, graphs
    assert graphs.get("overview-csat-by-emotion-graph") == 1, graphs
    assert driver.find_elements(By.CSS_SELECTOR, "#overview-emotion-mix-graph .bars path")


def test_nothing_is_requested_from_outside_localhost(published, driver: WebDriver) -> None:
    _, base_url = published
    driver.get_log("performance")  # start from a clean network log
    read_overview_kpis(driver, base_url, FEB_START, FEB_END)
    assert outside_requests(driver, base_url) == []
    assert driver.find_elements(By.CSS_SELECTOR, "script[src]"), "expected Dash's local scripts"
    # The check itself can see an outside request (so the empty list above means something).
    driver.execute_script(
        "const l = document.createElement('link'); l.rel = 'stylesheet';"
        "l.href = 'http://example.invalid/font.css'; document.head.appendChild(l);"
    )
    WebDriverWait(driver, 10).until(
        lambda d: "http://example.invalid/font.css" in outside_requests(d, base_url)
    )


def test_charts_use_the_vendored_partial_plotly_bundle(published, driver: WebDriver) -> None:
    """Plotly's 1.5 MB cartesian bundle loads with the page; the 4.8 MB full one never does."""
    _, base_url = published
    driver.get("about:blank")
    read_overview_kpis(driver, base_url, FEB_START, FEB_END)
    drawn = overview_graphs_with_data(driver)
    assert drawn and all(drawn.values()), drawn
    loaded = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert any("/assets/vendor/plotly-cartesian-" in url for url in loaded), loaded
    assert not [url for url in loaded if "package_data/plotly" in url]


def test_no_errors_in_the_browser_console(published, driver: WebDriver) -> None:
    _, base_url = published
    driver.get_log("browser")
    read_overview_kpis(driver, base_url, FEB_START, FEB_END)
    severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == []


def test_missing_snapshot_shows_a_clear_message(tmp_path: Path, driver: WebDriver) -> None:
    with running_dashboard(tmp_path) as base_url:
        sign_in(driver, base_url, "leader")
        message = WebDriverWait(driver, 30).until(
            lambda d: d.find_elements(By.ID, "overview-no-data")
        )[0]
        assert "no data published yet — run make pipeline" in message.text.lower()
        assert not driver.find_elements(By.CSS_SELECTOR, ".js-plotly-plot")
