"""Every row and every record of every loaded file is accounted for (``ingest.unbalanced_files``)."""

import dagster as dg

from dagster_project.defs.warehouse.resources import WarehouseResource
from dagster_project.lib.contract import ENTITIES
from dagster_project.lib.ingest import unbalanced_files


def build_reconciliation_check(entity: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(["raw", entity]),
        name="rows_accounted_for",
        blocking=True,
        description=(
            "Per file in the load ledger: rows read = loaded + quarantined + duplicate + "
            "superseded, and records read = mapped + skipped."
        ),
    )
    def _check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        with warehouse.connect() as conn:
            unbalanced = unbalanced_files(conn, entity)
            (files, without_records) = conn.execute(
                "select count(*), count(*) filter (where records_read is null) "
                "from ops.load_ledger where entity = $entity and status = 'loaded'",
                {"entity": entity},
            ).fetchall()[0]
        return dg.AssetCheckResult(
            passed=not unbalanced,
            metadata={
                "files_checked": files,
                # Loaded before records were counted: their rows are checked, their records not.
                "files_without_record_counts": without_records,
                "unbalanced_files": dg.MetadataValue.json(
                    [{k: str(v) for k, v in row.items()} for row in unbalanced]
                ),
            },
        )

    return _check


reconciliation_checks = [build_reconciliation_check(entity) for entity in ENTITIES]
