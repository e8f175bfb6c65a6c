"""Every row of every loaded file is accounted for: loaded, quarantined, or a counted duplicate."""

import dagster as dg

from dagster_project.defs.warehouse.resources import WarehouseResource
from dagster_project.lib.contract import ENTITIES


def build_reconciliation_check(entity: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(["raw", entity]),
        name="rows_accounted_for",
        blocking=True,
        description="Per file in the load ledger: rows read = loaded + quarantined + duplicate + superseded.",
    )
    def _check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        with warehouse.connect() as conn:
            unbalanced = conn.execute(
                """select file_name, rows_read, rows_loaded, rows_quarantined, rows_duplicate,
                          rows_superseded
                   from ops.load_ledger
                   where entity = $entity and status = 'loaded'
                     and rows_read <> rows_loaded + rows_quarantined + rows_duplicate + rows_superseded""",
                {"entity": entity},
            ).fetchall()
            (files,) = conn.execute(
                "select count(*) from ops.load_ledger where entity = $entity and status = 'loaded'",
                {"entity": entity},
            ).fetchall()[0]
        return dg.AssetCheckResult(
            passed=not unbalanced,
            metadata={
                "files_checked": files,
                "unbalanced_files": dg.MetadataValue.json(
                    [list(map(str, row)) for row in unbalanced]
                ),
            },
        )

    return _check


reconciliation_checks = [build_reconciliation_check(entity) for entity in ENTITIES]
