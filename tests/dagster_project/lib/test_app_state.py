"""The dashboard's app state as a source: tag corrections reach raw.emotion_tags through the inbox."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import duckdb

from dagster_project.lib.app_state import export_emotion_tags, read_emotion_tag_corrections
from dagster_project.lib.ingest import ingest_entity, triage_inbox
from dagster_project.lib.settings import WarehousePaths
from dagster_project.lib.warehouse_schema import ensure_schema
from dashboards.data import app_state


def _state_with_corrections(db: Path) -> None:
    app_state.migrate(db)
    app_state.add_emotion_tag_correction(
        db,
        interaction_id="INT-1",
        tag="anger",
        tagged_by="ana@vendor.example",
        tagged_at="2026-01-02 10:00:00",
    )
    app_state.add_emotion_tag_correction(
        db,
        account_id="ACC-7",
        tag="anxiety",
        tagged_by="lea@vendor.example",
        tagged_at="2026-01-03 09:00:00",
    )


def test_no_app_state_yet_means_no_corrections(tmp_path: Path) -> None:
    assert read_emotion_tag_corrections(tmp_path / "missing.sqlite") == []
    assert export_emotion_tags(tmp_path / "missing.sqlite", tmp_path / "inbox") is None
    assert not (tmp_path / "missing.sqlite").exists(), "reading never creates the file"


def test_corrections_are_loaded_into_raw_emotion_tags(tmp_path: Path) -> None:
    db = tmp_path / "app_state.sqlite"
    _state_with_corrections(db)
    paths = WarehousePaths(tmp_path / "warehouse")
    exported = export_emotion_tags(db, paths.inbox)
    assert exported is not None and exported.name.startswith("emotion_tags-app-state-")
    assert export_emotion_tags(db, paths.inbox) == exported, "same corrections, same file"

    conn = duckdb.connect()
    ensure_schema(conn)
    log: list[str] = []
    assert triage_inbox(conn, paths, log.append) == {}, log
    report = ingest_entity(conn, paths, "emotion_tags", log.append)
    assert not report.rejected, log
    rows = conn.execute(
        "select interaction_id, account_id, tag, tagged_by, tagged_at::varchar "
        "from raw.emotion_tags order by tagged_at"
    ).fetchall()
    assert rows == [
        ("INT-1", None, "anger", "ana@vendor.example", "2026-01-02 10:00:00"),
        (None, "ACC-7", "anxiety", "lea@vendor.example", "2026-01-03 09:00:00"),
    ]


def test_the_pipeline_only_reads_the_app_state(tmp_path: Path) -> None:
    db = tmp_path / "app_state.sqlite"
    _state_with_corrections(db)
    before = db.read_bytes()
    export_emotion_tags(db, tmp_path / "inbox")
    assert db.read_bytes() == before
    with sqlite3.connect(db) as con:
        assert con.execute("pragma user_version").fetchone() == (app_state.SCHEMA_VERSION,)
