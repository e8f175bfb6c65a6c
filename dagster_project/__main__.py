"""Headless runs: ``python -m dagster_project run`` runs the whole job once and exits.

Runs record into the Dagster instance at DAGSTER_HOME when it is set (the Makefile sets it under
WAREHOUSE_DIR), so `make dev` shows them; otherwise into a throw-away one.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import dagster as dg

JOB_NAME = "warehouse_job"


def run_pipeline(instance: dg.DagsterInstance | None = None) -> dg.ExecuteInProcessResult:
    from dagster_project.definitions import defs

    if instance is None:
        home = os.environ.get("DAGSTER_HOME")
        if home:
            Path(home).mkdir(parents=True, exist_ok=True)
            instance = dg.DagsterInstance.get()
        else:
            instance = dg.DagsterInstance.ephemeral()
    job = defs().resolve_job_def(JOB_NAME)
    # INFO, not Dagster's DEBUG event stream: what a person running it wants to read.
    run_config = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}
    return job.execute_in_process(run_config=run_config, instance=instance, raise_on_error=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dagster_project")
    parser.add_argument("command", choices=["run"], help="run: the whole pipeline once, headless")
    parser.parse_args(argv)
    result = run_pipeline()
    failed = [e.step_key for e in result.all_events if e.is_step_failure]
    if not result.success:
        print(f"pipeline failed: {', '.join(failed) or 'see the log above'}", file=sys.stderr)
        return 1
    print(f"pipeline succeeded (run {result.run_id})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
