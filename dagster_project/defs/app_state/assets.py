"""People's emotion tag corrections from the dashboard, handed to ingest through the inbox."""

import dagster as dg

from dagster_project.defs.warehouse.resources import WarehouseResource
from dagster_project.lib.app_state import app_state_db, export_emotion_tags


@dg.asset(
    key=["app_state", "emotion_tag_corrections"],
    group_name="app_state",
    kinds={"sqlite"},
)
def emotion_tag_corrections(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """The dashboard's emotion tag corrections as an inbox file (loaded by the next ingest)."""
    paths = warehouse.paths
    exported = export_emotion_tags(app_state_db(paths.root), paths.inbox)
    return dg.MaterializeResult(
        metadata={"file": str(exported) if exported else "none (no corrections yet)"}
    )
