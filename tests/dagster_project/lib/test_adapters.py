"""Vendor exports (fixtures written from each vendor's documented export columns) load into the
same canonical tables; shapes are recognized by their columns (names only break ties); unknown
shapes are rejected. Rows keep the ids they carry, namespaced per vendor; their accounts are
resolved in dbt (tests/dbt/test_account_resolution.py)."""

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from dagster_project.lib.adapters import UnknownShapeError, recognize
from dagster_project.lib.ingest import ingest_entity
from dagster_project.lib.settings import WarehousePaths
from dagster_project.lib.warehouse_schema import ensure_schema
from tests.support.exports import load_exports

FIXTURES = Path(__file__).parent / "fixtures"


def ingest(vendors: list[str], tmp_path: Path):
    return load_exports(vendors, tmp_path)


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
        ("salesforce/Opportunity-renewals.csv", "salesforce/opportunity"),
        ("salesforce/OpportunityStage.csv", "salesforce/opportunitystage"),
        ("salesforce/Event.csv", "salesforce/event"),
        ("salesforce/Task.csv", "salesforce/task"),
        ("salesforce/MessagingSession.csv", "salesforce/messagingsession"),
        ("salesforce/ConversationEntry.csv", "salesforce/conversationentry"),
        ("zendesk/zendesk-export-2026-01-15.json", "zendesk/tickets"),
        ("zendesk/zendesk-users.json", "zendesk/users"),
        ("intercom/intercom-conversations-2026-01.json", "intercom/conversations"),
        ("generic/acme_survey_results.csv", "mapping/acme_survey_results"),
    ],
)
def test_shapes_are_recognized(name, source):
    assert recognize(FIXTURES / name).source == source


def test_a_vendor_export_named_like_a_canonical_file_is_recognized_by_its_columns(tmp_path):
    case = tmp_path / "tickets.csv"  # the canonical name, but Salesforce's Case columns
    shutil.copy(FIXTURES / "salesforce" / "Case.csv", case)
    plan = recognize(case)
    assert (plan.source, plan.how) == ("salesforce/case", "columns (Id, CaseNumber, Status)")
    assert plan.entities == ["tickets", "interactions"]


def test_a_canonical_file_lacking_a_column_is_reported_against_its_name(tmp_path):
    path = tmp_path / "tickets.csv"
    path.write_text("ticket_id,account_id,status\nT1,A1,open\n", encoding="utf-8")
    plan = recognize(path)
    assert (plan.source, plan.how) == (
        "canonical/tickets",
        "file name (its columns fit no known shape)",
    )


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
        ("hs-9001", "Acme Analytics", 1250.0),
        ("hs-9002", "Beta Bakery", 99.0),
    ]
    # "9002;9001": the primary (first) company; "Yes" opts the contact out of analysis.
    assert rows(
        conn, "select contact_id, account_id, analysis_opt_out from raw.contacts order by 1"
    ) == [
        ("hs-501", "hs-9001", False),
        ("hs-502", "hs-9002", True),
    ]
    # A ticket without a company keeps its contact; dbt finds the account through it.
    assert rows(
        conn, "select ticket_id, account_id, contact_id, status from raw.tickets order by 1"
    ) == [
        ("hs-7001", "hs-9001", "hs-501", "open"),
        ("hs-7002", None, "hs-502", "closed"),
    ]
    # The note had no company: it keeps its ticket and contact. Tasks are not interactions.
    assert rows(
        conn,
        "select interaction_id, account_id, channel, direction, author_type, occurred_at::varchar, body "
        "from raw.interactions order by 1",
    ) == [
        (
            "hs-30001",
            "hs-9001",
            "email",
            "inbound",
            "customer",
            "2026-01-02 10:55:00",
            "The export fails every time. Call me on [phone].",
        ),
        (
            "hs-30002",
            None,
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
        ("hs-8001", "nps", 9.0, 0, 10, "Great product, reach me at [email]"),
        ("hs-8002", "csat", 2.0, 1, 5, "Slow answers"),
        ("hs-8003", "ces", 6.0, 1, 7, None),
    ]
    # Feedback names the contact, not the company: loaded, not quarantined for a missing account.
    assert rows(conn, "select count(*), count(contact_id) from raw.surveys") == [(3, 3)]
    assert rows(conn, "select count(*) from raw.quarantine") == [(0,)]
    assert {r.file_name: r.rows_read for r in reports["interactions"].new_files} == {
        "hubspot-engagements-2026-01-15.json": 2,
        "hubspot-tickets-2026-01-15.csv": 0,  # its tickets carry no description
    }


def test_salesforce_export_loads_with_links_offsets_and_redaction(tmp_path):
    conn, reports = ingest(["salesforce"], tmp_path)
    assert rows(
        conn,
        "select ticket_id, account_id, status, created_at::varchar from raw.tickets order by 1",
    ) == [
        # A messaging session (a chat) is a ticket too.
        ("sf-0Mw5e00000S1SSS", "sf-0015e00000A1AAA", "closed", "2026-01-15 09:02:00"),
        ("sf-5005e00000K1KKK", "sf-0015e00000A1AAA", "closed", "2026-01-03 08:30:00"),
        # No AccountId on the case: it keeps its contact. +0100 converted to UTC.
        ("sf-5005e00000K2KKK", None, "new", "2026-01-06 07:30:00"),
    ]
    interactions = dict(
        rows(conn, "select interaction_id, channel || '/' || direction from raw.interactions")
    )
    assert interactions == {
        "sf-5005e00000K1KKK": "email/inbound",  # the case description
        "sf-00a5e00000M1MMM": "ticket_comment/outbound",
        "sf-00a5e00000M2MMM": "note/outbound",  # unpublished comment
        "sf-02s5e00000E1EEE": "email/inbound",
        "sf-00T5e00000T1TTT": "call/inbound",
        # The chat's messages: the bot's greeting, Grace's two, Priya's answer (the bot's
        # escalation event and the system's "joined" line are no one's words).
        "sf-0XE5e00000Y1YYY": "chat/outbound",
        "sf-0XE5e00000Y2YYY": "chat/inbound",
        "sf-0XE5e00000Y5YYY": "chat/outbound",
        "sf-0XE5e00000Y6YYY": "chat/inbound",
        # Meetings (calendar events): the rep's notes.
        "sf-00U5e00000V1VVV": "call/outbound",
        "sf-00U5e00000V2VVV": "call/outbound",
    }
    # The demo among them is also an engagement event; the business review is not.
    assert rows(
        conn, "select event_id, account_id, contact_id, event_type from raw.engagement_events"
    ) == [("sf-event-00U5e00000V1VVV", "sf-0015e00000A1AAA", "sf-0035e00000C1CCC", "demo_attended")]
    (body,) = rows(
        conn, "select body from raw.interactions where interaction_id = 'sf-5005e00000K1KKK'"
    )[0]
    assert "[card]" in body and "4111" not in body and "\n" in body
    # Closed and won from IsClosed / IsWon; where an export lacks them, from the standard
    # closed stages' names (O4); a custom stage (O3) keeps its CloseDate as close_date for dbt
    # to judge by the OpportunityStage export, which says it is closed and won.
    assert rows(
        conn,
        "select deal_id, stage, outcome, closed_at::date::varchar, close_date::date::varchar "
        "from raw.deals order by 1",
    ) == [
        ("sf-0065e00000O1OOO", "Closed Won", "won", "2026-01-20", "2026-01-20"),
        ("sf-0065e00000O2OOO", "Prospecting", None, None, "2026-03-31"),
        ("sf-0065e00000O3OOO", "Renewal Signed", None, None, "2026-01-28"),
        ("sf-0065e00000O4OOO", "Closed Lost", "lost", "2026-01-12", "2026-01-12"),
        ("sf-0065e00000O5OOO", "Negotiation/Review", None, None, "2026-04-30"),
    ]
    assert rows(
        conn,
        "select stage, is_closed, win_probability from raw.pipeline_stages "
        "where stage like 'Renewal%' or stage = 'Negotiation/Review' order by 1",
    ) == [
        ("Negotiation/Review", False, 0.9),
        ("Renewal Declined", True, 0.0),
        ("Renewal Signed", True, 1.0),
    ]
    # Every row of every file is accounted for, per file and entity.
    assert rows(
        conn,
        "select count(*) from ops.load_ledger where rows_read <> rows_loaded + rows_quarantined "
        "+ rows_duplicate + rows_superseded",
    ) == [(0,)]
    assert len(reports["interactions"].new_files) == 6


def test_zendesk_ticket_json_becomes_ticket_interaction_and_survey_rows(tmp_path):
    conn, reports = ingest(["zendesk"], tmp_path)
    assert rows(
        conn,
        "select ticket_id, account_id, contact_id, status, reopen_count from raw.tickets order by 1",
    ) == [
        ("zd-42", "zd-361", "zd-1001", "solved", 1),
        ("zd-43", None, "zd-1001", "pending", None),  # no organization: found via the requester
    ]
    assert rows(
        conn,
        "select interaction_id, ticket_id, direction, author_type from raw.interactions order by 1",
    ) == [
        ("zd-9001", "zd-42", "inbound", "customer"),
        ("zd-9002", "zd-42", "outbound", "agent"),
        ("zd-9003", "zd-43", "inbound", "customer"),
    ]
    # Only rated tickets are survey responses; Zendesk's "bad" is 1 on the 1-5 scale. A ticket
    # has one rating, keyed by the ticket (the ratings API and the CSV give the same key).
    assert rows(conn, "select response_id, score, comment from raw.surveys") == [
        ("zd-csat-42", 1.0, "Took three days!")
    ]
    # Agents are not customer contacts.
    assert rows(conn, "select contact_id from raw.contacts") == [("zd-1001",)]
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
    conn, _ = ingest(["intercom"], tmp_path)
    assert rows(
        conn,
        "select interaction_id, contact_id, author_type, body from raw.interactions "
        "where ticket_id = 'ic-147' order by occurred_at",
    ) == [
        (
            "ic-src-403918316",
            "ic-u-77",
            "customer",
            "Hi, billing charged us twice this month & nobody answers.",
        ),
        ("ic-6002", "ic-u-77", "agent", "Sorry! I have refunded the second charge."),
        ("ic-6003", "ic-u-77", "customer", "Thank you, great service."),
    ]
    assert rows(conn, "select response_id, contact_id, score, scale_max from raw.surveys") == [
        ("ic-rating-147", "ic-u-77", 4.0, 5)
    ]


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
        "author_type, occurred_at, body) values ('x', 'hs-9002', 'hs-502', 'email', 'inbound', 'customer', "
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


def test_the_readme_mapping_example_loads_a_file(tmp_path):
    readme = (Path(__file__).parents[3] / "README.md").read_text(encoding="utf-8")
    example = readme.split("### Writing a mapping", 1)[1].split("```yaml\n", 1)[1].split("```")[0]
    paths = WarehousePaths(tmp_path)
    paths.inbox.mkdir(parents=True)
    (tmp_path / "mappings").mkdir()
    (tmp_path / "mappings" / "acme.yaml").write_text(example, encoding="utf-8")
    (paths.inbox / "acme-survey-2026-01.csv").write_text(
        "Response No,Contact ID,Asked,Answer (0-10),Why?,Date,Modified\n"
        "R-1,501,NPS,9,,15.01.2026,2026-01-15\n",
        encoding="utf-8",
    )
    conn = duckdb.connect()
    ensure_schema(conn)
    report = ingest_entity(conn, paths, "surveys", print)
    assert [(r.source, r.rows_loaded) for r in report.loaded] == [("mapping/acme", 1)]
    assert rows(conn, "select response_id, contact_id, score, comment from raw.surveys") == [
        ("hs-R-1", "hs-501", 9.0, "")
    ]


def test_canonical_records_in_an_api_envelope_are_unwrapped(tmp_path):
    page = {
        "data": [
            {
                "interaction_id": "i1",
                "contact_id": "c1",
                "channel": "chat",
                "direction": "inbound",
                "author_type": "customer",
                "occurred_at": "2026-01-02T10:00:00Z",
                "body": "Still waiting.",
            }
        ],
        "next_page": None,
    }
    paths = WarehousePaths(tmp_path)
    paths.inbox.mkdir(parents=True)
    (paths.inbox / "export-page-1.json").write_text(json.dumps(page), encoding="utf-8")
    plan = recognize(paths.inbox / "export-page-1.json")
    assert (plan.source, plan.records) == ("canonical/interactions", "data")
    conn = duckdb.connect()
    ensure_schema(conn)
    report = ingest_entity(conn, paths, "interactions", print)
    assert [r.rows_loaded for r in report.loaded] == [1]
    assert rows(conn, "select interaction_id, contact_id from raw.interactions") == [("i1", "c1")]
