"""The nightly run (02:00 in WAREHOUSE_TIMEZONE, default UTC)."""

import dagster as dg

from dagster_project.defs.pipeline.jobs import warehouse_job
from dagster_project.lib.settings import schedule_timezone

nightly_schedule = dg.ScheduleDefinition(
    name="nightly_warehouse",
    job=warehouse_job,
    cron_schedule="0 2 * * *",
    execution_timezone=schedule_timezone(),
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
