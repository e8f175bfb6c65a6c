"""The Actions page's decided list in headless Chromium against the real gunicorn server, on the
hand-written snapshot plus more decided actions than one page holds: every decision is reached
by paging on the server, and a reopening's note is kept with who and when and shown after a
reload (in the queue, and in the decided list once the action is decided again)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from dashboards.data.actions import DECIDED_PAGE_SIZE
from tests.dashboards.account_fixture import write_account_serving_db
from tests.support.dashboard import (
    DECIDED_PAGE_LABEL,
    chrome,
    decide_in_browser,
    read_actions,
    read_decided,
    reopen_in_browser,
    running_dashboard,
    severe_console_entries,
    turn_decided_page,
    wait_for,
)

pytestmark = pytest.mark.browser

# More done actions than one page holds, decided an hour apart (D01 first), one per account in
# turn: with the snapshot's X4 (snoozed) and X6 (done), undated, they fill two pages.
EXTRA_DECIDED = 30
ACCOUNTS = ("A1", "A2", "A3", "A4", "A5", "A6")


def _extra_id(i: int) -> str:
    return f"D{i:02d}"


def _expected_order(warehouse: Path) -> list[str]:
    """The decided actions newest first, with this test's own SQL (no decision in the app yet)."""
    with duckdb.connect(str(warehouse / "serving.duckdb"), read_only=True) as con:
        rows = con.execute(
            "select action_id from marts.fct_action_queue "
            "where status in ('done', 'dismissed') "
            "or (status = 'snoozed' and snoozed_until > current_date) "
            "order by decided_at desc nulls last, action_id"
        ).fetchall()
    return [r[0] for r in rows]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("warehouse")
    serving = write_account_serving_db(folder / "serving.duckdb")
    with duckdb.connect(str(serving)) as con:
        for i in range(1, EXTRA_DECIDED + 1):
            con.execute(
                "insert into marts.fct_action_queue "
                "select $id, $account, account_name, action_type, action_label, reason, "
                "evidence, $id, owner, priority, task_type, as_of_date, due_date, "
                "churn_risk_higher_riskier, health_higher_healthier, mrr, 'done', 'done', 'lea', "
                "timestamp '2024-03-01 00:00:00' + to_hours($i), 'note ' || $id, null, false "
                "from marts.fct_action_queue where account_id = $account limit 1",
                {"id": _extra_id(i), "account": ACCOUNTS[i % len(ACCOUNTS)], "i": i},
            )
    assert len(_expected_order(folder)) == EXTRA_DECIDED + 2 > DECIDED_PAGE_SIZE
    return folder


@pytest.fixture(scope="module")
def base_url(warehouse: Path) -> Iterator[str]:
    with running_dashboard(warehouse) as url:
        yield url


@pytest.fixture(scope="module")
def driver(base_url: str) -> Iterator[WebDriver]:
    with chrome() as d:
        d.set_window_size(1440, 1100)
        yield d


def test_every_decided_action_is_reached_page_by_page(driver, base_url, warehouse):
    expected = _expected_order(warehouse)
    read_actions(driver, base_url)
    first = read_decided(driver)
    assert list(first) == expected[:DECIDED_PAGE_SIZE], "newest first, one page"
    assert driver.find_element(By.ID, DECIDED_PAGE_LABEL).text == "Page 1 of 2"
    assert (
        f"{len(expected)} decided actions in this view."
        in driver.find_element(By.ID, "actions-decided-summary").text
    )
    when = datetime(2024, 3, 1) + timedelta(hours=EXTRA_DECIDED)
    assert "note D30" in first["D30"] and f"{when:%Y-%m-%d %H:%M}" in first["D30"]

    assert turn_decided_page(driver, "next") == "Page 2 of 2"
    second = read_decided(driver)
    assert list(second) == expected[DECIDED_PAGE_SIZE:], "the rest, X4 and X6 (undated) last"
    assert not driver.find_element(By.ID, "actions-decided-next").is_enabled()
    assert turn_decided_page(driver, "previous") == "Page 1 of 2"
    assert list(read_decided(driver)) == expected[:DECIDED_PAGE_SIZE]

    pro = read_actions(driver, base_url, "?plan=pro")  # A1-A3 only: one page
    assert pro["rows"]
    shown = read_decided(driver)
    with duckdb.connect(str(warehouse / "serving.duckdb"), read_only=True) as con:
        pro_ids = {
            r[0]
            for r in con.execute(
                "select action_id from marts.fct_action_queue q join marts.dim_accounts a "
                "using (account_id) where a.plan = 'pro'"
            ).fetchall()
        }
    assert set(shown) == set(expected) & pro_ids
    assert driver.find_element(By.ID, DECIDED_PAGE_LABEL).text == "Page 1 of 1"
    assert severe_console_entries(driver) == []


def test_a_reopening_keeps_its_note_after_a_reload(driver, base_url, warehouse):
    oldest = _expected_order(warehouse)[DECIDED_PAGE_SIZE]  # the first row of page 2
    read_actions(driver, base_url)
    turn_decided_page(driver, "next")
    # Cancel: nothing is kept, and the note typed goes with it.
    driver.find_element(By.CSS_SELECTOR, f"#decided-row-{oldest} button").click()
    note_box = driver.find_element(By.ID, "actions-reopen-note")
    wait_for(driver, lambda d: note_box.is_displayed(), "the reopen panel")
    note_box.send_keys("not this one")
    driver.find_element(By.ID, "actions-reopen-cancel").click()
    wait_for(driver, lambda d: not note_box.is_displayed(), "the reopen panel to close")
    with sqlite3.connect(warehouse / "app_state.sqlite") as con:
        assert con.execute("select count(*) from action_decisions").fetchone() == (0,)

    said = reopen_in_browser(driver, oldest, note="they wrote back: not solved")
    assert said.startswith(f"Action {oldest}… reopened")
    with sqlite3.connect(warehouse / "app_state.sqlite") as con:
        kept = con.execute(
            "select decision, note, decided_by, substr(decided_at, 1, 10) from action_decisions "
            "where action_id = ?",
            (oldest,),
        ).fetchall()
    assert kept == [
        ("reopened", "they wrote back: not solved", "test-leader", date.today().isoformat())
    ]

    after = read_actions(driver, base_url)  # a reload
    assert oldest in after["rows"] and oldest not in read_decided(driver)
    row = driver.find_element(By.ID, f"action-row-{oldest}").text
    assert "Last decision: Reopened by test-leader on" in row
    assert "“they wrote back: not solved”" in row

    assert "marked done" in decide_in_browser(driver, oldest, "done", note="fixed for good")
    wait_for(driver, lambda d: oldest in read_decided(d), f"{oldest} in the decided list")
    again = read_decided(driver)[oldest]
    assert "fixed for good" in again
    assert "Earlier: Reopened by test-leader on" in again
    assert "“they wrote back: not solved”" in again
    assert severe_console_entries(driver) == []
