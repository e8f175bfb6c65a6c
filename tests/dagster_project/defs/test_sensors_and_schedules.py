"""The inbox sensor and the nightly schedule, evaluated with Dagster's own test contexts."""

import os
import time

import dagster as dg
import pytest

from dagster_project.defs.ingest.sensors import SETTLE_SECONDS, inbox_sensor
from dagster_project.defs.pipeline.schedules import nightly_schedule


@pytest.fixture
def inbox(tmp_path, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_DIR", str(tmp_path))
    path = tmp_path / "inbox"
    path.mkdir()
    return path


def settled(path, text="x"):
    path.write_text(text)
    old = time.time() - SETTLE_SECONDS - 5
    os.utime(path, (old, old))
    return path


def evaluate(cursor=None):
    context = dg.build_sensor_context(cursor=cursor)
    result = inbox_sensor.evaluate_tick(context)
    return result, result.cursor


def test_sensor_requests_a_run_for_new_files_only(inbox):
    result, cursor = evaluate()
    assert result.run_requests == [] and result.skip_message

    settled(inbox / "interactions.csv")
    result, cursor = evaluate(cursor)
    assert len(result.run_requests) == 1
    assert result.run_requests[0].tags["inbox_files"] == "interactions.csv"

    result, cursor = evaluate(cursor)
    assert result.run_requests == []

    settled(inbox / "interactions.csv", "changed content")
    result, cursor = evaluate(cursor)
    assert len(result.run_requests) == 1


def test_sensor_waits_for_a_file_still_being_written(inbox):
    (inbox / "surveys.csv").write_text("partial")
    result, _ = evaluate()
    assert result.run_requests == []


def test_nightly_schedule_runs_the_whole_job_at_two():
    assert nightly_schedule.cron_schedule == "0 2 * * *"
    assert nightly_schedule.job_name == "warehouse_job"
    assert nightly_schedule.execution_timezone == os.environ.get("WAREHOUSE_TIMEZONE", "UTC")
