"""The Account page and the Session pack in headless Chromium against the real gunicorn server,
on the hand-made snapshot with one account's emotional memory (``account_fixture``)."""

from __future__ import annotations

import csv
import io
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from tests.dashboards.account_fixture import (
    ACCOUNT,
    ACCOUNT_NAME,
    CHURNED,
    CHURNED_NAME,
    MARKED,
    NEWEST_FIRST_A4,
    TRAJECTORY,
    VERBAL_CUE,
    write_account_serving_db,
)
from tests.dashboards.serving_fixture import TEXT_SECRETS
from tests.support.dashboard import (
    FRESHNESS,
    choose_in_dropdown,
    chrome,
    download,
    open_page,
    outside_requests,
    overview_graphs_with_data,
    severe_console_entries,
    wait_for,
)

pytestmark = pytest.mark.browser

# Element ids of the Account and Session pack pages, spelled out (see tests/support/dashboard.py).
NAME = "account-name"
TIMELINE = "account-timeline-graph"
TEMPLATE = "account-observations"
EVIDENCE = "account-evidence"
CHURN_REVIEW = "account-churn-review"
PROFILE = "account-profile"
SEARCH = "account-search"
PACK_STATUS = "pack-status"
PACK_PDF = "pack-export-pdf"
PACK_HTML = "pack-export-html"
PACK_SEARCH = "pack-search"
OTHER_ACCOUNT, OTHER_NAME = "A1", "Account 0"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("warehouse")
    write_account_serving_db(folder / "serving.duckdb")
    return folder


@pytest.fixture(scope="module")
def base_url(warehouse: Path) -> Iterator[str]:
    from tests.support.dashboard import running_dashboard

    with running_dashboard(warehouse) as url:
        yield url


@pytest.fixture
def driver(base_url: str) -> Iterator[WebDriver]:
    with chrome() as d:
        yield d


def _row_text(driver: WebDriver, interaction_id: str) -> str:
    return driver.find_element(By.ID, f"interaction-{interaction_id}").text


def _marks(driver: WebDriver, interaction_id: str) -> set[str]:
    row = driver.find_element(By.ID, f"interaction-{interaction_id}")
    return {m.text for m in row.find_elements(By.CSS_SELECTOR, ".text-body mark")}


def test_an_agent_reads_its_accounts_history_evidence_and_template(
    driver: WebDriver, base_url: str
):
    open_page(driver, base_url, f"/account?account_id={ACCOUNT}", TIMELINE, role="agent")
    assert driver.find_element(By.ID, NAME).text == ACCOUNT_NAME
    assert driver.find_element(By.ID, FRESHNESS).text.startswith("Data refreshed")
    wait_for(
        driver, lambda d: overview_graphs_with_data(d).get(TIMELINE, 0) >= 4, "the timeline chart"
    )
    hovers = driver.execute_script(
        "const el = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');"
        "return el.data.flatMap(t => t.text || []);",
        TIMELINE,
    )
    assert any(TRAJECTORY in str(h) for h in hovers)  # the week's trajectory, in words
    rows = driver.find_elements(By.CSS_SELECTOR, "[id^='interaction-']")
    assert [r.get_attribute("id").removeprefix("interaction-") for r in rows] == NEWEST_FIRST_A4
    for interaction_id, words in MARKED.items():
        assert _marks(driver, interaction_id) == words, interaction_id
    assert "+44 20 7946 0958" in _row_text(driver, "i1")  # the agent owns A4: full text
    template = driver.find_element(By.ID, TEMPLATE).text
    assert VERBAL_CUE in template and "Behavioral triggers".upper() in template.upper()
    # A template line leads to its evidence, and the URL keeps the account.
    driver.find_element(By.LINK_TEXT, "interaction i4").click()
    wait_for(driver, lambda d: d.find_elements(By.ID, EVIDENCE), "the evidence panel")
    assert "evaluating alternatives" in driver.find_element(By.ID, EVIDENCE).text
    assert f"account_id={ACCOUNT}" in driver.current_url
    assert severe_console_entries(driver) == []
    assert outside_requests(driver, base_url) == []


@pytest.mark.parametrize("role", ["analyst", "leader"])
def test_other_roles_see_masked_or_no_text(driver: WebDriver, base_url: str, role: str):
    open_page(driver, base_url, f"/account?account_id={ACCOUNT}", TIMELINE, role=role)
    page = driver.find_element(By.TAG_NAME, "main").text
    assert not [secret for secret in TEXT_SECRETS if secret in page]
    if role == "analyst":
        assert "[phone]" in _row_text(driver, "i1") and _marks(driver, "i1") == {"failed"}
    else:
        assert "[text hidden for your role]" in _row_text(driver, "i1")
        assert not driver.find_elements(By.CSS_SELECTOR, ".interaction .tag-form")
        assert VERBAL_CUE not in driver.find_element(By.ID, TEMPLATE).text
    assert severe_console_entries(driver) == []


@pytest.mark.parametrize("width", [1440, 1280, 390])
def test_each_fact_of_the_profile_sits_under_its_label(driver: WebDriver, base_url: str, width):
    """Plan over the plan, not over the lifecycle stage, whatever the number of columns."""
    driver.set_window_size(width, 900)
    open_page(driver, base_url, f"/account?account_id={ACCOUNT}", TIMELINE, role="analyst")
    labels = driver.find_elements(By.CSS_SELECTOR, f"#{PROFILE} dt")
    values = driver.find_elements(By.CSS_SELECTOR, f"#{PROFILE} dd")
    assert len(labels) == len(values) >= 6
    for label, value in zip(labels, values, strict=True):
        assert value.location["x"] == label.location["x"], (label.text, value.text)
        assert value.location["y"] > label.location["y"], (label.text, value.text)


def test_a_churned_account_shows_the_cues_before_the_churn(driver: WebDriver, base_url: str):
    open_page(driver, base_url, f"/account?account_id={CHURNED}", CHURN_REVIEW)
    review = driver.find_element(By.ID, CHURN_REVIEW).text
    assert "first frustration" in review and "41 days before the churn" in review
    assert "could have acted" in review and "engagement drop" in review


def test_an_account_is_found_by_name(driver: WebDriver, base_url: str):
    open_page(driver, base_url, "/account", SEARCH)
    driver.find_element(By.ID, SEARCH).send_keys(CHURNED_NAME)
    wait_for(driver, lambda d: d.find_elements(By.LINK_TEXT, CHURNED_NAME), "a search result")
    driver.find_element(By.LINK_TEXT, CHURNED_NAME).click()
    wait_for(
        driver,
        lambda d: d.find_elements(By.ID, NAME) and d.find_element(By.ID, NAME).text == CHURNED_NAME,
        "the chosen account's page",
    )
    assert f"account_id={CHURNED}" in driver.current_url


def test_a_tag_correction_is_kept_and_said_to_come_with_the_next_run(
    driver: WebDriver, base_url: str, warehouse: Path
):
    open_page(driver, base_url, f"/account?account_id={ACCOUNT}", TIMELINE, role="agent")
    row = driver.find_element(By.ID, "interaction-i4")
    choose_in_dropdown(driver, row.find_element(By.CSS_SELECTOR, ".tag-choice"), "anger")
    row.find_element(By.CSS_SELECTOR, ".tag-form button.button").click()
    wait_for(
        driver,
        lambda d: "Saved 'anger'" in d.find_element(By.ID, "interaction-i4").text,
        "the saved tag's confirmation",
    )
    with sqlite3.connect(warehouse / "app_state.sqlite") as con:
        rows = con.execute(
            "select interaction_id, account_id, tag, tagged_by from emotion_tag_corrections"
        ).fetchall()
    assert ("i4", None, "anger", "sam.agent@vendor.example") in rows
    open_page(driver, base_url, f"/account?account_id={ACCOUNT}", TIMELINE, role="agent")
    assert "tagged 'anger' by sam.agent@vendor.example" in _row_text(driver, "i4")
    assert "after the next pipeline run" in _row_text(driver, "i4")
    assert "tagged 'anger'" not in _row_text(driver, "i1")


def _choose_pack(driver: WebDriver, base_url: str) -> None:
    open_page(driver, base_url, "/pack", PACK_STATUS)
    for account in (CHURNED, ACCOUNT):
        driver.find_element(By.CSS_SELECTOR, f"input[type=checkbox][value='{account}']").click()
    choose_in_dropdown(driver, driver.find_element(By.ID, PACK_SEARCH), OTHER_NAME)
    wait_for(
        driver,
        lambda d: d.find_element(By.ID, PACK_STATUS).text.startswith("3 accounts chosen"),
        "three accounts chosen",
    )


def test_a_three_account_pack_prints_a_page_per_account_with_its_chart(
    driver: WebDriver, base_url: str
):
    _choose_pack(driver, base_url)
    pdf_href = driver.find_element(By.ID, PACK_PDF).get_attribute("href")
    html_href = driver.find_element(By.ID, PACK_HTML).get_attribute("href")
    started = time.perf_counter()
    status, kind, body = download(driver, pdf_href)
    seconds = time.perf_counter() - started
    assert (status, kind) == (200, "application/pdf"), body[:300]
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(body)).pages]
    names = [CHURNED_NAME, ACCOUNT_NAME, OTHER_NAME]
    assert len(pages) == 1 + len(names), [p[:80] for p in pages]
    assert "Agenda".upper() in pages[0].upper() and "Prompts".upper() in pages[0].upper()
    for page, name in zip(pages[1:], names, strict=True):
        assert page.startswith(name), page[:80]
        assert not [other for other in names if other != name and f"{other} " in page[:40]]
        assert "Emotional timeline" in page and "Surveys" in page and "sentiment" in page
        assert "What does the customer feel now?" in page
    assert "could have acted" in pages[1]  # the churned account's cues
    assert "evaluating alternatives" in pages[2]  # a key message of A4 (analyst: masked text)
    assert not [secret for secret in TEXT_SECRETS if secret in "".join(pages)]
    status, kind, html = download(driver, html_href)
    assert (status, kind) == (200, "text/html")
    assert html.count(b"<svg") == 3 and b"http://" not in html.replace(b"http://www.w3.org", b"")
    print(f"3-account pack PDF over HTTP: {seconds:.2f} s")
    assert severe_console_entries(driver) == []


def test_a_pack_needs_three_to_five_accounts(driver: WebDriver, base_url: str):
    open_page(driver, base_url, "/pack", PACK_STATUS)
    assert "choose 3 to 5" in driver.find_element(By.ID, PACK_STATUS).text
    assert not driver.find_element(By.ID, PACK_PDF).get_attribute("href")
    status, _, body = download(driver, f"{base_url}/pack/export.pdf?accounts={ACCOUNT},{CHURNED}")
    assert status == 400 and b"3 to 5 accounts" in body


def test_the_agreed_outcome_is_kept_and_exported_as_csv(driver: WebDriver, base_url: str):
    _choose_pack(driver, base_url)
    card = driver.find_element(
        By.XPATH, f"//div[contains(@class,'outcome-card')][.//a[text()='{ACCOUNT_NAME}']]"
    )
    choose_in_dropdown(driver, card.find_element(By.CSS_SELECTOR, ".dash-dropdown"), "frustration")
    fields = card.find_elements(By.CSS_SELECTOR, "input[type=text]")
    for field, value in zip(
        fields, ("wrong invoices twice", "credit note and a call", "sam"), strict=True
    ):
        field.send_keys(value)
    card.find_element(By.CSS_SELECTOR, "button.button").click()
    wait_for(driver, lambda d: "Saved at" in card.text, "the saved outcome")
    status, kind, body = download(driver, f"{base_url}/pack/outcomes.csv")
    assert (status, kind) == (200, "text/csv")
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    mine = [r for r in rows if r["account_id"] == ACCOUNT]
    assert mine and mine[0]["state"] == "frustration"
    assert mine[0]["cause"] == "wrong invoices twice"
    assert mine[0]["action"] == "credit note and a call" and mine[0]["follow_up_by"] == "sam"
    assert mine[0]["account_name"] == ACCOUNT_NAME and mine[0]["recorded_by"] == "test-analyst"
