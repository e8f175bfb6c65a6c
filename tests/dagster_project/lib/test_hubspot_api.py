"""HubSpot's CRM API pages (fixtures/hubspot_api, see its README): companies, contacts, tickets
and deals as GET /crm/v3/objects/<object> returns them, fields under ``properties`` with their
internal values, links under ``associations``. They load through the same shapes as the exports
of those objects: recognized by what their records hold, whatever the file is called."""

import shutil
from pathlib import Path

import pytest

from dagster_project.lib.adapters import recognize
from dagster_project.lib.settings import WarehousePaths
from tests.support.exports import ingest_inbox, load_exports, snapshot

FIXTURE = Path(__file__).parent / "fixtures" / "hubspot_api"


@pytest.fixture
def loaded(tmp_path):
    conn, _ = load_exports(["hubspot_api"], tmp_path)
    yield conn, WarehousePaths(tmp_path)
    conn.close()


@pytest.mark.parametrize(
    "page", ["companies", "contacts", "tickets", "deals", "emails", "notes", "calls", "meetings"]
)
@pytest.mark.parametrize("name", ["{page}.json", "hubspot-{page}-page-1.json", "export (3).json"])
def test_every_page_is_recognized_by_what_its_records_hold(tmp_path, page, name):
    """deals.json is HubSpot's deals, not the canonical file of that name: the fields inside
    its records' ``properties`` say so."""
    target = tmp_path / name.format(page=page)
    shutil.copy(FIXTURE / f"crm-v3-{page}.json", target)
    plan = recognize(target)
    assert (plan.source, plan.records) == (f"hubspot/{page}", "results")
    assert plan.how.startswith("columns of its 'results' records")


def test_records_load_with_their_internal_values_and_associations(loaded):
    conn, _ = loaded
    assert conn.execute(
        "select account_id, name, region, lifecycle_stage, owner, created_at::varchar "
        "from raw.accounts order by 1"
    ).fetchall() == [
        ("hs-9201", "Brightline Clinics", "Canada", "customer", "31337", "2023-06-12 14:00:00"),
        ("hs-9202", "Tidewater Logistics", "Netherlands", "customer", "31338", "2025-09-03 09:20:00"),
    ]  # fmt: skip
    # A contact's company from its associations, or from associatedcompanyid.
    assert conn.execute(
        "select contact_id, account_id, role from raw.contacts order by 1"
    ).fetchall() == [
        ("hs-621", "hs-9201", "Practice Manager"),
        ("hs-622", "hs-9202", "Head of Operations"),
    ]
    # Pipeline stage ids 3 and 4 of the default support pipeline: waiting on us, closed. A
    # custom pipeline's stage id (7203) says no status: kept as named, with its pipeline, for
    # dbt to judge by the ticket pipelines file.
    assert conn.execute(
        "select ticket_id, account_id, contact_id, status, priority, closed_at::varchar, "
        "pipeline, stage from raw.tickets where ticket_id not like 'hs-thread-%' order by 1"
    ).fetchall() == [
        ("hs-7201", "hs-9201", "hs-621", "open", "high", None, "0", "3"),
        ("hs-7202", None, "hs-622", "closed", "low", "2026-01-13 10:00:00", "0", "4"),
        ("hs-7203", "hs-9201", "hs-621", "87654322", "medium", "2026-01-14 16:00:00", "7654321",
         "87654322"),
    ]  # fmt: skip
    # The form ticket's description is the customer's first message; the email ticket's
    # repeats its email, which the emails export holds.
    assert conn.execute(
        "select interaction_id, account_id, ticket_id, channel, direction, author_type, subject "
        "from raw.interactions where interaction_id like 'hs-desc-%'"
    ).fetchall() == [
        ("hs-desc-7201", "hs-9201", "hs-7201", "ticket_comment", "inbound", "customer",
         "Booking page shows no free slots"),
    ]  # fmt: skip
    # Closed and won from HubSpot's flags where the page has them (any pipeline: 5203's stage
    # is a custom pipeline's id), else from the default pipeline's stage (5201). An open deal
    # (5202) has no close. A custom pipeline's stage without the flags (5204, 5205) says
    # neither: its close date is kept as close_date, for dbt to judge by the pipelines file.
    assert conn.execute(
        "select deal_id, account_id, stage, pipeline, amount, closed_at::varchar, outcome, "
        "deal_type, close_date::varchar from raw.deals order by 1"
    ).fetchall() == [
        ("hs-5201", "hs-9201", "closedwon", "default", 12000.0, "2026-01-09 17:00:00", "won",
         "renewal", "2026-01-09 17:00:00"),
        ("hs-5202", "hs-9202", "presentationscheduled", "default", 4000.0, None, None,
         "renewal", "2026-03-31 12:00:00"),
        ("hs-5203", "hs-9201", "98765432", "12345678", 9600.0, "2026-01-15 16:30:00", "lost",
         "renewal", "2026-01-15 16:30:00"),
        ("hs-5204", "hs-9201", "98765431", "12345678", 30000.0, None, None, "renewal",
         "2026-01-12 11:00:00"),
        ("hs-5205", "hs-9202", "98765430", "12345678", 9600.0, None, None, "renewal",
         "2027-01-15 12:00:00"),
    ]  # fmt: skip
    assert conn.execute("select count(*) from raw.quarantine").fetchall() == [(0,)]


def test_activity_pages_load_as_the_activity_exports_do(loaded):
    """GET /crm/v3/objects/emails (notes, calls, meetings): the same interactions as the
    exports with internal names, linked by their associations; a demo meeting is also an
    engagement event."""
    conn, _ = loaded
    assert conn.execute(
        "select interaction_id, account_id, contact_id, ticket_id, channel, direction, "
        "author_type, author_id, occurred_at::varchar from raw.interactions "
        "where interaction_id similar to 'hs-5[0-9]+' order by 1"
    ).fetchall() == [
        # The customer's reply, on the ticket and the contact only (dbt finds the company).
        ("hs-55001", None, "hs-621", "hs-7201", "email", "inbound", "customer", None,
         "2026-01-13 08:41:10.22"),
        ("hs-55002", "hs-9201", "hs-621", "hs-7201", "email", "outbound", "agent",
         "hs-owner-71234001", "2026-01-13 09:05:00"),
        ("hs-56001", "hs-9201", None, None, "note", "outbound", "agent", "hs-owner-71234001",
         "2026-01-13 11:40:00"),
        ("hs-57001", None, "hs-622", None, "call", "inbound", "agent", "hs-owner-71234002",
         "2026-01-14 10:00:00"),
        ("hs-58001", "hs-9202", "hs-622", None, "call", "outbound", "agent", "hs-owner-71234002",
         "2026-01-15 15:00:00"),
    ]  # fmt: skip
    bodies = dict(conn.execute("select interaction_id, body from raw.interactions").fetchall())
    # The plain text where the page has it, else the HTML as a reader sees it.
    assert bodies["hs-55001"].startswith("Still broken this morning.")
    assert (
        bodies["hs-55002"]
        == "Hi Amara,\nI am sorry & I will call you at 11:00. The fix ships today."
    )
    assert conn.execute(
        "select event_id, account_id, contact_id, event_type from raw.engagement_events "
        "where event_id like 'hs-meeting-%'"
    ).fetchall() == [("hs-meeting-58001", "hs-9202", "hs-622", "demo_attended")]


def test_marketing_email_events_are_sends_opens_and_clicks_of_a_recipient(loaded):
    """GET /email/public/v1/events: a recipient is an e-mail address, kept as written (dbt
    finds the contact by it, whatever its case); an open HubSpot filtered out of its reports
    (a mail scanner's) is not the person's; processed, delivered and bounced are no engagement."""
    conn, _ = loaded
    assert recognize(FIXTURE / "email-events.json").source == "hubspot/email_events"
    amara = "amara.diallo@brightline-clinics.example"
    jeroen = "J.Bakker@Tidewater-Logistics.example"
    assert conn.execute(
        "select contact_email, event_type, occurred_at::varchar from raw.engagement_events "
        "where event_id like 'hs-email-%' order by occurred_at"
    ).fetchall() == [
        (amara, "email_sent", "2026-01-13 09:00:01"),
        (jeroen, "email_sent", "2026-01-13 09:00:02"),
        (amara, "email_open", "2026-01-13 10:00:00"),
        (jeroen, "email_click", "2026-01-13 12:00:00"),
    ]
    assert conn.execute(
        "select records_read, records_mapped, records_skipped from ops.load_ledger "
        "where file_name = 'email-events.json'"
    ).fetchall() == [(8, 4, 4)]


@pytest.mark.parametrize(
    ("fixture", "source"),
    [
        ("conversations-threads.json", "hubspot/conversation_threads"),
        ("conversations-messages.json", "hubspot/conversation_messages"),
    ],
)
def test_conversations_inbox_pages_are_recognized_by_what_their_records_hold(
    tmp_path, fixture, source
):
    target = tmp_path / "export (4).json"
    shutil.copy(FIXTURE / fixture, target)
    assert recognize(target).source == source


def test_an_inbox_thread_is_a_ticket_and_its_messages_are_its_interactions(loaded):
    """A live chat: the thread (not the spam one) is a ticket of its contact, closed when the
    thread was; the visitor's messages come in from the customer, the bot's and the agent's go
    out, the agent's internal comment is a note; the welcome message, the assignment and the
    status change are no one's words."""
    conn, _ = loaded
    assert conn.execute(
        "select ticket_id, contact_id, status, created_at::varchar, closed_at::varchar "
        "from raw.tickets where ticket_id like 'hs-thread-%'"
    ).fetchall() == [
        ("hs-thread-8876543210", "hs-621", "closed", "2026-01-14 13:02:11", "2026-01-14 13:20:45")
    ]
    assert conn.execute(
        "select channel, direction, author_type, author_id, body from raw.interactions "
        "where ticket_id = 'hs-thread-8876543210' order by occurred_at"
    ).fetchall() == [
        ("chat", "inbound", "customer", "hs-V-4412007",
         "Is the booking page fixed? Our front desk is asking every hour."),
        ("chat", "outbound", "bot", "hs-B-5550101",
         "Let me find someone from the support team for you."),
        ("note", "outbound", "agent", "hs-A-71234001",
         "Third chat from her this week. Escalate the fix."),
        ("chat", "outbound", "agent", "hs-A-71234001",
         "Not yet, Amara. The fix ships tonight and I will confirm by email."),
        ("chat", "inbound", "customer", "hs-V-4412007", "Tonight. You said that on Monday."),
    ]  # fmt: skip
    assert conn.execute(
        "select file_name, records_read, records_mapped, records_skipped from ops.load_ledger "
        "where file_name like 'conversations-%' order by 1"
    ).fetchall() == [
        ("conversations-messages.json", 8, 5, 3),
        ("conversations-threads.json", 2, 1, 1),
    ]


def test_the_same_pages_again_change_nothing(loaded):
    conn, paths = loaded
    before = snapshot(conn)
    assert ingest_inbox(conn, paths) == []
    assert snapshot(conn) == before


def test_pipelines_give_each_stage_whether_it_is_closed(loaded):
    """GET /crm/v3/pipelines/deals and /tickets: every stage of every pipeline, by the ids deals
    and tickets name them by, with HubSpot's isClosed and probability for a deal stage, its
    ticketState for a ticket stage (what dbt judges a custom stage by)."""
    conn, _ = loaded
    assert conn.execute(
        "select pipeline, stage, pipeline_label, stage_label, is_closed, win_probability "
        "from raw.pipeline_stages where object = 'deals' order by 1, 2"
    ).fetchall() == [
        ("12345678", "98765430", "Renewals", "Renewal due", False, 0.5),
        ("12345678", "98765431", "Renewals", "Renewal signed", True, 1.0),
        ("12345678", "98765432", "Renewals", "Renewal lost", True, 0.0),
        ("default", "appointmentscheduled", "Sales Pipeline", "Appointment Scheduled", False, 0.2),
        ("default", "closedlost", "Sales Pipeline", "Closed Lost", True, 0.0),
        ("default", "closedwon", "Sales Pipeline", "Closed Won", True, 1.0),
        ("default", "presentationscheduled", "Sales Pipeline", "Presentation Scheduled", False, 0.6),
    ]  # fmt: skip
    assert conn.execute(
        "select pipeline, stage, stage_label, is_closed, win_probability "
        "from raw.pipeline_stages where object = 'tickets' order by 1, 2"
    ).fetchall() == [
        ("0", "1", "New", False, None),
        ("0", "2", "Waiting on contact", False, None),
        ("0", "3", "Waiting on us", False, None),
        ("0", "4", "Closed", True, None),
        ("7654321", "87654321", "Escalated", False, None),
        ("7654321", "87654322", "Fixed", True, None),
    ]
    assert conn.execute(
        "select file_name, records_read, rows_loaded, rows_quarantined from ops.load_ledger "
        "where entity = 'pipeline_stages' order by 1"
    ).fetchall() == [
        ("crm-v3-pipelines-deals.json", 2, 7, 0),
        ("crm-v3-pipelines-tickets.json", 2, 6, 0),
    ]
