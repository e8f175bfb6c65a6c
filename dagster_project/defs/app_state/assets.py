"""People's decisions in the dashboard (its app state), handed to ingest through the inbox.

The inbox triage depends on these assets, so a run loads the decisions made before it started.
"""

import dagster as dg

from dagster_project.defs.warehouse.resources import WarehouseResource
from dagster_project.lib.app_state import (
    ACTION_DECISIONS,
    EMOTION_TAGS,
    HEALTH_OVERRIDES,
    AppStateTable,
    app_state_db,
    export_rows,
)


def build_app_state_asset(name: str, table: AppStateTable, what: str) -> dg.AssetsDefinition:
    @dg.asset(
        name=name,
        key_prefix=["app_state"],
        group_name="app_state",
        kinds={"sqlite"},
        description=f"The dashboard's {what} as an inbox file (loaded into raw.{table.entity}).",
    )
    def _export(warehouse: WarehouseResource) -> dg.MaterializeResult:
        paths = warehouse.paths
        exported = export_rows(app_state_db(paths.root), paths.inbox, table)
        return dg.MaterializeResult(
            metadata={"file": str(exported) if exported else f"none (no {what} yet)"}
        )

    return _export


emotion_tag_corrections = build_app_state_asset(
    "emotion_tag_corrections", EMOTION_TAGS, "emotion tag corrections"
)
action_decisions = build_app_state_asset("action_decisions", ACTION_DECISIONS, "action decisions")
health_overrides = build_app_state_asset("health_overrides", HEALTH_OVERRIDES, "health overrides")
APP_STATE_KEYS = [emotion_tag_corrections.key, action_decisions.key, health_overrides.key]
