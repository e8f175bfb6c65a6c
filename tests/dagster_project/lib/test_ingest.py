"""Ingesting the inbox: every row and record reconciled per file; a file loads whole or not at all."""

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from dagster_project.lib.contract import ENTITIES
from dagster_project.lib.ingest import ingest_entity, triage_inbox, unbalanced_files
from dagster_project.lib.settings import WarehousePaths
from dagster_project.lib.warehouse_schema import ensure_schema

FIXTURES = Path(__file__).parent / "fixtures"
# The order the Dagster ingest assets run in: lookups need contacts and tickets first.
ORDER = ("accounts", "contacts", "tickets", "interactions", "surveys", "deals")


@pytest.fixture
def warehouse(tmp_path):
    paths = WarehousePaths(tmp_path)
    paths.inbox.mkdir(parents=True)
    conn = duckdb.connect()
    ensure_schema(conn)
    yield conn, paths
    conn.close()


def run(conn, paths: WarehousePaths, triage: bool = True) -> tuple[dict, dict, list[str]]:
    """One ingest run as the Dagster job does it; returns rejections, reports and log lines."""
    log: list[str] = []
    rejected = triage_inbox(conn, paths, log.append) if triage else {}
    reports = {e: ingest_entity(conn, paths, e, log.append) for e in ORDER}
    for report in reports.values():
        rejected.update(report.rejected)
    return rejected, reports, log


def ledger(conn, *columns: str) -> list[tuple]:
    return conn.execute(
        f"select file_name, entity, {', '.join(columns)} from ops.load_ledger "
        "where status = 'loaded' order by 1, 2"
    ).fetchall()


def test_every_record_of_a_file_is_mapped_or_skipped_and_every_row_has_a_fate(warehouse):
    conn, paths = warehouse
    shutil.copytree(FIXTURES / "zendesk", paths.inbox, dirs_exist_ok=True)
    rejected, _, _ = run(conn, paths)
    assert rejected == {}
    counts = {
        (f, e): rest
        for f, e, *rest in ledger(
            conn, "records_read", "records_mapped", "records_skipped", "rows_read"
        )
    }
    # Two tickets: both are tickets, both have comments (three rows), one is rated.
    export = "zendesk-export-2026-01-15.json"
    assert counts[(export, "tickets")] == [2, 2, 0, 2]
    assert counts[(export, "interactions")] == [2, 2, 0, 3]
    assert counts[(export, "surveys")] == [2, 1, 1, 1]
    # The users export: an end user is a contact, the agent is not.
    assert counts[("zendesk-users.json", "contacts")] == [2, 1, 1, 1]
    for entity in ENTITIES:
        assert unbalanced_files(conn, entity) == []


@pytest.mark.parametrize(
    ("entity", "change", "problem"),
    [
        ("interactions", "rows_loaded = rows_loaded - 1", "rows read <> loaded"),
        ("interactions", "rows_quarantined = rows_quarantined + 1", "rows read <> loaded"),
        ("surveys", "records_skipped = records_skipped - 1", "records read <> mapped + skipped"),
        ("contacts", "records_mapped = null", "a record count is missing"),
        ("tickets", "records_mapped = 3, records_skipped = -1", "a count is negative"),
        ("interactions", "records_mapped = 4, records_read = 4", "more records mapped"),
    ],
)
def test_reconciliation_names_a_file_whose_rows_or_records_do_not_add_up(
    warehouse, entity, change, problem
):
    conn, paths = warehouse
    shutil.copytree(FIXTURES / "zendesk", paths.inbox, dirs_exist_ok=True)
    run(conn, paths)
    conn.execute(f"update ops.load_ledger set {change} where entity = $e", {"e": entity})
    (found,) = unbalanced_files(conn, entity)
    assert found["problem"].startswith(problem)
    assert found["file_name"].startswith("zendesk-")


def test_ledger_entries_from_before_records_were_counted_are_checked_by_rows(warehouse):
    conn, paths = warehouse
    shutil.copytree(FIXTURES / "zendesk", paths.inbox, dirs_exist_ok=True)
    run(conn, paths)
    conn.execute("update ops.load_ledger set records_read = null, records_mapped = null")
    assert unbalanced_files(conn, "interactions") == []
    conn.execute("update ops.load_ledger set rows_superseded = rows_superseded + 1")
    assert len(unbalanced_files(conn, "interactions")) == 1


# A user's export feeding two entities: each row is a contact and one e-mail from them.
TWO_ENTITIES_CSV = "id,company,email,sent,meta,message\n" + "".join(
    f'c{n},a1,p{n}@x.io,2026-01-0{n},"{{""sent"": ""2026-01-0{n}""}}",hello {n}\n'
    for n in range(1, 4)
)


def two_entity_mapping(occurred_at: str) -> str:
    return f"""
outputs:
  - entity: contacts
    columns: {{contact_id: id, account_id: company, email: email}}
  - entity: interactions
    columns:
      interaction_id: id
      account_id: company
      contact_id: id
      channel: {{const: email}}
      direction: {{const: inbound}}
      author_type: {{const: customer}}
      occurred_at: {occurred_at}
      body: message
"""


def write_export(paths: WarehousePaths, csv: str, mapping: str, name: str = "crm-dump.csv"):
    (paths.inbox / name).write_text(csv, encoding="utf-8")
    (paths.inbox / f"{name}.mapping.yaml").write_text(mapping, encoding="utf-8")
    return paths.inbox / name


def stored(conn) -> tuple[int, int]:
    return (
        conn.execute("select count(*) from raw.contacts").fetchall()[0][0],
        conn.execute("select count(*) from raw.interactions").fetchall()[0][0],
    )


@pytest.mark.parametrize("triage", [True, False])
def test_a_file_one_of_whose_entities_lacks_a_required_column_loads_nothing(warehouse, triage):
    conn, paths = warehouse
    write_export(paths, TWO_ENTITIES_CSV, two_entity_mapping("sent_at"))  # no such column
    rejected, _, log = run(conn, paths, triage=triage)
    # Contacts would load on their own; the file is rejected whole before any of it loads.
    assert stored(conn) == (0, 0)
    reason = rejected["crm-dump.csv"]
    assert "'sent_at'" in reason and "interactions.occurred_at" in reason
    assert "nothing of this file is loaded" in reason and "contacts" in reason
    assert log == [reason]
    assert not (paths.inbox / "crm-dump.csv").exists()
    assert (paths.rejected / "crm-dump.csv.error.txt").read_text().strip() == reason
    assert conn.execute("select entity, status from ops.load_ledger").fetchall() == [
        (None, "rejected")
    ]


def test_a_value_one_entitys_mapping_cannot_process_rejects_the_whole_file(warehouse):
    conn, paths = warehouse
    # The interactions take their time from JSON in a column; one row holds no JSON there.
    csv = TWO_ENTITIES_CSV.replace('"{""sent"": ""2026-01-02""}"', "not json")
    write_export(paths, csv, two_entity_mapping("meta.sent"))
    rejected, _, _ = run(conn, paths, triage=False)
    assert stored(conn) == (0, 0)
    assert "Malformed JSON" in rejected["crm-dump.csv"]


def test_the_corrected_file_then_loads_every_entity(warehouse):
    conn, paths = warehouse
    write_export(paths, TWO_ENTITIES_CSV, two_entity_mapping("sent_at"))
    run(conn, paths)
    write_export(paths, TWO_ENTITIES_CSV, two_entity_mapping("sent"))
    rejected, _, _ = run(conn, paths)
    assert rejected == {} and stored(conn) == (3, 3)
    assert [r[:2] for r in ledger(conn, "rows_loaded")] == [
        ("crm-dump.csv", "contacts"),
        ("crm-dump.csv", "interactions"),
    ]


def test_a_zendesk_export_without_satisfaction_ratings_holds_no_surveys(warehouse):
    # Not a missing column: the surveys are filtered on a rating no ticket has, so none exist.
    conn, paths = warehouse
    tickets = []
    for line in (FIXTURES / "zendesk" / "zendesk-export-2026-01-15.json").read_text().splitlines():
        ticket = json.loads(line)
        ticket.pop("satisfaction_rating", None)
        tickets.append(json.dumps(ticket))
    (paths.inbox / "zendesk-export-2026-02.json").write_text("\n".join(tickets) + "\n")
    shutil.copy(FIXTURES / "zendesk" / "zendesk-users.json", paths.inbox)
    rejected, reports, _ = run(conn, paths)
    assert rejected == {}
    assert conn.execute("select count(*) from raw.tickets").fetchall() == [(2,)]
    assert conn.execute("select count(*) from raw.interactions").fetchall() == [(3,)]
    (surveys,) = reports["surveys"].new_files
    assert (surveys.rows_read, surveys.records_read, surveys.records_skipped) == (0, 2, 2)


def test_a_storage_failure_after_the_checks_keeps_the_file_for_the_next_run(warehouse, monkeypatch):
    # Unit test: a database error while storing checked rows (disk full) is simulated.
    import dagster_project.lib.loader as loader

    conn, paths = warehouse
    path = write_export(paths, TWO_ENTITIES_CSV, two_entity_mapping("sent"))
    real = loader._upsert

    def disk_full(conn, file_name, entity, at):
        if entity.name == "interactions":
            raise duckdb.IOException("No space left on device")
        return real(conn, file_name, entity, at)

    monkeypatch.setattr(loader, "_upsert", disk_full)
    with pytest.raises(duckdb.IOException):
        run(conn, paths)
    # The contacts committed; the interactions rolled back, quarantine and ledger entry too.
    assert stored(conn) == (3, 0)
    assert [r[1] for r in ledger(conn, "rows_loaded")] == ["contacts"]
    assert path.exists() and not paths.rejected.exists()

    monkeypatch.setattr(loader, "_upsert", real)
    rejected, reports, _ = run(conn, paths)
    assert rejected == {} and stored(conn) == (3, 3)
    assert [r.status for r in reports["contacts"].loaded] == ["already_loaded"]
    assert [r.status for r in reports["interactions"].loaded] == ["loaded"]
