"""Vendor exports (fixtures written from each vendor's documented export columns) load into the
same canonical tables; shapes are recognized from names or columns; unknown shapes are rejected."""

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from dagster_project.lib.adapters import UnknownShapeError, recognize
from dagster_project.lib.ingest import ingest_entity, triage_inbox
from dagster_project.lib.settings import WarehousePaths
from dagster_project.lib.warehouse_schema import ensure_schema

FIXTURES = Path(__file__).parent / "fixtures"
# Ingest order as the Dagster assets run it: lookups need accounts, contacts and tickets first.
ORDER = ("accounts", "contacts", "tickets", "interactions", "surveys", "deals")


def ingest(vendors: list[str], tmp_path: Path):
    paths = WarehousePaths(tmp_path)
    for vendor in vendors:
        shutil.copytree(FIXTURES / vendor, paths.inbox, dirs_exist_ok=True)
    (paths.inbox / "README.md").unlink(missing_ok=True)
    conn = duckdb.connect()
    ensure_schema(conn)
    messages: list[str] = []
    assert triage_inbox(conn, paths, messages.append) == {}
    reports = {e: ingest_entity(conn, paths, e, messages.append) for e in ORDER}
    assert messages == []
    return conn, reports


def rows(conn, sql):
    return conn.execute(sql).fetchall()


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("hubspot/hubspot-crm-exports-all-contacts-2026-01-15.csv", "hubspot/contacts"),
        ("hubspot/hubspot-engagements-2026-01-15.json", "hubspot/engagements"),
        ("salesforce/Case.csv", "salesforce/case"),
        ("salesforce/CaseComment.csv", "salesforce/casecomment"),
        ("salesforce/Opportunity.csv", "salesforce/opportunity"),
        ("zendesk/zendesk-export-2026-01-15.json", "zendesk/tickets"),
        ("zendesk/zendesk-users.json", "zendesk/users"),
        ("intercom/intercom-conversations-2026-01.json", "intercom/conversations"),
        ("generic/acme_survey_results.csv", "mapping/acme_survey_results"),
    ],
)
def test_shapes_are_recognized(name, source):
    assert recognize(FIXTURES / name).source == source


def test_salesforce_file_named_by_its_columns_or_by_a_prefix(tmp_path):
    case = tmp_path / "salesforce-case-2026-01.csv"
    shutil.copy(FIXTURES / "salesforce" / "Case.csv", case)
    plan = recognize(case)
    assert (plan.source, plan.how) == ("salesforce/case", "file name")
    assert plan.entities == ["tickets", "interactions"]


def test_unknown_shape_names_file_found_columns_and_closest_expected(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("Record ID,First Name\n1,Ann\n", encoding="utf-8")
    with pytest.raises(UnknownShapeError) as err:
        recognize(path)
    message = str(err.value)
    assert "export.csv" in message and "Record ID" in message
    assert "closest is hubspot contacts, missing column 'Email'" in message


def test_hubspot_exports_load_into_canonical_tables(tmp_path):
    conn, reports = ingest(["hubspot"], tmp_path)
    assert rows(conn, "select account_id, name, mrr from raw.accounts order by 1") == [
        ("9001", "Acme Analytics", 1250.0),
        ("9002", "Beta Bakery", 99.0),
    ]
    # "9002;9001": the primary (first) company; "Yes" opts the contact out of analysis.
    assert rows(
        conn, "select contact_id, account_id, analysis_opt_out from raw.contacts order by 1"
    ) == [
        ("501", "9001", False),
        ("502", "9002", True),
    ]
    assert rows(conn, "select ticket_id, account_id, status from raw.tickets order by 1") == [
        ("7001", "9001", "open"),
        ("7002", "9002", "closed"),
    ]
    # The note had no company: its account comes from its ticket. Tasks are not interactions.
    assert rows(
        conn,
        "select interaction_id, account_id, channel, direction, author_type, occurred_at::varchar, body "
        "from raw.interactions order by 1",
    ) == [
        (
            "30001",
            "9001",
            "email",
            "inbound",
            "customer",
            "2026-01-02 10:55:00",
            "The export fails every time. Call me on [phone].",
        ),
        (
            "30002",
            "9001",
            "note",
            "outbound",
            "agent",
            "2026-01-02 11:55:00",
            "Customer is frustrated & considering alternatives.",
        ),
    ]
    assert rows(
        conn,
        "select response_id, survey_type, score, scale_min, scale_max, comment from raw.surveys order by 1",
    ) == [
        ("8001", "nps", 9.0, 0, 10, "Great product, reach me at [email]"),
        ("8002", "csat", 2.0, 1, 5, "Slow answers"),
        ("8003", "ces", 6.0, 1, 7, None),
    ]
    assert [r.rows_read for r in reports["interactions"].new_files] == [2]


def test_salesforce_export_loads_with_lookups_offsets_and_redaction(tmp_path):
    conn, reports = ingest(["salesforce"], tmp_path)
    assert rows(
        conn,
        "select ticket_id, account_id, status, created_at::varchar from raw.tickets order by 1",
    ) == [
        ("5005e00000K1KKK", "0015e00000A1AAA", "closed", "2026-01-03 08:30:00"),
        # No AccountId on the case: taken from its contact. +0100 converted to UTC.
        ("5005e00000K2KKK", "0015e00000A1AAA", "new", "2026-01-06 07:30:00"),
    ]
    interactions = dict(
        rows(conn, "select interaction_id, channel || '/' || direction from raw.interactions")
    )
    assert interactions == {
        "5005e00000K1KKK": "email/inbound",  # the case description
        "00a5e00000M1MMM": "ticket_comment/outbound",
        "00a5e00000M2MMM": "note/outbound",  # unpublished comment
        "02s5e00000E1EEE": "email/inbound",
        "00T5e00000T1TTT": "call/inbound",
    }
    (body,) = rows(
        conn, "select body from raw.interactions where interaction_id = '5005e00000K1KKK'"
    )[0]
    assert "[card]" in body and "4111" not in body and "\n" in body
    assert rows(
        conn, "select deal_id, outcome, closed_at::date::varchar from raw.deals order by 1"
    ) == [
        ("0065e00000O1OOO", "won", "2026-01-20"),
        ("0065e00000O2OOO", None, None),
    ]
    # Every row of every file is accounted for, per file and entity.
    assert rows(
        conn,
        "select count(*) from ops.load_ledger where rows_read <> rows_loaded + rows_quarantined "
        "+ rows_duplicate + rows_superseded",
    ) == [(0,)]
    assert len(reports["interactions"].new_files) == 4


def test_zendesk_ticket_json_becomes_ticket_interaction_and_survey_rows(tmp_path):
    conn, reports = ingest(["zendesk"], tmp_path)
    assert rows(
        conn, "select ticket_id, account_id, status, reopen_count from raw.tickets order by 1"
    ) == [
        ("42", "361", "solved", 1),
        ("43", "361", "pending", None),  # no organization on the ticket: the requester's
    ]
    assert rows(
        conn,
        "select interaction_id, ticket_id, direction, author_type from raw.interactions order by 1",
    ) == [
        ("9001", "42", "inbound", "customer"),
        ("9002", "42", "outbound", "agent"),
        ("9003", "43", "inbound", "customer"),
    ]
    # Only rated tickets are survey responses; Zendesk's "bad" is 1 on the 1-5 scale.
    assert rows(conn, "select response_id, score, comment from raw.surveys") == [
        ("zd-csat-555", 1.0, "Took three days!")
    ]
    # Agents are not customer contacts.
    assert rows(conn, "select contact_id from raw.contacts") == [("1001",)]
    # What holds no row of an entity is counted, not passed over: the agent, the unrated ticket.
    skipped = {
        (r.file_name, r.entity): r.records_skipped for rs in reports.values() for r in rs.loaded
    }
    assert skipped[("zendesk-users.json", "contacts")] == 1
    assert skipped[("zendesk-export-2026-01-15.json", "surveys")] == 1
    assert skipped[("zendesk-export-2026-01-15.json", "tickets")] == 0
    assert rows(
        conn,
        "select records_skipped from ops.load_ledger where file_name = 'zendesk-users.json'",
    ) == [(1,)]


@pytest.mark.parametrize("form", ["api_page.json", "ndjson"])
def test_zendesk_tickets_as_api_page_or_ndjson_load_like_the_export(tmp_path, form):
    """The same tickets as the API's {"tickets": [...]} page, or as a .ndjson file, give the
    same canonical rows as the JSON export (one ticket per line)."""
    conn, _ = ingest(["zendesk"], tmp_path / "export")
    tables = ("raw.tickets", "raw.interactions", "raw.surveys")
    want = {
        t: rows(conn, f"select * exclude (_source_file, _loaded_at) from {t} order by 1")
        for t in tables
    }

    other = tmp_path / "other"
    shutil.copytree(FIXTURES / "zendesk", other)
    export = other / "zendesk-export-2026-01-15.json"
    tickets = [json.loads(line) for line in export.read_text().splitlines()]
    export.unlink()
    if form == "ndjson":
        (other / "zendesk-tickets-2026-01-15.ndjson").write_text(export_lines(tickets))
    else:
        (other / "zendesk-tickets-2026-01-15.json").write_text(json.dumps({"tickets": tickets}))
    conn, _ = ingest([str(other)], tmp_path / "page")  # an absolute folder in place of a vendor
    got = {
        t: rows(conn, f"select * exclude (_source_file, _loaded_at) from {t} order by 1")
        for t in tables
    }
    assert got == want and all(want[t] for t in tables)


def export_lines(records: list[dict]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def test_intercom_conversation_becomes_ticket_messages_and_rating(tmp_path):
    conn, _ = ingest(["intercom", "salesforce"], tmp_path)
    assert rows(
        conn,
        "select interaction_id, author_type, body from raw.interactions where ticket_id = '147' order by occurred_at",
    ) == [
        (
            "ic-src-403918316",
            "customer",
            "Hi, billing charged us twice this month & nobody answers.",
        ),
        ("6002", "agent", "Sorry! I have refunded the second charge."),
        ("6003", "customer", "Thank you, great service."),
    ]
    assert rows(
        conn, "select account_id, score, scale_max from raw.surveys where ticket_id = '147'"
    ) == [("0015e00000A1AAA", 4.0, 5)]


def test_generic_mapping_beside_the_file(tmp_path):
    conn, _ = ingest(["generic"], tmp_path)
    assert rows(
        conn,
        "select response_id, score, responded_at::date::varchar, comment from raw.surveys order by 1",
    ) == [
        ("R-1", 10.0, "2026-01-15", "Fantastic support"),
        ("R-2", 3.0, "2026-01-16", "Too expensive, call [phone]"),
    ]
    assert rows(conn, "select row_number, column_name from raw.quarantine") == [(3, "score")]


def test_mapping_in_the_mappings_folder_matched_by_file_glob(tmp_path):
    paths = WarehousePaths(tmp_path)
    paths.inbox.mkdir(parents=True)
    (tmp_path / "mappings").mkdir()
    shutil.copy(FIXTURES / "generic" / "acme_survey_results.csv", paths.inbox / "acme-2026-01.csv")
    text = (FIXTURES / "generic" / "acme_survey_results.mapping.yaml").read_text()
    (tmp_path / "mappings" / "acme.yaml").write_text('files: ["acme-*.csv"]\n' + text)
    conn = duckdb.connect()
    ensure_schema(conn)
    report = ingest_entity(conn, paths, "surveys", print)
    assert [r.rows_loaded for r in report.loaded] == [2]


def test_opted_out_vendor_contacts_are_not_scored(tmp_path):
    from dagster_project.lib.score_interactions import score_pending

    conn, _ = ingest(["hubspot"], tmp_path)
    conn.execute(
        "insert into raw.interactions (interaction_id, account_id, contact_id, channel, direction, "
        "author_type, occurred_at, body) values ('x', '9002', '502', 'email', 'inbound', 'customer', "
        "now()::timestamp, 'opted out text')"
    )
    stats = score_pending(
        conn,
        scorer_version="t",
        score_fn=lambda texts: [_fake() for _ in texts],
    )
    scored = {r[0] for r in rows(conn, "select interaction_id from scores.interaction_scores")}
    assert "x" not in scored and stats.opted_out_skipped == 1


def _fake() -> dict:
    from sentiment_udfs.taxonomy import CUES

    return {
        "compound": 0.0,
        "sentiment_label": "neutral",
        "emotion": "neutral",
        "emotion_intensity": 0.0,
        "emotion_scores": {"neutral": 1.0},
        "cues": {c: False for c in CUES},
        "language": "en",
        "is_empty": False,
        "evidence": [],
    }
