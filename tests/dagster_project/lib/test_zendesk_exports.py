"""Zendesk exports in the shapes its API and admin UI hand out (fixtures/zendesk_api, written from
Zendesk's public API reference) load whole: recognized by their content whatever their names,
envelopes unwrapped, pages joined, every record loaded or counted."""

import shutil

import duckdb
import pytest

from dagster_project.lib.adapters import recognize
from dagster_project.lib.ingest import ingest_entity, triage_inbox
from dagster_project.lib.settings import WarehousePaths
from dagster_project.lib.warehouse_schema import ensure_schema
from tests.support.exports import FIXTURES, load_exports

API = FIXTURES / "zendesk_api"


def rows(conn, sql):
    return conn.execute(sql).fetchall()


@pytest.mark.parametrize(
    ("name", "source", "records"),
    [
        ("tickets.json", "zendesk/tickets", "tickets"),  # named like a canonical file
        ("ticket_events.ndjson", "zendesk/ticket_events", None),
        ("zendesk-ticket-46-comments.json", "zendesk/ticket_comments", "comments"),
        ("ticket-45-audits.json", "zendesk/ticket_audits", "audits"),
        ("ticket-export-2026-01-16.csv", "zendesk/tickets", None),
        ("users.json", "zendesk/users", "users"),
        ("organizations.json", "zendesk/organizations", "organizations"),
    ],
)
def test_each_shape_is_recognized_by_its_content(name, source, records):
    plan = recognize(API / name)
    assert (plan.source, plan.records) == (source, records)
    assert plan.how.startswith("columns")


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    return load_exports(["zendesk_api"], tmp_path_factory.mktemp("zendesk"))


def test_incremental_pages_and_the_admin_csv_load_as_tickets(loaded):
    conn, _ = loaded
    assert rows(
        conn,
        "select ticket_id, account_id, contact_id, status, priority, created_at::varchar, "
        "solved_at::varchar from raw.tickets order by 1",
    ) == [
        ("zd-44", None, "zd-1003", "open", "high", "2026-01-07 08:15:00", None),
        # On both pages of tickets.json: the second page's newer version wins.
        ("zd-45", "zd-361", "zd-1001", "solved", "normal", "2026-01-08 10:00:00", None),
        ("zd-46", "zd-362", "zd-1003", "open", "urgent", "2026-01-10 11:00:00", None),
        # The CSV's local times with their offsets, in UTC.
        (
            "zd-47",
            None,
            "zd-1001",
            "solved",
            "normal",
            "2026-01-12 08:00:00",
            "2026-01-13 09:00:00",
        ),
        ("zd-48", None, "zd-1003", "open", "high", "2026-01-14 20:30:00", None),
    ]
    (superseded,) = rows(
        conn,
        "select rows_superseded from ops.load_ledger where file_name = 'tickets.json' "
        "and entity = 'tickets'",
    )[0]
    assert superseded == 1


def test_comment_events_and_comment_pages_become_interactions_with_their_authors(loaded):
    conn, _ = loaded
    # Who wrote them is decided in dbt from author_id (the requester is the customer).
    assert rows(
        conn,
        "select interaction_id, ticket_id, author_id, channel, direction, author_type, "
        "occurred_at::varchar, body from raw.interactions order by 1",
    ) == [
        (
            "zd-91002",
            "zd-44",
            "zd-1003",
            "email",
            None,
            None,
            "2026-01-07 08:15:00",
            "We were charged twice for December. Please refund the duplicate today.",
        ),
        (
            "zd-91011",
            "zd-44",
            "zd-2002",
            "ticket_comment",
            None,
            None,
            "2026-01-07 09:00:00",
            "I'm sorry about that. The duplicate charge has been refunded.",
        ),
        (
            "zd-91021",
            "zd-45",
            "zd-1001",
            "chat",
            None,
            None,
            "2026-01-08 10:00:00",
            "How do I export the schedule to Excel?",
        ),
        (
            "zd-93001",
            "zd-46",
            "zd-1003",
            "ticket_comment",
            None,
            None,
            "2026-01-10 11:00:00",
            "The route planner froze again, third time this week. Drivers are waiting.",
        ),
        (
            "zd-93002",
            "zd-46",
            "zd-2002",
            "ticket_comment",
            None,
            None,
            "2026-01-10 12:00:00",
            "Escalated to engineering; workaround: clear the cache.",
        ),
        # A ticket's audits page: each audit's comment event (the status changes and the
        # notification beside them are no one's words).
        (
            "zd-95001",
            "zd-45",
            "zd-1001",
            "ticket_comment",
            None,
            None,
            "2026-01-09 08:00:00",
            "Still no Excel export button. I have asked twice now.",
        ),
        (
            "zd-95011",
            "zd-45",
            "zd-2002",
            "ticket_comment",
            None,
            None,
            "2026-01-09 09:30:00",
            "Sorry for the wait! Schedule > Export > Excel, as of today's release.",
        ),
    ]
    # An event holding only a status change is a record with no interaction: counted, not lost.
    assert rows(
        conn,
        "select records_read, records_mapped, records_skipped, rows_read, rows_loaded "
        "from ops.load_ledger where file_name = 'ticket_events.ndjson'",
    ) == [(4, 3, 1, 3, 3)]


def test_ratings_from_the_api_and_the_csv_are_one_response_per_ticket(loaded):
    conn, _ = loaded
    assert rows(
        conn, "select response_id, ticket_id, score, comment from raw.surveys order by 1"
    ) == [
        ("zd-csat-45", "zd-45", 5.0, "Quick and friendly"),
        ("zd-csat-47", "zd-47", 5.0, None),
    ]


def test_every_record_of_every_file_is_accounted_for(loaded):
    conn, _ = loaded
    assert rows(
        conn,
        "select count(*) from ops.load_ledger where status <> 'loaded' "
        "or rows_read <> rows_loaded + rows_quarantined + rows_duplicate + rows_superseded "
        "or records_read <> records_mapped + records_skipped",
    ) == [(0,)]
    assert rows(conn, "select count(*) from raw.quarantine") == [(0,)]


def test_the_same_files_dropped_again_change_nothing(loaded, tmp_path):
    conn, _ = loaded
    before = {
        t: rows(conn, f"select * from raw.{t} order by all") for t in ("tickets", "interactions")
    }
    again = WarehousePaths(tmp_path)
    shutil.copytree(API, again.inbox, ignore=shutil.ignore_patterns("README*"))
    assert triage_inbox(conn, again, print) == {}
    for entity in ("tickets", "interactions", "surveys"):
        report = ingest_entity(conn, again, entity, print)
        assert report.new_files == []
    assert before == {
        t: rows(conn, f"select * from raw.{t} order by all") for t in ("tickets", "interactions")
    }


def test_a_comments_page_whose_name_names_no_ticket_is_rejected_saying_so(tmp_path):
    paths = WarehousePaths(tmp_path)
    paths.inbox.mkdir(parents=True)
    shutil.copy(API / "zendesk-ticket-46-comments.json", paths.inbox / "comments.json")
    conn = duckdb.connect()
    ensure_schema(conn)
    messages: list[str] = []
    ingest_entity(conn, paths, "interactions", messages.append)
    (message,) = messages
    assert message.startswith("comments.json: ")
    assert "zendesk-ticket-123-comments.json" in message
    assert (paths.rejected / "comments.json").exists()
    assert rows(conn, "select count(*) from raw.interactions") == [(0,)]
