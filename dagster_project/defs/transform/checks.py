"""After dbt: how many loaded rows no link leads to an account (kept and counted, never dropped)."""

import dagster as dg
from dagster_dbt import get_asset_key_for_model

from dagster_project.defs.transform.assets import warehouse_dbt_models
from dagster_project.defs.warehouse.resources import WarehouseResource

UNRESOLVED_BY_FILE = """
select entity, file_name, rows_unresolved from marts.fct_file_loads
where rows_unresolved > 0 order by entity, file_name
"""


@dg.asset_check(
    asset=get_asset_key_for_model([warehouse_dbt_models], "fct_file_loads"),
    name="accounts_resolved",
    description=(
        "Messages, tickets and survey answers whose account no link (ticket, contact, "
        "submission) leads to: a warning with the count per file, as they stay in the warehouse."
    ),
)
def accounts_resolved(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    with warehouse.connect() as conn:
        rows = conn.execute(UNRESOLVED_BY_FILE).fetchall()
    by_entity: dict[str, int] = {}
    for entity, file_name, n in rows:
        by_entity[entity] = by_entity.get(entity, 0) + n
        context.log.warning(f"{file_name}: {n} {entity} rows reach no account")
    return dg.AssetCheckResult(
        passed=not rows,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "rows_unresolved": sum(by_entity.values()),
            "by_entity": dg.MetadataValue.json(by_entity),
            "by_file": dg.MetadataValue.json(
                [{"file": f, "entity": e, "rows": n} for e, f, n in rows]
            ),
        },
    )
