"""The dashboard's own database (app state) as one more source, like a CRM export.

People's decisions in the dashboard live in ``$WAREHOUSE_DIR/app_state.sqlite`` (or
``DASHBOARD_STATE_DB``), written only by the dashboard. The pipeline opens it read-only and never
writes it. Each kind of decision is handed to ingest the way every source is: as a file in the
inbox named by its content (``<entity>-app-state-<content hash>.ndjson``, canonical columns),
which the loader loads once by content hash and upserts by the entity's record key:

- emotion tag corrections → ``raw.emotion_tags``, where a person's tag overrides the model
  (int_emotion_tags__resolved);
- action decisions (done, dismissed, snoozed until a date, reopened) → ``raw.action_decisions``,
  which fct_action_queue reads, so a decided action stays decided until its evidence changes;
- health overrides (a person's health for an account, why, until when; or its clearing) →
  ``raw.health_overrides``, which fct_account_health shows beside the computed score.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class AppStateTable:
    """One app-state table handed to ingest as one canonical entity."""

    entity: str  # the canonical entity (dagster_project.lib.contract) and the file's name
    since_version: int  # the app-state schema version that holds the table in this shape
    sql: str  # its rows in canonical columns, oldest first

    @property
    def prefix(self) -> str:
        return f"{self.entity}-app-state-"


EMOTION_TAGS = AppStateTable(
    "emotion_tags",
    2,
    "select interaction_id, account_id, tag, tagged_by, tagged_at "
    "from emotion_tag_corrections order by tagged_at, correction_id",
)
# Migration 3 of dashboards.data.app_state keys decisions on the action id.
ACTION_DECISIONS = AppStateTable(
    "action_decisions",
    3,
    "select action_id, account_id, decision, snoozed_until, note, decided_by, decided_at "
    "from action_decisions order by decided_at, decision_id",
)


# Migration 5 adds the health overrides.
HEALTH_OVERRIDES = AppStateTable(
    "health_overrides",
    5,
    "select account_id, override_score, reason, valid_until, overridden_by, overridden_at "
    "from health_overrides order by overridden_at, override_id",
)


def app_state_db(warehouse_root: Path) -> Path:
    explicit = os.environ.get("DASHBOARD_STATE_DB")
    return Path(explicit) if explicit else Path(warehouse_root) / "app_state.sqlite"


def read_rows(db: Path, table: AppStateTable) -> list[dict]:
    """Every row of ``table`` as canonical dicts, oldest first ([] without a file or table)."""
    if not Path(db).is_file():
        return []
    uri = f"file:{Path(db).absolute()}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=10)) as con:
        (version,) = con.execute("pragma user_version").fetchone()
        if version < table.since_version:
            return []
        cursor = con.execute(table.sql)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def export_rows(db: Path, inbox: Path, table: AppStateTable) -> Path | None:
    """Write ``table``'s rows into the inbox as one file named by its content; None if none.

    The same rows give the same file (and the loader skips content it has loaded), so exporting
    on every run adds nothing until someone decides something.
    """
    rows = read_rows(db, table)
    if not rows:
        return None
    content = "".join(json.dumps(row, sort_keys=True) + "\n" for row in rows).encode()
    path = Path(inbox) / f"{table.prefix}{hashlib.sha256(content).hexdigest()[:16]}.ndjson"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")  # hidden and .part: the inbox skips it until renamed
    tmp.write_bytes(content)
    os.replace(tmp, path)
    return path


def read_emotion_tag_corrections(db: Path) -> list[dict]:
    """Every correction, oldest first, as canonical ``emotion_tags`` rows ([] without a file)."""
    return read_rows(db, EMOTION_TAGS)


def export_emotion_tags(db: Path, inbox: Path) -> Path | None:
    return export_rows(db, inbox, EMOTION_TAGS)


def read_action_decisions(db: Path) -> list[dict]:
    """Every action decision, oldest first, as canonical ``action_decisions`` rows."""
    return read_rows(db, ACTION_DECISIONS)


def export_action_decisions(db: Path, inbox: Path) -> Path | None:
    return export_rows(db, inbox, ACTION_DECISIONS)


def read_health_overrides(db: Path) -> list[dict]:
    """Every health override entry (a set or a clear), oldest first, as canonical rows."""
    return read_rows(db, HEALTH_OVERRIDES)


def export_health_overrides(db: Path, inbox: Path) -> Path | None:
    return export_rows(db, inbox, HEALTH_OVERRIDES)
