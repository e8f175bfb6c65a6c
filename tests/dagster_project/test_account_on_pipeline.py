"""The session pack of the real demo: five accounts print a page each (headless Chromium,
gunicorn, on the warehouse the demo pipeline built). A tag correction's round trip through the
next run is in test_decisions_on_pipeline.py."""

from __future__ import annotations

import io

import duckdb
import pytest
from pypdf import PdfReader
from selenium.webdriver.common.by import By

from tests.support.dashboard import (
    chrome,
    download,
    open_page,
    running_dashboard,
    severe_console_entries,
    wait_for,
)

pytestmark = [pytest.mark.pipeline, pytest.mark.browser]


def test_a_five_account_pack_of_the_demo_prints_a_page_per_account(pipeline_runs):
    """Real texts and templates are longer than a fixture's: each account still fits its page."""
    serving = pipeline_runs.warehouse_dir / "serving.duckdb"
    with running_dashboard(pipeline_runs.warehouse_dir) as url, chrome() as driver:
        open_page(driver, url, "/pack", "pack-status")
        boxes = driver.find_elements(By.CSS_SELECTOR, "#pack-choice input[type=checkbox]")
        chosen = [box.get_attribute("value") for box in boxes[:5]]
        assert len(chosen) == 5, "the demo must offer five suggestions"
        for box in boxes[:5]:
            box.click()
        wait_for(
            driver,
            lambda d: d.find_element(By.ID, "pack-status").text.startswith("5 accounts"),
            "five accounts chosen",
        )
        status, kind, body = download(
            driver, driver.find_element(By.ID, "pack-export-pdf").get_attribute("href")
        )
        assert severe_console_entries(driver) == []
    assert (status, kind) == (200, "application/pdf"), body[:300]
    with duckdb.connect(str(serving), read_only=True) as con:
        names = dict(
            con.execute(
                "select account_id, name from marts.dim_accounts where list_contains(?, account_id)",
                [chosen],
            ).fetchall()
        )
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(body)).pages]
    assert len(pages) == 1 + len(chosen)
    for page, account_id in zip(pages[1:], chosen, strict=True):
        assert page.startswith(names[account_id]), page[:80]
        assert "Emotional timeline" in page and "Surveys" in page and "Stage" in page
