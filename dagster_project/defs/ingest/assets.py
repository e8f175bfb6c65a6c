"""Ingest assets: inbox files → raw.<entity>, one asset per canonical entity."""

import dagster as dg

from dagster_project.defs.app_state.assets import APP_STATE_KEYS
from dagster_project.defs.warehouse.resources import WarehouseResource
from dagster_project.lib.contract import ENTITIES
from dagster_project.lib.ingest import describe_load, ingest_entity, triage_inbox

TRIAGE_KEY = dg.AssetKey(["ops", "inbox_triage"])


# After the app state's exports: a run loads the decisions people made before it started.
@dg.asset(key=TRIAGE_KEY, group_name="ingest", kinds={"duckdb"}, deps=APP_STATE_KEYS)
def inbox_triage(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """Unpacks archives (ZIP, gzip) into the inbox, then moves inbox files to rejected/ that no
    ingest asset can read (unknown shape or type), and files feeding several entities that
    cannot load whole (nothing of such a file is loaded)."""
    with warehouse.connect() as conn:
        rejected = triage_inbox(
            conn, warehouse.paths, context.log.error, context.run_id, note=context.log.info
        )
    return dg.MaterializeResult(
        metadata={"rejected_files": len(rejected), "rejected": dg.MetadataValue.json(rejected)}
    )


def build_ingest_asset(entity: str) -> dg.AssetsDefinition:
    @dg.asset(
        name=entity,
        key_prefix=["raw"],
        group_name="ingest",
        deps=[TRIAGE_KEY],
        kinds={"duckdb"},
        description=f"raw.{entity}: rows of {entity} exports, upserted by record key.",
    )
    def _ingest(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource
    ) -> dg.MaterializeResult:
        with warehouse.connect() as conn:
            report = ingest_entity(conn, warehouse.paths, entity, context.log.error, context.run_id)
            (total_rows,) = conn.execute(f"select count(*) from raw.{entity}").fetchall()[0]
        new = report.new_files
        for r in new:
            context.log.info(describe_load(r))
        return dg.MaterializeResult(
            metadata={
                "new_files": len(new),
                "rows_read": sum(r.rows_read for r in new),
                "rows_loaded": sum(r.rows_loaded for r in new),
                "rows_quarantined": sum(r.rows_quarantined for r in new),
                "rows_duplicate": sum(r.rows_duplicate for r in new),
                "rows_superseded": sum(r.rows_superseded for r in new),
                "records_skipped": sum(r.records_skipped for r in new),
                "rejected_files": dg.MetadataValue.json(report.rejected),
                "table_rows": total_rows,
            }
        )

    return _ingest


ingest_assets = [build_ingest_asset(entity) for entity in ENTITIES]
