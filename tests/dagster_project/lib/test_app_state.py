"""The dashboard's app state as a source: tag corrections, action decisions and health overrides
reach raw.* through the inbox."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import duckdb

from dagster_project.lib.app_state import (
    export_action_decisions,
    export_emotion_tags,
    export_health_overrides,
    read_action_decisions,
    read_emotion_tag_corrections,
    read_health_overrides,
)
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
    assert read_action_decisions(tmp_path / "missing.sqlite") == []
    assert export_action_decisions(tmp_path / "missing.sqlite", tmp_path / "inbox") is None
    assert read_health_overrides(tmp_path / "missing.sqlite") == []
    assert export_health_overrides(tmp_path / "missing.sqlite", tmp_path / "inbox") is None
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


def test_action_decisions_are_loaded_into_raw_action_decisions_without_duplicates(
    tmp_path: Path,
) -> None:
    db = tmp_path / "app_state.sqlite"
    app_state.migrate(db)
    app_state.add_action_decision(
        db,
        action_id="act-1",
        account_id="ACC-1",
        decision="snoozed",
        snoozed_until="2026-02-01",
        note="after the renewal call",
        decided_by="lea@vendor.example",
        decided_at="2026-01-03 09:00:00",
    )
    paths = WarehousePaths(tmp_path / "warehouse")
    conn = duckdb.connect()
    ensure_schema(conn)
    log: list[str] = []

    def load() -> list[tuple]:
        triage_inbox(conn, paths, log.append)
        report = ingest_entity(conn, paths, "action_decisions", log.append)
        assert not report.rejected, log
        return conn.execute(
            "select action_id, account_id, decision, snoozed_until::varchar, note, decided_by, "
            "decided_at::varchar from raw.action_decisions order by decided_at"
        ).fetchall()

    first = export_action_decisions(db, paths.inbox)
    assert first is not None and first.name.startswith("action_decisions-app-state-")
    snoozed = (
        "act-1",
        "ACC-1",
        "snoozed",
        "2026-02-01",
        "after the renewal call",
        "lea@vendor.example",
        "2026-01-03 09:00:00",
    )
    assert load() == [snoozed]
    # A later decision: the next export holds both; loading it adds only the new one.
    app_state.add_action_decision(
        db,
        action_id="act-1",
        account_id="ACC-1",
        decision="done",
        decided_by="lea@vendor.example",
        decided_at="2026-01-05 10:00:00",
    )
    assert export_action_decisions(db, paths.inbox) != first
    done = ("act-1", "ACC-1", "done", None, None, "lea@vendor.example", "2026-01-05 10:00:00")
    assert load() == [snoozed, done]


def test_health_overrides_and_their_clearing_reach_raw_health_overrides_once(
    tmp_path: Path,
) -> None:
    db = tmp_path / "app_state.sqlite"
    app_state.migrate(db)
    app_state.add_health_override(
        db,
        account_id="ACC-1",
        override_score=25.0,
        reason="CEO said they are leaving",
        valid_until="2026-03-01",
        overridden_by="lea@vendor.example",
        overridden_at="2026-01-03 09:00:00.000001",
    )
    paths = WarehousePaths(tmp_path / "warehouse")
    conn = duckdb.connect()
    ensure_schema(conn)
    log: list[str] = []

    def load() -> list[tuple]:
        triage_inbox(conn, paths, log.append)
        report = ingest_entity(conn, paths, "health_overrides", log.append)
        assert not report.rejected, log
        return conn.execute(
            "select account_id, override_score, reason, valid_until::varchar, overridden_by, "
            "overridden_at::varchar from raw.health_overrides order by overridden_at"
        ).fetchall()

    first = export_health_overrides(db, paths.inbox)
    assert first is not None and first.name.startswith("health_overrides-app-state-")
    set_row = (
        "ACC-1",
        25.0,
        "CEO said they are leaving",
        "2026-03-01",
        "lea@vendor.example",
        "2026-01-03 09:00:00.000001",
    )
    assert load() == [set_row]
    assert load() == [set_row], "a rerun loads nothing twice"
    # Cleared later: no value. The next export holds both; loading adds only the clearing.
    app_state.add_health_override(
        db,
        account_id="ACC-1",
        override_score=None,
        overridden_by="sam@vendor.example",
        overridden_at="2026-01-05 10:00:00.000002",
    )
    assert export_health_overrides(db, paths.inbox) != first
    cleared = ("ACC-1", None, None, None, "sam@vendor.example", "2026-01-05 10:00:00.000002")
    assert load() == [set_row, cleared]
