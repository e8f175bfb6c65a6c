"""One job for the whole graph: inbox → raw → scores → dbt marts → serving snapshot."""

import dagster as dg

# In one process: DuckDB allows a single writer, so assets must not write in parallel processes.
warehouse_job = dg.define_asset_job(
    name="warehouse_job",
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description="Load new inbox files, score new texts, build the dbt marts, publish serving.duckdb.",
)
