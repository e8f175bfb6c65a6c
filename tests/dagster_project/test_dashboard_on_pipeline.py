"""The dashboard, in headless Chromium, shows exactly the numbers the pipeline published. Decisions
made in it and the next run: test_decisions_on_pipeline.py."""

import duckdb
import pytest
from selenium.webdriver.common.by import By

from dashboards import ids
from tests.support.dashboard import (
    ACCOUNT_PATH,
    chrome,
    expected_actions_summary,
    expected_at_risk,
    expected_overview_kpis,
    open_page,
    read_actions,
    read_at_risk,
    read_overview_kpis,
    running_dashboard,
    severe_console_entries,
)

pytestmark = [pytest.mark.pipeline, pytest.mark.browser]


def test_overview_numbers_equal_serving_duckdb(pipeline_runs):
    serving = pipeline_runs.warehouse_dir / "serving.duckdb"
    expected = expected_overview_kpis(serving)
    assert expected["nps"] and expected["csat"] and expected["negative_share"]
    with running_dashboard(pipeline_runs.warehouse_dir) as url, chrome() as driver:
        shown = read_overview_kpis(driver, url)
    assert shown == expected


def test_the_risk_pages_show_what_serving_duckdb_holds(pipeline_runs):
    # The small demo has too little history for a churn-model fit (At risk and the backtest are
    # checked against their marts on the hand-written snapshot, tests/dashboards), but it has
    # recommended actions.
    serving = pipeline_runs.warehouse_dir / "serving.duckdb"
    expected_queue = expected_actions_summary(serving)
    assert not expected_queue.startswith("0 open actions"), "the demo has open actions"
    with running_dashboard(pipeline_runs.warehouse_dir) as url, chrome() as driver:
        queue = read_actions(driver, url)
        at_risk = read_at_risk(driver, url)
        # An account's page reads every mart it draws from (the cues view included).
        with duckdb.connect(str(serving), read_only=True) as conn:
            account_id = conn.execute(
                "select min(account_id) from marts.fct_action_queue"
            ).fetchone()[0]
        open_page(
            driver, url, f"{ACCOUNT_PATH}?account_id={account_id}", ids.ACCOUNT_TIMELINE_GRAPH
        )
        account_page = driver.find_element(By.TAG_NAME, "body").text
        assert severe_console_entries(driver) == []
    assert queue["summary"] == expected_queue
    assert "Not published yet" not in account_page
    expected = expected_at_risk(serving)
    assert {k: at_risk[k] for k in expected} == expected
