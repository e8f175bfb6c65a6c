"""HubSpot exports as a user downloads them (fixtures/hubspot_ui, see its README): records
exports under their default names with labels as headers, activity exports with HubSpot's internal
property names. Every record of every file is loaded, quarantined with its reason or counted; ids
link across files; the same files twice change nothing; a re-export's newer records win."""

import csv
import io
import shutil
from pathlib import Path

import duckdb
import pytest

from dagster_project.lib.adapters import recognize
from dagster_project.lib.contract import ENTITIES
from dagster_project.lib.ingest import unbalanced_files
from dagster_project.lib.settings import WarehousePaths
from dagster_project.lib.warehouse_schema import ensure_schema
from tests.support.exports import ingest_inbox, snapshot

FIXTURE = Path(__file__).parent / "fixtures" / "hubspot_ui"


@pytest.fixture
def warehouse(tmp_path):
    paths = WarehousePaths(tmp_path)
    shutil.copytree(FIXTURE, paths.inbox)
    (paths.inbox / "README.md").unlink()
    conn = duckdb.connect()
    ensure_schema(conn)
    assert ingest_inbox(conn, paths) == []
    yield conn, paths
    conn.close()


def rows(conn, sql):
    return conn.execute(sql).fetchall()


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("companies.csv", "hubspot/companies"),
        ("contacts.csv", "hubspot/contacts"),
        ("tickets.csv", "hubspot/tickets"),
        ("emails.csv", "hubspot/emails"),
        ("notes.csv", "hubspot/notes"),
        ("calls.csv", "hubspot/calls"),
        ("meetings.csv", "hubspot/meetings"),
        ("feedback_submissions.csv", "hubspot/feedback_submissions"),
        ("deals.csv", "hubspot/deals"),
    ],
)
@pytest.mark.parametrize("named", ["default", "crm_exports", "renamed"])
def test_every_export_is_recognized_by_its_columns_whatever_its_name(tmp_path, name, source, named):
    """contacts.csv is HubSpot's, not a canonical file: its columns say so, and they say so
    under the export's long name or any name a user gives it."""
    stem = name.removesuffix(".csv").replace("_", "-")
    target = {
        "default": name,
        "crm_exports": f"hubspot-crm-exports-all-{stem}-2026-01-15.csv",
        "renamed": f"export-{stem}-final (2).csv",
    }[named]
    shutil.copy(FIXTURE / name, tmp_path / target)
    plan = recognize(tmp_path / target)
    assert plan.source == source
    assert plan.how.startswith("columns")


def test_every_record_of_every_file_is_loaded_quarantined_or_counted(warehouse):
    conn, _ = warehouse
    ledger = {
        (f, e): tuple(rest)
        for f, e, *rest in rows(
            conn,
            "select file_name, entity, source, records_read, records_mapped, records_skipped, "
            "rows_read, rows_loaded, rows_quarantined, rows_duplicate, rows_superseded "
            "from ops.load_ledger where status = 'loaded'",
        )
    }
    assert ledger == {
        ("companies.csv", "accounts"): ("hubspot/companies", 3, 3, 0, 3, 3, 0, 0, 0),
        ("contacts.csv", "contacts"): ("hubspot/contacts", 4, 4, 0, 4, 4, 0, 0, 0),
        ("tickets.csv", "tickets"): ("hubspot/tickets", 3, 3, 0, 3, 3, 0, 0, 0),
        # The form ticket's description is the customer's first message; the email ticket's
        # repeats its email and the phone ticket has none: two records hold no interaction.
        ("tickets.csv", "interactions"): ("hubspot/tickets", 3, 1, 2, 1, 1, 0, 0, 0),
        ("emails.csv", "interactions"): ("hubspot/emails", 4, 4, 0, 4, 4, 0, 0, 0),
        ("notes.csv", "interactions"): ("hubspot/notes", 3, 3, 0, 3, 2, 1, 0, 0),
        ("calls.csv", "interactions"): ("hubspot/calls", 3, 3, 0, 3, 3, 0, 0, 0),
        ("meetings.csv", "interactions"): ("hubspot/meetings", 4, 4, 0, 4, 4, 0, 0, 0),
        # One demo took place; the review, the walkthrough and the missed demo are no event.
        ("meetings.csv", "engagement_events"): ("hubspot/meetings", 4, 1, 3, 1, 1, 0, 0, 0),
        # The lead's deal has no company: a deal needs an account, so it is quarantined.
        ("deals.csv", "deals"): ("hubspot/deals", 4, 4, 0, 4, 3, 1, 0, 0),
        ("feedback_submissions.csv", "surveys"): (
            "hubspot/feedback_submissions",
            3,
            3,
            0,
            3,
            3,
            0,
            0,
            0,
        ),
    }
    # The record a spreadsheet re-saved with a German date is kept with its reason, not guessed.
    assert rows(
        conn,
        "select source_file, row_number, column_name, reason, "
        "coalesce(raw_row::json->>'hs_object_id', raw_row::json->>'Record ID') "
        "from raw.quarantine order by 1",
    ) == [
        ("deals.csv", 4, "account_id", "missing required value for account_id", "5104"),
        ("notes.csv", 3, "occurred_at", "occurred_at: expected timestamp", "42003"),
    ]
    assert rows(conn, "select count(*) from ops.load_ledger where status <> 'loaded'") == [(0,)]
    for entity in ENTITIES:
        assert unbalanced_files(conn, entity) == []


def test_records_exports_with_labels_load_their_links(warehouse):
    conn, _ = warehouse
    assert rows(
        conn, "select account_id, name, industry, region, created_at::varchar from raw.accounts"
    ) == [
        (
            "hs-9101",
            "Northwind Robotics",
            "Computer Software",
            "United States",
            "2024-02-12 15:04:00",
        ),
        ("hs-9102", "Lumen Dental Group", "Medical Practice", "France", "2023-11-30 10:00:00"),
        (
            "hs-9103",
            "Orchard Freight",
            "Logistics and Supply Chain",
            "Japan",
            "2025-06-18 07:30:00",
        ),
    ]
    # 602 works with two companies: the export's primary one (9102) is the account, not the
    # first of "9101;9102". "Yes" opts a contact out of analysis; a lead has no company yet.
    assert rows(
        conn,
        "select contact_id, account_id, role, analysis_opt_out from raw.contacts order by 1",
    ) == [
        ("hs-601", "hs-9101", "Support Lead", False),
        ("hs-602", "hs-9102", "Practice Manager", True),
        ("hs-603", "hs-9103", "Operations Director", None),
        ("hs-604", None, None, None),
    ]
    # A ticket without a company keeps its contact: dbt finds the account through it.
    assert rows(
        conn,
        "select ticket_id, account_id, contact_id, status, priority, closed_at::varchar "
        "from raw.tickets order by 1",
    ) == [
        ("hs-7101", "hs-9101", "hs-601", "open", "high", None),
        ("hs-7102", None, "hs-602", "closed", "medium", "2026-01-07 12:10:00"),
        ("hs-7103", "hs-9103", "hs-603", "new", "urgent", None),
    ]


def test_activities_become_interactions_with_channel_direction_and_author(warehouse):
    conn, _ = warehouse
    assert rows(
        conn,
        "select interaction_id, channel, direction, author_type, author_id, "
        "occurred_at::varchar, subject from raw.interactions order by 1",
    ) == [
        # emails.csv: ISO 8601 hs_timestamp; INCOMING/FORWARDED are the customer's mails,
        # EMAIL is ours, written by its owner.
        ("hs-41001", "email", "inbound", "customer", None, "2026-01-05 09:14:03.512",
         "Firmware 4.2 update stuck at 80%"),
        ("hs-41002", "email", "outbound", "agent", "hs-owner-52761839", "2026-01-05 11:02:47.09",
         "RE: Firmware 4.2 update stuck at 80%"),
        ("hs-41003", "email", "inbound", "customer", None, "2026-01-06 08:41:10",
         "Fwd: VAT on invoice INV-2291"),
        ("hs-41004", "email", "inbound", "customer", None, "2026-01-07 14:20:00",
         "Re: Tracking portal"),
        # notes.csv: the rep's own notes.
        ("hs-42001", "note", "outbound", "agent", "hs-owner-52761839", "2026-01-05 11:05:00", None),
        ("hs-42002", "note", "outbound", "agent", "hs-owner-61234007", "2026-01-08 17:20:31", None),
        # calls.csv: hs_timestamp in Unix milliseconds; who dialed is the direction, the notes
        # are the rep's; a call logged by hand names no direction.
        ("hs-43001", "call", "inbound", "agent", "hs-owner-52761839", "2026-01-07 13:40:00",
         "Inbound call from Hana Sato"),
        ("hs-43002", "call", "outbound", "agent", "hs-owner-52761839", "2026-01-06 16:00:00",
         "Check-in with Maya"),
        ("hs-43003", "call", "outbound", "agent", "hs-owner-61234007", "2026-01-07 12:00:00",
         "Call with Lucas"),
        # meetings.csv
        ("hs-44001", "call", "outbound", "agent", "hs-owner-61234007", "2026-01-08 15:00:00",
         "Quarterly review: Lumen Dental"),
        ("hs-44002", "call", "outbound", "agent", "hs-owner-52761839", "2026-01-09 10:00:00",
         "Northwind: firmware fix walkthrough"),
        ("hs-44003", "call", "outbound", "agent", "hs-owner-61234007", "2026-01-12 15:00:00",
         "Multi-site scheduling for Lumen Dental"),
        ("hs-44004", "call", "outbound", "agent", "hs-owner-52761839", "2026-01-13 14:00:00",
         "Demo: fleet dashboard for Northwind ops"),
        # tickets.csv: the form ticket's description, the customer's opening message.
        ("hs-desc-7102", "ticket_comment", "inbound", "customer", None, "2026-01-06 08:30:00",
         "Invoice INV-2291 charges VAT"),
    ]  # fmt: skip
    bodies = dict(rows(conn, "select interaction_id, body from raw.interactions"))
    # Plain text where HubSpot kept it, else the HTML as a reader sees it.
    assert bodies["hs-41001"].startswith("Hi team,\nthe update to 4.2 stops at 80%")
    assert "<" not in bodies["hs-41001"]
    assert bodies["hs-41002"] == (
        "Hi Maya,\nsorry about this & thanks for the logs. Please roll back to 4.1.3 while we "
        "fix it.\nPriya"
    )
    assert bodies["hs-42002"] == 'Renewal call went well. They want the "multi-site" plan.'
    assert bodies["hs-43001"].startswith("Hana called, upset")
    # A meeting without a description: the internal notes are its text.
    assert bodies["hs-44002"].startswith("Maya's team frustrated")


def test_a_demo_that_took_place_is_an_engagement_event(warehouse):
    """The behavioral cues compare a customer's engagement before and after a demo: a meeting
    whose type says demo and whose outcome is not a no-show is one, dated by its start and
    linked to whom it was with (here the contact only: the models find the company)."""
    conn, _ = warehouse
    assert rows(
        conn,
        "select event_id, account_id, contact_id, event_type, occurred_at::varchar "
        "from raw.engagement_events",
    ) == [("hs-meeting-44003", None, "hs-602", "demo_attended", "2026-01-12 15:00:00")]


MEETING_LABELS = {
    "hs_object_id": "Record ID",
    "hs_timestamp": "Activity date",
    "hs_meeting_title": "Meeting name",
    "hs_meeting_body": "Meeting description",
    "hs_internal_meeting_notes": "Internal meeting notes",
    "hs_meeting_outcome": "Meeting outcome",
    "hs_activity_type": "Call and meeting type",
}


def test_a_meetings_export_with_labels_loads_as_one_with_internal_names(tmp_path):
    """Exports can be set to property labels: the same meetings, the same demo."""
    text = (FIXTURE / "meetings.csv").read_text(encoding="utf-8")
    header, rest = text.split("\n", 1)
    labelled = ",".join(MEETING_LABELS.get(c, c) for c in header.split(",")) + "\n" + rest
    paths = WarehousePaths(tmp_path)
    paths.inbox.mkdir(parents=True)
    (paths.inbox / "meetings.csv").write_text(labelled, encoding="utf-8")
    assert recognize(paths.inbox / "meetings.csv").source == "hubspot/meetings"
    conn = duckdb.connect()
    ensure_schema(conn)
    assert ingest_inbox(conn, paths) == []
    assert rows(
        conn,
        "select interaction_id, subject, occurred_at::varchar from raw.interactions order by 1",
    ) == [
        ("hs-44001", "Quarterly review: Lumen Dental", "2026-01-08 15:00:00"),
        ("hs-44002", "Northwind: firmware fix walkthrough", "2026-01-09 10:00:00"),
        ("hs-44003", "Multi-site scheduling for Lumen Dental", "2026-01-12 15:00:00"),
        ("hs-44004", "Demo: fleet dashboard for Northwind ops", "2026-01-13 14:00:00"),
    ]
    assert rows(conn, "select event_id from raw.engagement_events") == [("hs-meeting-44003",)]


def test_ids_link_across_files(warehouse):
    conn, _ = warehouse
    dangling = {
        "interaction ticket": "select ticket_id from raw.interactions where ticket_id is not null "
        "except select ticket_id from raw.tickets",
        "interaction contact": "select contact_id from raw.interactions "
        "where contact_id is not null except select contact_id from raw.contacts",
        "interaction account": "select account_id from raw.interactions "
        "where account_id is not null except select account_id from raw.accounts",
        "ticket contact": "select contact_id from raw.tickets where contact_id is not null "
        "except select contact_id from raw.contacts",
        "ticket account": "select account_id from raw.tickets where account_id is not null "
        "except select account_id from raw.accounts",
        "contact account": "select account_id from raw.contacts where account_id is not null "
        "except select account_id from raw.accounts",
        "survey contact": "select contact_id from raw.surveys where contact_id is not null "
        "except select contact_id from raw.contacts",
        "survey ticket": "select ticket_id from raw.surveys where ticket_id is not null "
        "except select ticket_id from raw.tickets",
        "engagement contact": "select contact_id from raw.engagement_events "
        "where contact_id is not null except select contact_id from raw.contacts",
    }
    assert {k: rows(conn, sql) for k, sql in dangling.items()} == {k: [] for k in dangling}
    # That every message reaches its account through these links is tested on dbt's own rule
    # (tests/dbt/test_account_resolution.py), not on a copy of it here.


def test_feedback_submissions_attach_to_contacts_not_companies(warehouse):
    conn, _ = warehouse
    assert rows(
        conn,
        "select response_id, account_id, contact_id, ticket_id, survey_type, score, scale_min, "
        "scale_max, responded_at::varchar from raw.surveys order by 1",
    ) == [
        ("hs-8101", None, "hs-601", None, "nps", 9.0, 0, 10, "2026-01-08 09:30:00"),
        ("hs-8102", None, "hs-602", "hs-7102", "csat", 2.0, 1, 5, "2026-01-07 12:40:00"),
        ("hs-8103", None, "hs-603", "hs-7103", "ces", 6.0, 1, 7, "2026-01-07 14:02:00"),
    ]


DEALS_SQL = (
    "select deal_id, account_id, stage, amount, created_at::varchar, closed_at::varchar, outcome, "
    "deal_type from raw.deals order by 1"
)


def test_deals_carry_their_outcome_and_type_and_an_open_deal_has_no_close(warehouse):
    """The outcome comes from the default pipeline's stage; an open deal's Close Date is only
    expected, so it is no close."""
    conn, _ = warehouse
    assert rows(conn, DEALS_SQL) == [
        ("hs-5101", "hs-9101", "Contract Sent", 54000.0, "2025-12-01 10:00:00", None, None, "renewal"),
        ("hs-5102", "hs-9102", "Closed Lost", 18000.0, "2025-11-14 09:30:00", "2026-01-08 17:22:00", "lost", "renewal"),
        ("hs-5103", "hs-9103", "Closed Won", 32500.0, "2024-01-22 14:05:00", "2024-03-15 12:00:00", "won", "new_business"),
    ]  # fmt: skip


def test_the_same_files_dropped_twice_change_nothing(warehouse, tmp_path):
    conn, paths = warehouse
    before = snapshot(conn)
    assert ingest_inbox(conn, paths) == []  # a rerun over the same inbox
    # The same bytes again under HubSpot's long export names: recognized as loaded already.
    for path in sorted(FIXTURE.glob("*.csv")):
        stem = path.stem.replace("_", "-")
        shutil.copy(path, paths.inbox / f"hubspot-crm-exports-all-{stem}-2026-01-15.csv")
    assert ingest_inbox(conn, paths) == []
    assert snapshot(conn) == before


def _rewrite(src: Path, dst: Path, change) -> None:
    """``src`` with each row (a dict by header) passed through ``change``; None drops the row."""
    with src.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        header, records = reader.fieldnames, list(reader)
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\n")
    writer.writeheader()
    for record in records:
        changed = change(dict(record))
        if changed is not None:
            writer.writerow(changed)
    dst.write_text(out.getvalue(), encoding="utf-8")


def test_a_re_export_s_newer_records_win_and_older_ones_do_not(warehouse):
    conn, paths = warehouse

    def contacts(record):
        if record["Record ID"] == "602":  # changed since: newer Last Modified Date
            record.update(
                {"Job Title": "Managing Director", "Last Modified Date": "2026-01-12 10:00"}
            )
        elif record["Record ID"] == "601":  # an export taken before the first one
            record.update({"Job Title": "Support Agent", "Last Modified Date": "2025-11-02 08:00"})
        else:
            return None
        return record

    def emails(record):
        if record["hs_object_id"] != "41004":
            return None
        record.update(
            {"hs_email_subject": "Re: Tracking portal (resolved)",
             "hs_lastmodifieddate": "2026-01-08T08:00:00.000Z"}
        )  # fmt: skip
        return record

    _rewrite(FIXTURE / "contacts.csv", paths.inbox / "contacts (1).csv", contacts)
    _rewrite(FIXTURE / "emails.csv", paths.inbox / "emails (1).csv", emails)
    assert ingest_inbox(conn, paths) == []
    assert rows(conn, "select contact_id, role from raw.contacts where contact_id < 'hs-603'") == [
        ("hs-601", "Support Lead"),
        ("hs-602", "Managing Director"),
    ]
    assert rows(conn, "select subject from raw.interactions where interaction_id = 'hs-41004'") == [
        ("Re: Tracking portal (resolved)",)
    ]
    assert rows(
        conn,
        "select file_name, rows_read, rows_loaded, rows_superseded, rows_older_than_stored "
        "from ops.load_ledger where file_name like '% (1).csv' order by 1",
    ) == [("contacts (1).csv", 2, 1, 1, 1), ("emails (1).csv", 1, 1, 0, 0)]


def test_two_exports_pasted_into_one_file_count_copies_and_versions(tmp_path):
    """A contacts file with rows of a later export pasted below its own: an exact copy of a row
    is a duplicate, an older version of a record is superseded by the newer one."""
    paths = WarehousePaths(tmp_path)
    paths.inbox.mkdir(parents=True)
    lines = (FIXTURE / "contacts.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    later = (
        lines[2]
        .replace("2026-01-08 17:25", "2026-01-10 09:00")
        .replace("Practice Manager", "Owner")
    )
    (paths.inbox / "contacts.csv").write_text("".join(lines + lines[1:2] + [later]))
    conn = duckdb.connect()
    ensure_schema(conn)
    assert ingest_inbox(conn, paths) == []
    assert rows(
        conn,
        "select records_read, rows_read, rows_loaded, rows_duplicate, rows_superseded "
        "from ops.load_ledger",
    ) == [(6, 6, 4, 1, 1)]
    assert rows(conn, "select role from raw.contacts where contact_id = 'hs-602'") == [("Owner",)]
