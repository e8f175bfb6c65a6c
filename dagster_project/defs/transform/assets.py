"""dbt models as assets: lineage runs from raw files through staging to the marts."""

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from dagster_project.defs.transform.resources import dbt_project


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project)
def warehouse_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """`dbt build`: models and their data and unit tests, against warehouse.duckdb."""
    yield from dbt.cli(["build"], context=context).stream()
