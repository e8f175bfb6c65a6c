"""Intercom REST API responses as saved by a user (fixtures/intercom_rest, see its README): list
pages of companies and contacts, the admin list, conversations with their parts. Several pages
load as one export; every record is loaded, quarantined with its reason or counted; ids link
across files; the same files twice change nothing; a later fetch's newer records win."""

import json
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

FIXTURE = Path(__file__).parent / "fixtures" / "intercom_rest"
# Intercom's ids as the fixture has them, namespaced as loaded.
QUILL, BRIGHT, CORVID = (f"ic-66f1c0a2e4b0d3001a7c5e0{n}" for n in (1, 2, 3))
ELENA, OMAR, GRACE, LEAD = (f"ic-6762f0a51bb69f9f2193bb7{c}" for c in "abcd")


def new_warehouse(root: Path, files: dict[str, str] | None = None):
    """A warehouse at ``root`` whose inbox holds the fixture (or ``files``: name → text), loaded."""
    paths = WarehousePaths(root)
    if files is None:
        shutil.copytree(FIXTURE, paths.inbox)
        (paths.inbox / "README.md").unlink()
    else:
        paths.inbox.mkdir(parents=True)
        for name, text in files.items():
            (paths.inbox / name).write_text(text, encoding="utf-8")
    conn = duckdb.connect()
    ensure_schema(conn)
    assert ingest_inbox(conn, paths) == []
    return conn, paths


@pytest.fixture
def warehouse(tmp_path):
    conn, paths = new_warehouse(tmp_path)
    yield conn, paths
    conn.close()


def rows(conn, sql):
    return conn.execute(sql).fetchall()


@pytest.mark.parametrize(
    ("name", "source", "records"),
    [
        ("companies.json", "intercom/companies", "data"),
        ("contacts-page-1.json", "intercom/contacts", "data"),
        ("contacts-page-2.json", "intercom/contacts", "data"),
        ("admins.json", "intercom/admins", "admins"),
        ("conversations.ndjson", "intercom/conversations", None),
        ("events.json", "intercom/events", "events"),
        ("tickets-search.json", "intercom/tickets", "tickets"),
    ],
)
def test_every_response_is_recognized_by_its_records(name, source, records):
    """Companies and contacts pages share their envelope ({"type": "list", "data": [...]}):
    the records in it say which is which, whatever the file is called."""
    plan = recognize(FIXTURE / name)
    assert (plan.source, plan.records) == (source, records)
    assert plan.how.startswith("columns")


def test_every_record_of_every_file_is_loaded_or_counted(warehouse):
    conn, _ = warehouse
    ledger = {
        (f, e): tuple(rest)
        for f, e, *rest in rows(
            conn,
            "select file_name, entity, records_read, records_mapped, records_skipped, rows_read, "
            "rows_loaded, rows_quarantined, rows_duplicate, rows_superseded "
            "from ops.load_ledger where status = 'loaded'",
        )
    }
    assert ledger == {
        # Admins are staff: every one read, none a contact.
        ("admins.json", "contacts"): (3, 0, 3, 0, 0, 0, 0, 0),
        # Two pages in one file: three companies.
        ("companies.json", "accounts"): (3, 3, 0, 3, 3, 0, 0, 0),
        ("contacts-page-1.json", "contacts"): (2, 2, 0, 2, 2, 0, 0, 0),
        ("contacts-page-2.json", "contacts"): (2, 2, 0, 2, 2, 0, 0, 0),
        # Four responses, conversation 2742 fetched twice: its later version wins, its opening
        # message and first reply, in both, are duplicates; only 2741 was rated.
        ("conversations.ndjson", "tickets"): (4, 4, 0, 4, 3, 0, 0, 1),
        ("conversations.ndjson", "interactions"): (4, 4, 0, 11, 9, 0, 2, 0),
        ("conversations.ndjson", "surveys"): (4, 1, 3, 1, 1, 0, 0, 0),
        # Three pages of data events, each naming its person one of the three ways.
        ("events.json", "engagement_events"): (6, 6, 0, 6, 6, 0, 0, 0),
        # One ticket: its description and its comments and note (a state change is no part).
        ("tickets-search.json", "tickets"): (1, 1, 0, 1, 1, 0, 0, 0),
        ("tickets-search.json", "interactions"): (1, 1, 0, 4, 4, 0, 0, 0),
    }
    assert rows(conn, "select count(*) from raw.quarantine") == [(0,)]
    assert rows(conn, "select count(*) from ops.load_ledger where status <> 'loaded'") == [(0,)]
    for entity in ENTITIES:
        assert unbalanced_files(conn, entity) == []


def test_companies_and_contacts_link_by_intercom_ids(warehouse):
    conn, _ = warehouse
    assert rows(
        conn,
        "select account_id, name, plan, mrr, created_at::varchar from raw.accounts order by 1",
    ) == [
        (QUILL, "Quillbooks", "Pro", 490.0, "2024-04-02 10:00:00"),
        (BRIGHT, "Brightpath Learning", "Essential", 120.5, "2025-02-11 16:30:00"),
        (CORVID, "Corvid Labs", None, 0.0, "2025-12-20 08:15:00"),
    ]
    # Omar lists two companies, the first is his account; a lead has none; admins are no one's.
    assert rows(
        conn,
        "select contact_id, account_id, email, role, analysis_opt_out from raw.contacts order by 1",
    ) == [
        (ELENA, QUILL, "elena@quillbooks.example", "Finance Lead", False),
        (OMAR, BRIGHT, "omar@brightpath.example", "CTO", True),
        (GRACE, CORVID, "grace@corvidlabs.example", None, None),
        (LEAD, None, "visitor-4411@mail.example", None, None),
    ]


def test_data_events_are_the_contact_s_logins_and_feature_use(warehouse):
    """An app's own event names: a sign-in, however spelled, is a login; "signed-invoice" is
    not a sign-in but a feature used. Events carry no id: who, what and when make one."""
    conn, _ = warehouse
    assert rows(
        conn,
        "select event_id, contact_id, event_type, occurred_at::varchar "
        "from raw.engagement_events where contact_id is not null order by occurred_at",
    ) == [
        (f"{ELENA}:logged-in:1767600000", ELENA, "login", "2026-01-05 08:00:00"),
        (f"{ELENA}:exported-report:1767603600", ELENA, "feature_used", "2026-01-05 09:00:00"),
        (f"{ELENA}:signed_in_via_sso:1767859200", ELENA, "login", "2026-01-08 08:00:00"),
        (f"{ELENA}:signed-invoice:1767862800", ELENA, "feature_used", "2026-01-08 09:00:00"),
    ]
    # Listed by e-mail address or by the app's user_id, an event names its person by it (dbt
    # finds the contact with that address or external_id, both Omar's).
    assert rows(
        conn,
        "select event_id, contact_email, contact_external_id from raw.engagement_events "
        "where contact_id is null order by occurred_at",
    ) == [
        ("ic-bp-77:ordered-item:1767700000", None, "ic-bp-77"),
        ("ic-omar@brightpath.example:viewed-pricing:1767790800", "omar@brightpath.example", None),
    ]
    assert rows(conn, f"select external_id from raw.contacts where contact_id = '{OMAR}'") == [
        ("ic-bp-77",)
    ]


def test_a_ticket_is_a_ticket_of_its_contact_with_its_description_and_parts(warehouse):
    """Intercom's tickets run apart from conversations ("ticket-" ids): the description is
    the customer's opening message, comments go either way by their author, a note is ours;
    a resolved ticket is solved at its last update."""
    conn, _ = warehouse
    assert rows(
        conn,
        "select ticket_id, contact_id, status, created_at::varchar, solved_at::varchar "
        "from raw.tickets where ticket_id like 'ic-ticket-%'",
    ) == [("ic-ticket-1295", GRACE, "solved", "2026-01-09 09:13:20", "2026-01-10 11:33:20")]
    assert rows(
        conn,
        "select interaction_id, channel, direction, author_type, author_id, body "
        "from raw.interactions where ticket_id = 'ic-ticket-1295' order by occurred_at",
    ) == [
        ("ic-ticket-desc-1295", "ticket_comment", "inbound", "customer", GRACE,
         "Our CSV import silently drops every row after 500. We lost a day of data entry."),
        ("ic-ticket-part-4402", "ticket_comment", "outbound", "agent", "ic-6630001",
         "Thanks for the file. We can reproduce it and are on it."),
        ("ic-ticket-part-4403", "ticket_comment", "inbound", "customer", GRACE,
         "Any update? My team is retyping everything by hand."),
        ("ic-ticket-part-4404", "note", "outbound", "agent", "ic-6630001",
         "Fix deployed in 4.12.1; confirm with customer."),
    ]  # fmt: skip


def test_conversations_link_tickets_messages_and_rating_through_the_contact(warehouse):
    conn, _ = warehouse
    assert rows(
        conn,
        "select ticket_id, account_id, contact_id, status, updated from "
        "(select *, _record_updated_at::varchar as updated from raw.tickets "
        "where ticket_id not like 'ic-ticket-%') order by 1",
    ) == [
        ("ic-2741", None, ELENA, "closed", "2026-01-05 10:30:00"),
        ("ic-2742", None, OMAR, "pending", "2026-01-07 12:00:00"),  # the later fetch: snoozed
        ("ic-2743", None, GRACE, "open", "2026-01-09 10:30:00"),
    ]
    assert rows(
        conn,
        "select interaction_id, ticket_id, contact_id, channel, direction, author_type, author_id "
        "from raw.interactions where ticket_id not like 'ic-ticket-%' order by occurred_at",
    ) == [
        ("ic-src-1951034401", "ic-2741", ELENA, "chat", "inbound", "customer", ELENA),
        ("ic-19510002", "ic-2741", ELENA, "chat", "outbound", "agent", "ic-814860"),
        ("ic-19510003", "ic-2741", ELENA, "chat", "inbound", "customer", ELENA),
        ("ic-src-1951034402", "ic-2742", OMAR, "chat", "inbound", "customer", OMAR),
        ("ic-19520001", "ic-2742", OMAR, "chat", "outbound", "agent", "ic-814861"),
        ("ic-19520002", "ic-2742", OMAR, "chat", "inbound", "customer", OMAR),
        ("ic-19520003", "ic-2742", OMAR, "note", "outbound", "agent", "ic-814861"),
        # Started by an admin: our message, the customer answers.
        ("ic-src-1951034403", "ic-2743", GRACE, "chat", "outbound", "agent", "ic-814860"),
        ("ic-19530001", "ic-2743", GRACE, "chat", "inbound", "customer", GRACE),
    ]
    bodies = dict(rows(conn, "select interaction_id, body from raw.interactions"))
    assert bodies["ic-src-1951034401"] == (
        "Our March invoice was charged twice & now the card is over its limit."
    )
    assert rows(
        conn,
        "select response_id, contact_id, ticket_id, survey_type, score, scale_max, comment "
        "from raw.surveys",
    ) == [("ic-rating-2741", ELENA, "ic-2741", "csat", 5.0, 5, "Quick and friendly")]


def test_ids_link_across_files(warehouse):
    conn, _ = warehouse
    dangling = {
        "interaction ticket": "select ticket_id from raw.interactions "
        "except select ticket_id from raw.tickets",
        "interaction contact": "select contact_id from raw.interactions "
        "except select contact_id from raw.contacts",
        "ticket contact": "select contact_id from raw.tickets "
        "except select contact_id from raw.contacts",
        "survey contact": "select contact_id from raw.surveys "
        "except select contact_id from raw.contacts",
        "contact account": "select account_id from raw.contacts where account_id is not null "
        "except select account_id from raw.accounts",
        # A customer's message names its author: a known contact.
        "customer author": "select author_id from raw.interactions where author_type = 'customer' "
        "except select contact_id from raw.contacts",
        # An admin's id is never a contact's.
        "agent author": "select author_id from raw.interactions where author_type <> 'customer' "
        "intersect select contact_id from raw.contacts",
    }
    assert {k: rows(conn, sql) for k, sql in dangling.items()} == {k: [] for k in dangling}
    # That every message reaches its account through these links is tested on dbt's own rule
    # (tests/dbt/test_account_resolution.py), not on a copy of it here.


def _pages() -> list[dict]:
    return [json.loads((FIXTURE / f"contacts-page-{n}.json").read_text()) for n in (1, 2)]


@pytest.mark.parametrize(
    "form",
    [
        "one_per_line",
        "back_to_back_pretty",
        "back_to_back_compact",
    ],
)
def test_pages_concatenated_in_one_file_load_as_the_page_files_do(tmp_path, form):
    want, _ = new_warehouse(tmp_path / "files", {
        "contacts-page-1.json": (FIXTURE / "contacts-page-1.json").read_text(),
        "contacts-page-2.json": (FIXTURE / "contacts-page-2.json").read_text(),
    })  # fmt: skip
    text = {
        "one_per_line": "".join(json.dumps(p) + "\n" for p in _pages()),
        "back_to_back_pretty": "".join(json.dumps(p, indent=2) for p in _pages()),
        "back_to_back_compact": "".join(json.dumps(p) for p in _pages()),
    }[form]
    got, _ = new_warehouse(tmp_path / "one", {"intercom-contacts.json": text})
    query = "select * exclude (_source_file, _loaded_at, _source_row) from raw.contacts order by 1"
    assert rows(got, query) == rows(want, query)
    assert len(rows(got, query)) == 4
    assert rows(got, "select records_read, rows_loaded, rows_quarantined from ops.load_ledger") == [
        (4, 4, 0)
    ]


def test_a_page_cut_off_mid_download_is_quarantined_with_its_reason(tmp_path):
    """The last line of a file of pages ends mid-object: that page is kept in quarantine with
    its text and reason; the pages before it load."""
    first, second = (json.dumps(p) for p in _pages())
    conn, _ = new_warehouse(
        tmp_path, {"intercom-contacts.ndjson": first + "\n" + second[: len(second) // 2] + "\n"}
    )
    assert rows(conn, "select contact_id from raw.contacts order by 1") == [(ELENA,), (OMAR,)]
    assert rows(conn, "select row_number, reason from raw.quarantine") == [(2, "not valid JSON")]
    assert rows(
        conn,
        "select rows_read, rows_loaded, rows_quarantined, records_read from ops.load_ledger",
    ) == [(3, 2, 1, 3)]
    assert unbalanced_files(conn, "contacts") == []


def test_the_same_files_dropped_twice_change_nothing(warehouse):
    conn, paths = warehouse
    before = snapshot(conn)
    assert ingest_inbox(conn, paths) == []  # a rerun over the same inbox
    for path in sorted(FIXTURE.iterdir()):  # the same bytes again, saved under other names
        if path.suffix != ".md":
            shutil.copy(path, paths.inbox / f"intercom-{path.stem}-copy{path.suffix}")
    assert ingest_inbox(conn, paths) == []
    assert snapshot(conn) == before


def test_a_later_fetch_s_newer_records_win_and_older_ones_do_not(warehouse):
    conn, paths = warehouse
    lines = (FIXTURE / "conversations.ndjson").read_text().splitlines()
    c2741, c2743 = json.loads(lines[0]), json.loads(lines[3])
    # 2741 as fetched before it was closed and rated: older than what is stored.
    c2741.update({"state": "open", "updated_at": c2741["created_at"] + 600})
    c2741["conversation_rating"] = None
    del c2741["conversation_parts"]["conversation_parts"][2:]
    # 2743 after Grace's next reply, closed.
    parts = c2743["conversation_parts"]["conversation_parts"]
    parts.append(dict(parts[0], id="19530003", body="<p>Fine, we will take Pro.</p>"))
    c2743.update({"state": "closed", "updated_at": c2743["updated_at"] + 3600})
    (paths.inbox / "conversations-2026-01-10.ndjson").write_text(
        json.dumps(c2741) + "\n" + json.dumps(c2743) + "\n"
    )
    page = json.loads((FIXTURE / "contacts-page-2.json").read_text())
    grace = page["data"][0]
    grace["custom_attributes"]["job_title"] = "Founder"
    grace["updated_at"] += 86400
    (paths.inbox / "contacts-2026-01-10.json").write_text(
        json.dumps({"type": "list", "data": [grace], "total_count": 1})
    )
    assert ingest_inbox(conn, paths) == []
    assert rows(
        conn,
        "select ticket_id, status from raw.tickets where ticket_id not like 'ic-ticket-%' order by 1",
    ) == [
        ("ic-2741", "closed"),
        ("ic-2742", "pending"),
        ("ic-2743", "closed"),
    ]
    assert rows(conn, f"select role from raw.contacts where contact_id = '{GRACE}'") == [
        ("Founder",)
    ]
    assert rows(conn, "select body from raw.interactions where interaction_id = 'ic-19530003'") == [
        ("Fine, we will take Pro.",)
    ]
    # The older fetch took nothing away: 2741's rating and later replies stay.
    assert rows(conn, "select count(*) from raw.interactions where ticket_id = 'ic-2741'") == [(3,)]
    assert rows(conn, "select response_id from raw.surveys") == [("ic-rating-2741",)]
    assert rows(
        conn,
        "select entity, rows_read, rows_loaded, rows_superseded, rows_older_than_stored "
        "from ops.load_ledger where file_name like '%2026-01-10%' order by 1",
    ) == [
        ("contacts", 1, 1, 0, 0),
        # 2741's opening message carries the older fetch's version: the stored one stays. Its
        # reply carries its own, unchanged version: stored again as it was.
        ("interactions", 5, 4, 1, 1),
        ("surveys", 0, 0, 0, 0),
        ("tickets", 2, 1, 1, 1),
    ]
