"""dbt models as assets: lineage runs from raw files through staging to the marts."""

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from dagster_project.defs.transform.resources import dbt_project
from dagster_project.defs.warehouse.resources import WarehouseResource
from dagster_project.lib.build_state import (
    BUILT_PROJECT,
    PUBLISHED_BUILD,
    dbt_build_args,
    input_fingerprint,
    last_fingerprint,
    project_fingerprint,
    record_build,
)
from dagster_project.lib.stale_relations import drop_stale_relations


class DbtBuildConfig(dg.Config):
    force: bool = False  # rebuild even when nothing dbt reads has changed


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project)
def warehouse_dbt_models(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    warehouse: WarehouseResource,
    config: DbtBuildConfig,
):
    """`dbt build`: models and their data tests, against warehouse.duckdb.

    Skipped (nothing materialized, so publishing is skipped too) when the loaded files, the
    scores and the dbt project are all unchanged since the last published build. Incremental
    models update in place, except after a change to the dbt project: then `--full-refresh`, so
    no row computed by the old code stays, and only then are the seeds loaded again
    (`dbt_build_args`). Relations of models the project no longer has are dropped after the
    build (dagster_project.lib.stale_relations).
    """
    project = project_fingerprint(dbt_project.project_dir)
    with warehouse.connect() as conn:
        fingerprint = input_fingerprint(conn, project)
        unchanged = last_fingerprint(conn, PUBLISHED_BUILD) == fingerprint
        project_changed = last_fingerprint(conn, BUILT_PROJECT) != project
    if unchanged and not config.force:
        context.log.info(
            "nothing dbt reads has changed since the last published build: skipping dbt build"
        )
        return
    args = dbt_build_args(project_changed, subset=context.is_subset)
    if project_changed:
        context.log.info("the dbt project changed since the last build: rebuilding in full")
    # The connection above is closed: dbt runs in its own process and needs the write lock.
    yield from dbt.cli(args, context=context).stream()
    with warehouse.connect() as conn:  # reached only when the build succeeded
        record_build(conn, BUILT_PROJECT, project)
        dropped = drop_stale_relations(conn, dbt_project.manifest_path)
    if dropped:
        context.log.info(
            f"dropped what models no longer in the project had built: {', '.join(dropped)}"
        )
