"""Publish asset: serving.duckdb, the read-only snapshot the dashboard reads."""

import dagster as dg

from dagster_project.defs.transform.assets import warehouse_dbt_models
from dagster_project.defs.transform.resources import dbt_project
from dagster_project.defs.warehouse.resources import WarehouseResource
from dagster_project.lib.build_state import (
    PUBLISHED_BUILD,
    input_fingerprint,
    project_fingerprint,
    record_build,
)
from dagster_project.lib.publish import PUBLISHED_SCHEMAS, publish_snapshot

# What the snapshot copies: the dbt models of the published schemas. Not every dbt asset: a
# nightly build keeps the seeds as loaded (lib/build_state.py), and an asset that depends on
# one not built in the run would be skipped.
PUBLISHED_MODELS = [key for key in warehouse_dbt_models.keys if key.path[0] in PUBLISHED_SCHEMAS]


@dg.asset(
    key=["serving", "marts_snapshot"],
    deps=PUBLISHED_MODELS,
    group_name="publish",
    kinds={"duckdb"},
)
def marts_snapshot(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """serving.duckdb: a copy of the marts, renamed into place atomically."""
    paths = warehouse.paths
    counts = publish_snapshot(paths.warehouse_db, paths.serving_db)
    # Recorded only once published, so a failed publish is retried by the next run.
    with warehouse.connect() as conn:
        record_build(
            conn,
            PUBLISHED_BUILD,
            input_fingerprint(conn, project_fingerprint(dbt_project.project_dir)),
        )
    return dg.MaterializeResult(
        metadata={
            "tables": len(counts),
            "rows": dg.MetadataValue.json(counts),
            "path": str(paths.serving_db),
        }
    )
