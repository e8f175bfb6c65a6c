"""The dashboard, in headless Chromium, shows exactly the numbers the pipeline published; and a
decision made in it survives the next real pipeline run."""

import shutil
from pathlib import Path

import duckdb
import pytest

from tests.support.dashboard import (
    chrome,
    decide_in_browser,
    expected_actions_summary,
    expected_at_risk,
    expected_overview_kpis,
    read_actions,
    read_at_risk,
    read_overview_kpis,
    running_dashboard,
    severe_console_entries,
)
from tests.support.pipeline import run_module

pytestmark = [pytest.mark.pipeline, pytest.mark.browser]


def test_overview_numbers_equal_serving_duckdb(pipeline_runs):
    serving = pipeline_runs.warehouse_dir / "serving.duckdb"
    expected = expected_overview_kpis(serving)
    assert expected["nps"] and expected["csat"] and expected["negative_share"]
    with running_dashboard(pipeline_runs.warehouse_dir) as url, chrome() as driver:
        shown = read_overview_kpis(driver, url)
    assert shown == expected


def _open_action_ids(serving: Path) -> set[str]:
    with duckdb.connect(str(serving), read_only=True) as con:
        return {
            r[0]
            for r in con.execute(
                "select action_id from marts.fct_action_queue where is_open"
            ).fetchall()
        }


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


def test_an_action_decided_in_the_dashboard_stays_decided_after_the_next_run(
    pipeline_runs, tmp_path
):
    # A copy of the demo warehouse: the other tests read the shared one as the two runs left it.
    warehouse = tmp_path / "warehouse"
    shutil.copytree(pipeline_runs.warehouse_dir, warehouse)
    serving = warehouse / "serving.duckdb"
    open_before = _open_action_ids(serving)
    with running_dashboard(warehouse) as url, chrome() as driver:
        listed = read_actions(driver, url)["rows"]
        done, dismissed = listed[0], listed[1]
        assert "marked done" in decide_in_browser(driver, done, "done", note="called them")
        assert "dismissed" in decide_in_browser(driver, dismissed, "dismissed")
        assert severe_console_entries(driver) == []

    rerun = run_module(["dagster_project", "run"], warehouse)
    assert rerun.returncode == 0, rerun.stdout[-5000:] + rerun.stderr[-5000:]

    with duckdb.connect(str(serving), read_only=True) as con:
        decided = con.execute(
            "select action_id, status, decided_by, decision_note from marts.fct_action_queue "
            "where action_id in (?, ?) order by status",
            [done, dismissed],
        ).fetchall()
    assert decided == [
        (dismissed, "dismissed", "test-leader", None),
        (done, "done", "test-leader", "called them"),
    ]
    assert _open_action_ids(serving) == open_before - {done, dismissed}
    # A fresh server on the new snapshot (and the same app state) lists neither.
    with running_dashboard(warehouse) as url, chrome() as driver:
        after = read_actions(driver, url)["rows"]
    assert done not in after and dismissed not in after
