"""The dashboard, in headless Chromium, shows exactly the numbers the pipeline published. Decisions
made in it and the next run: test_decisions_on_pipeline.py."""

import pytest

from tests.support.dashboard import (
    chrome,
    expected_actions_summary,
    expected_at_risk,
    expected_overview_kpis,
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
        assert severe_console_entries(driver) == []
    assert queue["summary"] == expected_queue
    expected = expected_at_risk(serving)
    assert {k: at_risk[k] for k in expected} == expected
