"""The dashboard's own SQLite database: versioned migrations, and people's decisions."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from dashboards.data import app_state


def _tables(db: Path) -> set[str]:
    with sqlite3.connect(db) as con:
        return {r[0] for r in con.execute("select name from sqlite_master where type = 'table'")}


def test_a_new_file_gets_every_migration_once(tmp_path: Path) -> None:
    db = tmp_path / "state" / "app_state.sqlite"
    assert app_state.schema_version(db) == 0
    assert app_state.migrate(db) == app_state.SCHEMA_VERSION
    assert app_state.migrate(db) == app_state.SCHEMA_VERSION  # idempotent
    assert {
        "login_failures",
        "sessions",
        "action_decisions",
        "emotion_tag_corrections",
        "session_outcomes",
    } <= _tables(db)


def test_an_older_file_is_migrated_and_keeps_its_rows(tmp_path: Path) -> None:
    db = tmp_path / "app_state.sqlite"
    with sqlite3.connect(db) as con:  # a file at version 1, as an older dashboard left it
        for statement in app_state._statements(app_state.MIGRATIONS[0].sql):
            con.execute(statement)
        con.execute("pragma user_version = 1")
    app_state.start_session(db, "s1", "ana", at=1.0)
    assert app_state.migrate(db) == app_state.SCHEMA_VERSION
    assert app_state.get_session(db, "s1").username == "ana"


def test_version_2_decisions_are_kept_apart_when_decisions_get_keyed_on_the_action_id(
    tmp_path: Path,
) -> None:
    db = tmp_path / "app_state.sqlite"
    with sqlite3.connect(db) as con:  # a file at version 2, with a decision keyed on its text
        for migration in app_state.MIGRATIONS[:2]:
            for statement in app_state._statements(migration.sql):
                con.execute(statement)
        con.execute(
            "insert into action_decisions (account_id, action, decision, decided_by, decided_at) "
            "values ('A1', 'call', 'done', 'lea', '2026-01-01')"
        )
        con.execute("pragma user_version = 2")
    assert app_state.migrate(db) == app_state.SCHEMA_VERSION
    with sqlite3.connect(db) as con:
        assert con.execute("select action, decision from action_decisions_v2").fetchall() == [
            ("call", "done")
        ]
        columns = [r[1] for r in con.execute("pragma table_info(action_decisions)")]
    assert columns[:3] == ["decision_id", "action_id", "account_id"]


def test_the_latest_decision_per_action_wins(tmp_path: Path) -> None:
    db = tmp_path / "app_state.sqlite"
    assert app_state.latest_action_decisions(db) == {}
    app_state.migrate(db)
    for action_id, decision, until, at in (
        ("X", "snoozed", "2026-02-01", "2026-01-03 09:00:00"),
        ("X", "done", None, "2026-01-04 09:00:00"),
        ("Y", "dismissed", None, "2026-01-02 09:00:00"),
    ):
        app_state.add_action_decision(
            db,
            action_id=action_id,
            account_id="A1",
            decision=decision,
            snoozed_until=until,
            decided_by="lea",
            decided_at=at,
        )
    latest = app_state.latest_action_decisions(db)
    assert {k: v.decision for k, v in latest.items()} == {"X": "done", "Y": "dismissed"}


def test_decisions_are_kept_and_a_backup_is_a_file_copy(tmp_path: Path) -> None:
    db = tmp_path / "app_state.sqlite"
    app_state.migrate(db)
    app_state.add_action_decision(
        db,
        action_id="act-1",
        account_id="A1",
        decision="snoozed",
        snoozed_until="2026-01-10",
        decided_by="lea",
        decided_at="2026-01-03 09:00:00",
    )
    app_state.add_session_outcome(
        db, account_id="A1", outcome="resolved", recorded_by="sam", recorded_at="2026-01-04"
    )
    app_state.add_emotion_tag_correction(
        db, interaction_id="I1", tag="anger", tagged_by="ana", tagged_at="2026-01-02"
    )
    backup = tmp_path / "backup.sqlite"
    with sqlite3.connect(db) as con:
        con.execute("pragma wal_checkpoint(truncate)")
    shutil.copyfile(db, backup)
    with sqlite3.connect(backup) as con:
        assert con.execute("select decision from action_decisions").fetchall() == [("snoozed",)]
        assert con.execute("select outcome from session_outcomes").fetchall() == [("resolved",)]
        assert con.execute("select tag from emotion_tag_corrections").fetchall() == [("anger",)]


def test_bad_decisions_are_refused(tmp_path: Path) -> None:
    db = tmp_path / "app_state.sqlite"
    app_state.migrate(db)
    decision = {"action_id": "act-1", "account_id": "A1", "decided_by": "x", "decided_at": "t"}
    with pytest.raises(sqlite3.IntegrityError):
        app_state.add_action_decision(db, decision="maybe", **decision)
    with pytest.raises(sqlite3.IntegrityError):  # a snooze needs the day it ends
        app_state.add_action_decision(db, decision="snoozed", **decision)
    with pytest.raises(sqlite3.IntegrityError):  # and only a snooze has one
        app_state.add_action_decision(db, decision="done", snoozed_until="2026-02-01", **decision)
    with pytest.raises(sqlite3.IntegrityError):  # a tag targets an interaction or an account
        app_state.add_emotion_tag_correction(
            db, interaction_id="I1", account_id="A1", tag="anger", tagged_by="x", tagged_at="t"
        )


def test_failed_sign_ins_are_counted_per_user_and_address(tmp_path: Path) -> None:
    db = tmp_path / "app_state.sqlite"
    app_state.migrate(db)
    for at in (10.0, 20.0, 30.0):
        app_state.record_login_failure(db, "ana", "10.0.0.1", at=at)
    app_state.record_login_failure(db, "bob", "10.0.0.1", at=40.0)
    assert app_state.recent_login_failures(db, "ana", "10.0.0.9", since=15.0) == (2, 0, 20.0)
    assert app_state.recent_login_failures(db, "zed", "10.0.0.1", since=0.0) == (0, 4, 10.0)
    app_state.clear_login_failures(db, "ana")
    assert app_state.recent_login_failures(db, "ana", "x", since=0.0)[0] == 0


def test_version_4_decisions_survive_the_rebuild_that_allows_reopening(tmp_path: Path) -> None:
    db = tmp_path / "app_state.sqlite"
    with sqlite3.connect(db) as con:  # a file at version 4, with a snooze in it
        for migration in app_state.MIGRATIONS[:4]:
            for statement in app_state._statements(migration.sql):
                con.execute(statement)
        con.execute(
            "insert into action_decisions (action_id, account_id, decision, snoozed_until, note, "
            "decided_by, decided_at) values ('X', 'A1', 'snoozed', '2026-02-01', 'after the call', "
            "'lea', '2026-01-03 09:00:00')"
        )
        con.execute("pragma user_version = 4")
    assert app_state.migrate(db) == app_state.SCHEMA_VERSION
    app_state.add_action_decision(
        db,
        action_id="X",
        account_id="A1",
        decision="reopened",
        note="they called back",
        decided_by="sam",
        decided_at="2026-01-04 09:00:00",
    )
    history = app_state.action_decisions_of(db, ["X", "unknown"])
    assert [(d.decision, d.note, d.decided_by) for d in history] == [
        ("reopened", "they called back", "sam"),
        ("snoozed", "after the call", "lea"),
    ]
    assert app_state.latest_action_decisions(db)["X"].decision == "reopened"
    with sqlite3.connect(db) as con:
        indexes = {r[1] for r in con.execute("pragma index_list(action_decisions)")}
    assert "action_decisions_by_action" in indexes
    assert app_state.action_decisions_of(db, []) == []


def test_health_overrides_keep_every_entry_and_the_latest_is_read_back(tmp_path: Path) -> None:
    db = tmp_path / "app_state.sqlite"
    assert app_state.latest_health_override(db, "A1") is None, "no file: no override"
    app_state.migrate(db)
    assert "health_overrides" in _tables(db)
    for score, reason, at in (
        (30.0, "CEO threatened to leave", "2026-01-02 09:00:00.000000"),
        (None, None, "2026-01-05 09:00:00.000000"),  # cleared
        (55.0, "recovering", "2026-01-04 09:00:00.000000"),
    ):
        app_state.add_health_override(
            db,
            account_id="A1",
            override_score=score,
            reason=reason,
            overridden_by="lea",
            overridden_at=at,
        )
    latest = app_state.latest_health_override(db, "A1")
    assert (latest.override_score, latest.overridden_at[:10]) == (None, "2026-01-05")
    assert app_state.latest_health_override(db, "A2") is None


@pytest.mark.parametrize(
    ("score", "reason"),
    [(101.0, "why"), (-0.5, "why"), (40.0, None), (40.0, "   ")],
)
def test_bad_health_overrides_are_refused_by_the_schema(tmp_path: Path, score, reason) -> None:
    db = tmp_path / "app_state.sqlite"
    app_state.migrate(db)
    with pytest.raises(sqlite3.IntegrityError):
        app_state.add_health_override(
            db,
            account_id="A1",
            override_score=score,
            reason=reason,
            overridden_by="lea",
            overridden_at="2026-01-02 09:00:00",
        )
