"""The dashboard, in headless Chromium, shows exactly the numbers the pipeline published."""

import pytest

from tests.support.dashboard import (
    chrome,
    expected_overview_kpis,
    read_overview_kpis,
    running_dashboard,
)

pytestmark = [pytest.mark.pipeline, pytest.mark.browser]


def test_overview_numbers_equal_serving_duckdb(pipeline_runs):
    serving = pipeline_runs.warehouse_dir / "serving.duckdb"
    expected = expected_overview_kpis(serving)
    assert expected["nps"] and expected["csat"] and expected["negative_share"]
    with running_dashboard(pipeline_runs.warehouse_dir) as url, chrome() as driver:
        shown = read_overview_kpis(driver, url)
    assert shown == expected
