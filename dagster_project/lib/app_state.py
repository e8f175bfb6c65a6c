"""The dashboard's own database (app state) as one more source, like a CRM export.

People's decisions in the dashboard live in ``$WAREHOUSE_DIR/app_state.sqlite`` (or
``DASHBOARD_STATE_DB``), written only by the dashboard. The pipeline opens it read-only and never
writes it. Emotion tag corrections are handed to ingest the way every source is: as a file in the
inbox (``emotion_tags-app-state-<content hash>.ndjson``, canonical columns), which the loader
loads once by content hash and upserts by (interaction_id, account_id, tagged_by). So a person's
correction overrides the model through the existing tag path (int_emotion_tags__resolved).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from pathlib import Path

# The app-state schema version that holds emotion_tag_corrections (dashboards.data.app_state).
CORRECTIONS_SINCE_VERSION = 2
EXPORT_PREFIX = "emotion_tags-app-state-"


def app_state_db(warehouse_root: Path) -> Path:
    explicit = os.environ.get("DASHBOARD_STATE_DB")
    return Path(explicit) if explicit else Path(warehouse_root) / "app_state.sqlite"


def read_emotion_tag_corrections(db: Path) -> list[dict]:
    """Every correction, oldest first, as canonical ``emotion_tags`` rows ([] without a file)."""
    if not Path(db).is_file():
        return []
    uri = f"file:{Path(db).absolute()}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=10)) as con:
        (version,) = con.execute("pragma user_version").fetchone()
        if version < CORRECTIONS_SINCE_VERSION:
            return []
        rows = con.execute(
            "select interaction_id, account_id, tag, tagged_by, tagged_at "
            "from emotion_tag_corrections order by tagged_at, correction_id"
        ).fetchall()
    names = ("interaction_id", "account_id", "tag", "tagged_by", "tagged_at")
    return [dict(zip(names, row, strict=True)) for row in rows]


def export_emotion_tags(db: Path, inbox: Path) -> Path | None:
    """Write the corrections into the inbox as one file named by its content; None if none.

    The same corrections give the same file (and the loader skips content it has loaded), so
    exporting on every run adds nothing until someone corrects a tag.
    """
    rows = read_emotion_tag_corrections(db)
    if not rows:
        return None
    content = "".join(json.dumps(row, sort_keys=True) + "\n" for row in rows).encode()
    path = Path(inbox) / f"{EXPORT_PREFIX}{hashlib.sha256(content).hexdigest()[:16]}.ndjson"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")  # hidden and .part: the inbox skips it until renamed
    tmp.write_bytes(content)
    os.replace(tmp, path)
    return path
