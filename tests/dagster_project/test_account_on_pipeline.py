"""A person corrects emotion tags on the Account page; the next real pipeline run loads them from
the app's database, and the page then shows them as human tags (headless Chromium, gunicorn,
Dagster and dbt on a copy of the demo warehouse)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import duckdb
import pytest
from pypdf import PdfReader
from selenium.webdriver.common.by import By

from tests.support.dashboard import (
    choose_in_dropdown,
    chrome,
    download,
    open_page,
    running_dashboard,
    severe_console_entries,
    wait_for,
)
from tests.support.pipeline import run_module

pytestmark = [pytest.mark.pipeline, pytest.mark.browser]

TIMELINE = "account-timeline-graph"
SHOWN = 25  # interactions the page lists at first


def _target(serving: Path) -> tuple[str, str, str, str, str]:
    """An account with a model-scored customer text among the first shown, and new emotions."""
    with duckdb.connect(str(serving), read_only=True) as con:
        account_id, interaction_id, emotion, account_emotion = con.execute(
            """
            with shown as (
                select f.*, row_number() over (
                    partition by f.account_id order by f.occurred_at desc, f.interaction_id desc
                ) as position
                from marts.fct_interactions f
            )
            select s.account_id, s.interaction_id, s.emotion, a.current_emotion
            from shown s join marts.dim_accounts a using (account_id)
            where s.position <= $shown and s.author_type = 'customer'
              and s.emotion_source = 'model' and s.body is not null
              and not coalesce(a.is_churned, false)
            order by s.account_id, s.position
            limit 1
            """,
            {"shown": SHOWN},
        ).fetchone()
    new_tag = "anger" if emotion != "anger" else "delight"
    new_account_tag = "anxiety" if account_emotion != "anxiety" else "curiosity"
    return account_id, interaction_id, emotion, new_tag, new_account_tag


def test_a_tag_correction_survives_the_next_pipeline_run(pipeline_runs, tmp_path: Path):
    warehouse = tmp_path / "warehouse"
    shutil.copytree(pipeline_runs.warehouse_dir, warehouse)  # the shared run stays as it was
    serving = warehouse / "serving.duckdb"
    account_id, interaction_id, model_emotion, tag, account_tag = _target(serving)
    page = f"/account?account_id={account_id}"
    row_id = f"interaction-{interaction_id}"
    with running_dashboard(warehouse) as url, chrome() as driver:
        open_page(driver, url, page, TIMELINE)
        row = driver.find_element(By.ID, row_id)
        choose_in_dropdown(driver, row.find_element(By.CSS_SELECTOR, ".tag-choice"), tag)
        row.find_element(By.CSS_SELECTOR, ".tag-form button.button").click()
        wait_for(driver, lambda d: f"Saved '{tag}'" in d.find_element(By.ID, row_id).text, "save")
        header = driver.find_element(By.CSS_SELECTOR, ".account-emotion")
        choose_in_dropdown(driver, header.find_element(By.CSS_SELECTOR, ".tag-choice"), account_tag)
        header.find_element(By.CSS_SELECTOR, "button.button").click()
        wait_for(driver, lambda d: f"Saved '{account_tag}'" in header.text, "the account's tag")

        run = run_module(["dagster_project", "run"], warehouse)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]

        # The dashboard reads the newly published snapshot without a restart.
        open_page(driver, url, page, TIMELINE)
        text = driver.find_element(By.ID, row_id).text
        badge = driver.find_element(By.CSS_SELECTOR, f"#{row_id} .emotion-badge").text
        assert badge == f"{tag} · human tag", (model_emotion, badge)
        assert "by test-analyst" in text and "after the next pipeline run" not in text
        feels = driver.find_element(By.CSS_SELECTOR, ".account-emotion .emotion-badge").text
        assert feels == f"{account_tag} · human tag"
        assert severe_console_entries(driver) == []

    with duckdb.connect(str(serving), read_only=True) as con:
        source, shown, tagged_by = con.execute(
            "select emotion_source, emotion, human_tagged_by from marts.fct_interactions "
            "where interaction_id = ?",
            [interaction_id],
        ).fetchone()
        week = con.execute(
            "select w.dominant_emotion, w.dominant_source from marts.fct_account_emotion_weekly w "
            "join marts.fct_interactions f on f.account_id = w.account_id "
            "and date_trunc('week', f.occurred_at)::date = w.week_start "
            "where f.interaction_id = ?",
            [interaction_id],
        ).fetchone()
    assert (source, shown, tagged_by) == ("human", tag, "test-analyst")
    assert week == (tag, "human")  # a person's tag wins the week on the timeline too


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
