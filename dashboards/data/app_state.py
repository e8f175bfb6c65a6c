"""The dashboard's own database (SQLite): sign-ins, and what people decide in the dashboard.

Never the warehouse nor the snapshot (ARCHITECTURE.md): the dashboard writes only here, and the
pipeline reads this file as one more source. The schema is versioned by ``PRAGMA user_version``;
:data:`MIGRATIONS` are applied in order, each once, in one transaction each. A backup is a file
copy (WAL mode: copy while the app is stopped, or use ``sqlite3 .backup``).
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    sql: str


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "sign-ins: failed attempts (rate limit) and sessions (sign-out, expiry)",
        """
        create table login_failures (
            failure_id integer primary key,
            username text not null,
            remote_addr text not null,
            failed_at real not null
        );
        create index login_failures_by_user on login_failures (username, failed_at);
        create index login_failures_by_addr on login_failures (remote_addr, failed_at);
        create table sessions (
            session_id text primary key,
            username text not null,
            created_at real not null,
            last_seen_at real not null,
            ended_at real,
            end_reason text
        );
        """,
    ),
    Migration(
        2,
        "people's decisions: action decisions, emotion tag corrections, session outcomes",
        """
        create table action_decisions (
            decision_id integer primary key,
            account_id text not null,
            action text not null,
            decision text not null check (decision in ('done', 'dismissed', 'snoozed')),
            snoozed_until text,
            note text,
            decided_by text not null,
            decided_at text not null
        );
        create table emotion_tag_corrections (
            correction_id integer primary key,
            interaction_id text,
            account_id text,
            tag text not null,
            tagged_by text not null,
            tagged_at text not null,
            check ((interaction_id is null) != (account_id is null))
        );
        create table session_outcomes (
            outcome_id integer primary key,
            account_id text not null,
            outcome text not null,
            note text,
            recorded_by text not null,
            recorded_at text not null
        );
        """,
    ),
    Migration(
        3,
        "action decisions keyed on the action id (marts.fct_action_queue.action_id), so a "
        "decision holds until the action's evidence changes; the unkeyed version-2 table is kept "
        "as action_decisions_v2",
        """
        alter table action_decisions rename to action_decisions_v2;
        create table action_decisions (
            decision_id integer primary key,
            action_id text not null,
            account_id text not null,
            decision text not null check (decision in ('done', 'dismissed', 'snoozed')),
            snoozed_until text check ((decision = 'snoozed') = (snoozed_until is not null)),
            note text,
            decided_by text not null,
            decided_at text not null
        );
        create index action_decisions_by_action on action_decisions (action_id, decided_at);
        """,
    ),
    Migration(
        4,
        "session outcomes: the agreed state (outcome), its cause, the action, who follows up",
        """
        alter table session_outcomes add column cause text;
        alter table session_outcomes add column action text;
        alter table session_outcomes add column follow_up_by text;
        alter table session_outcomes add column session_date text;
        create index session_outcomes_by_account on session_outcomes (account_id, recorded_at);
        create index emotion_tag_corrections_by_account
            on emotion_tag_corrections (account_id, tagged_at);
        create index emotion_tag_corrections_by_interaction
            on emotion_tag_corrections (interaction_id, tagged_at);
        """,
    ),
    Migration(
        5,
        "health overrides: a person's relationship health for an account (value, why, until "
        "when), or its clearing (no value); every one is kept, the latest per account holds",
        """
        create table health_overrides (
            override_id integer primary key,
            account_id text not null,
            override_score real check (override_score between 0 and 100),
            reason text check (override_score is null or coalesce(length(trim(reason)), 0) > 0),
            valid_until text,
            overridden_by text not null,
            overridden_at text not null
        );
        create index health_overrides_by_account on health_overrides (account_id, overridden_at);
        """,
    ),
    Migration(
        6,
        "action decisions may be reopened: a later 'reopened' decision takes an earlier one back "
        "(SQLite cannot change a check constraint, so the table is rebuilt with its rows)",
        """
        create table action_decisions_v6 (
            decision_id integer primary key,
            action_id text not null,
            account_id text not null,
            decision text not null
                check (decision in ('done', 'dismissed', 'snoozed', 'reopened')),
            snoozed_until text check ((decision = 'snoozed') = (snoozed_until is not null)),
            note text,
            decided_by text not null,
            decided_at text not null
        );
        insert into action_decisions_v6
            select decision_id, action_id, account_id, decision, snoozed_until, note, decided_by,
                decided_at
            from action_decisions;
        drop table action_decisions;
        alter table action_decisions_v6 rename to action_decisions;
        create index action_decisions_by_action on action_decisions (action_id, decided_at);
        """,
    ),
)

SCHEMA_VERSION = MIGRATIONS[-1].version


def schema_version(db: Path) -> int:
    """The migration the file is at (0 for a new or missing file)."""
    if not Path(db).is_file():
        return 0
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as con:
        return int(con.execute("pragma user_version").fetchone()[0])


def migrate(db: Path) -> int:
    """Create the file if needed and apply every migration it lacks; return the version.

    Safe to call from several processes at once: each migration runs under SQLite's write
    lock (``begin immediate``) and re-reads the version first.
    """
    db = Path(db)
    db.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.closing(sqlite3.connect(db, timeout=30, isolation_level=None)) as con:
        con.execute("pragma journal_mode = wal")
        for migration in MIGRATIONS:
            con.execute("begin immediate")
            try:
                current = int(con.execute("pragma user_version").fetchone()[0])
                if current >= migration.version:
                    con.execute("rollback")
                    continue
                for statement in _statements(migration.sql):
                    con.execute(statement)
                # PRAGMA takes no parameters; the version is an int from this module.
                con.execute(f"pragma user_version = {int(migration.version)}")
                con.execute("commit")
            except BaseException:
                con.execute("rollback")
                raise
        return int(con.execute("pragma user_version").fetchone()[0])


def _statements(sql: str) -> list[str]:
    return [s.strip() for s in sql.split(";") if s.strip()]


@contextlib.contextmanager
def connect(db: Path) -> Iterator[sqlite3.Connection]:
    """A short-lived connection that commits on success and rolls back on error."""
    con = sqlite3.connect(db, timeout=10)
    try:
        con.execute("pragma busy_timeout = 10000")
        with con:
            yield con
    finally:
        con.close()


# --- sign-ins ---------------------------------------------------------------------------------


def record_login_failure(
    db: Path, username: str, remote_addr: str, at: float | None = None
) -> None:
    with connect(db) as con:
        con.execute(
            "insert into login_failures (username, remote_addr, failed_at) values (?, ?, ?)",
            (username, remote_addr, time.time() if at is None else at),
        )


def recent_login_failures(
    db: Path, username: str, remote_addr: str, since: float
) -> tuple[int, int, float | None]:
    """Failures since ``since`` for this user name, for this address, and the oldest of them."""
    with connect(db) as con:
        by_user, first_user = con.execute(
            "select count(*), min(failed_at) from login_failures where username = ? and failed_at >= ?",
            (username, since),
        ).fetchone()
        by_addr, first_addr = con.execute(
            "select count(*), min(failed_at) from login_failures "
            "where remote_addr = ? and failed_at >= ?",
            (remote_addr, since),
        ).fetchone()
    firsts = [t for t in (first_user, first_addr) if t is not None]
    return int(by_user), int(by_addr), (min(firsts) if firsts else None)


def clear_login_failures(db: Path, username: str) -> None:
    with connect(db) as con:
        con.execute("delete from login_failures where username = ?", (username,))


def start_session(db: Path, session_id: str, username: str, at: float | None = None) -> None:
    now = time.time() if at is None else at
    with connect(db) as con:
        con.execute(
            "insert into sessions (session_id, username, created_at, last_seen_at) "
            "values (?, ?, ?, ?)",
            (session_id, username, now, now),
        )


@dataclass(frozen=True)
class SessionRow:
    session_id: str
    username: str
    created_at: float
    last_seen_at: float
    ended_at: float | None


def get_session(db: Path, session_id: str) -> SessionRow | None:
    with connect(db) as con:
        row = con.execute(
            "select session_id, username, created_at, last_seen_at, ended_at "
            "from sessions where session_id = ?",
            (session_id,),
        ).fetchone()
    return SessionRow(*row) if row else None


def touch_session(db: Path, session_id: str, at: float) -> None:
    with connect(db) as con:
        con.execute(
            "update sessions set last_seen_at = ? where session_id = ? and ended_at is null",
            (at, session_id),
        )


def end_session(db: Path, session_id: str, reason: str, at: float | None = None) -> None:
    with connect(db) as con:
        con.execute(
            "update sessions set ended_at = ?, end_reason = ? "
            "where session_id = ? and ended_at is null",
            (time.time() if at is None else at, reason, session_id),
        )


# --- people's decisions -----------------------------------------------------------------------


def add_emotion_tag_correction(
    db: Path,
    *,
    tag: str,
    tagged_by: str,
    tagged_at: str,
    interaction_id: str | None = None,
    account_id: str | None = None,
) -> int:
    """A person's emotion for one interaction or one account; it overrides the model's."""
    with connect(db) as con:
        cur = con.execute(
            "insert into emotion_tag_corrections "
            "(interaction_id, account_id, tag, tagged_by, tagged_at) values (?, ?, ?, ?, ?)",
            (interaction_id, account_id, tag, tagged_by, tagged_at),
        )
        return int(cur.lastrowid)


def add_action_decision(
    db: Path,
    *,
    action_id: str,
    account_id: str,
    decision: str,
    decided_by: str,
    decided_at: str,
    snoozed_until: str | None = None,
    note: str | None = None,
) -> int:
    """One person's decision on one recommended action; every decision is kept, the latest wins."""
    with connect(db) as con:
        cur = con.execute(
            "insert into action_decisions (action_id, account_id, decision, snoozed_until, note, "
            "decided_by, decided_at) values (?, ?, ?, ?, ?, ?, ?)",
            (action_id, account_id, decision, snoozed_until, note, decided_by, decided_at),
        )
        return int(cur.lastrowid)


@dataclass(frozen=True)
class ActionDecision:
    action_id: str
    decision: str
    snoozed_until: str | None
    note: str | None
    decided_by: str
    decided_at: str


def latest_action_decisions(db: Path) -> dict[str, ActionDecision]:
    """The latest decision per action id (the dashboard applies them before the next run does)."""
    if not Path(db).is_file():
        return {}
    with connect(db) as con:
        rows = con.execute(
            "select action_id, decision, snoozed_until, note, decided_by, decided_at "
            "from action_decisions order by decided_at, decision_id"
        ).fetchall()
    return {row[0]: ActionDecision(*row) for row in rows}


def action_decisions_of(db: Path, action_ids: list[str]) -> list[ActionDecision]:
    """Every decision on these actions, newest first (the history a person reads)."""
    if not action_ids or not Path(db).is_file():
        return []
    marks = ", ".join("?" * len(action_ids))
    with connect(db) as con:
        rows = con.execute(
            "select action_id, decision, snoozed_until, note, decided_by, decided_at "
            f"from action_decisions where action_id in ({marks}) "
            "order by decided_at desc, decision_id desc",
            tuple(action_ids),
        ).fetchall()
    return [ActionDecision(*row) for row in rows]


def add_session_outcome(
    db: Path,
    *,
    account_id: str,
    outcome: str,
    recorded_by: str,
    recorded_at: str,
    note: str | None = None,
    cause: str | None = None,
    action: str | None = None,
    follow_up_by: str | None = None,
    session_date: str | None = None,
) -> int:
    """What a session agreed on one account: ``outcome`` is the state the team agreed on."""
    with connect(db) as con:
        cur = con.execute(
            "insert into session_outcomes (account_id, outcome, note, recorded_by, recorded_at, "
            "cause, action, follow_up_by, session_date) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                account_id,
                outcome,
                note,
                recorded_by,
                recorded_at,
                cause,
                action,
                follow_up_by,
                session_date,
            ),
        )
        return int(cur.lastrowid)


@dataclass(frozen=True)
class SessionOutcome:
    outcome_id: int
    account_id: str
    session_date: str | None
    state: str
    cause: str | None
    action: str | None
    follow_up_by: str | None
    note: str | None
    recorded_by: str
    recorded_at: str


def session_outcomes(db: Path, account_ids: list[str] | None = None) -> list[SessionOutcome]:
    """Recorded outcomes, newest first (of ``account_ids`` only, when given)."""
    sql = (
        "select outcome_id, account_id, session_date, outcome, cause, action, follow_up_by, "
        "note, recorded_by, recorded_at from session_outcomes"
    )
    params: tuple = ()
    if account_ids is not None:
        sql += f" where account_id in ({', '.join('?' * len(account_ids)) or 'null'})"
        params = tuple(account_ids)
    with connect(db) as con:
        rows = con.execute(sql + " order by recorded_at desc, outcome_id desc", params).fetchall()
    return [SessionOutcome(*row) for row in rows]


@dataclass(frozen=True)
class TagCorrection:
    interaction_id: str | None
    account_id: str | None
    tag: str
    tagged_by: str
    tagged_at: str


def emotion_tag_corrections_for(
    db: Path, account_id: str, interaction_ids: list[str]
) -> list[TagCorrection]:
    """Corrections of the account's own tag and of these interactions', newest first."""
    marks = ", ".join("?" * len(interaction_ids)) or "null"
    with connect(db) as con:
        rows = con.execute(
            "select interaction_id, account_id, tag, tagged_by, tagged_at "
            "from emotion_tag_corrections "
            f"where account_id = ? or interaction_id in ({marks}) "
            "order by tagged_at desc, correction_id desc",
            (account_id, *interaction_ids),
        ).fetchall()
    return [TagCorrection(*row) for row in rows]


@dataclass(frozen=True)
class HealthOverride:
    """A person's relationship health for an account (``override_score`` None: cleared)."""

    account_id: str
    override_score: float | None
    reason: str | None
    valid_until: str | None  # YYYY-MM-DD, the last day it holds; None: until cleared
    overridden_by: str
    overridden_at: str


def add_health_override(
    db: Path,
    *,
    account_id: str,
    override_score: float | None,
    overridden_by: str,
    overridden_at: str,
    reason: str | None = None,
    valid_until: str | None = None,
) -> int:
    """Set (a score) or clear (None) an account's health override; every entry is kept."""
    with connect(db) as con:
        cur = con.execute(
            "insert into health_overrides (account_id, override_score, reason, valid_until, "
            "overridden_by, overridden_at) values (?, ?, ?, ?, ?, ?)",
            (account_id, override_score, reason, valid_until, overridden_by, overridden_at),
        )
        return int(cur.lastrowid)


def latest_health_override(db: Path, account_id: str) -> HealthOverride | None:
    """The account's latest override entry (a set or a clear), None when it has none."""
    if not Path(db).is_file():
        return None
    with connect(db) as con:
        row = con.execute(
            "select account_id, override_score, reason, valid_until, overridden_by, overridden_at "
            "from health_overrides where account_id = ? "
            "order by overridden_at desc, override_id desc limit 1",
            (account_id,),
        ).fetchone()
    return HealthOverride(*row) if row else None
