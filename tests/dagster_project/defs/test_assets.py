"""Assets run through Dagster's own `materialize` against a warehouse in a temporary folder."""

import dagster as dg
import duckdb
import pytest

from dagster_project.defs.ingest.assets import inbox_triage, ingest_assets
from dagster_project.defs.ingest.checks import reconciliation_checks
from dagster_project.defs.scoring.assets import interaction_scores
from dagster_project.defs.warehouse.resources import WarehouseResource

HEADER = "interaction_id,account_id,contact_id,ticket_id,channel,direction,author_type,occurred_at,subject,body"


@pytest.fixture
def warehouse_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_DIR", str(tmp_path))
    monkeypatch.setenv("SCORING_PROCESSES", "1")
    (tmp_path / "inbox").mkdir()
    return tmp_path


def materialize(*assets: dg.AssetsDefinition) -> dg.ExecuteInProcessResult:
    """The triage and ingest assets (with their checks) plus ``assets``, in one run."""
    return dg.materialize(
        [inbox_triage, *ingest_assets, *assets, *reconciliation_checks],
        resources={"warehouse": WarehouseResource()},
        raise_on_error=False,
    )


def materialization(result: dg.ExecuteInProcessResult, *key: str) -> dict:
    (event,) = [
        m for m in result.get_asset_materialization_events() if m.asset_key == dg.AssetKey(key)
    ]
    return event.materialization.metadata


def test_ingest_triage_and_scoring_assets(warehouse_dir):
    inbox = warehouse_dir / "inbox"
    (inbox / "interactions.csv").write_text(
        HEADER + "\ni1,a1,,,email,inbound,customer,2026-01-01,,Thanks for nothing.\n"
        "i2,a1,,,email,inbound,customer,soon,,bad date\n",
        encoding="utf-8",
    )
    (inbox / "mystery.csv").write_text("a,b\n1,2\n", encoding="utf-8")

    result = materialize(interaction_scores)
    assert result.success
    ingest = materialization(result, "raw", "interactions")
    assert ingest["rows_loaded"].value == 1 and ingest["rows_quarantined"].value == 1
    triage = materialization(result, "ops", "inbox_triage")
    assert triage["rejected_files"].value == 1
    assert (warehouse_dir / "rejected" / "mystery.csv.error.txt").exists()
    checks = result.get_asset_check_evaluations()
    assert checks and all(c.passed for c in checks)

    with duckdb.connect(str(warehouse_dir / "warehouse.duckdb"), read_only=True) as conn:
        assert conn.execute(
            "select interaction_id, sentiment_label from scores.interaction_scores"
        ).fetchall() == [("i1", "negative")]


def test_reconciliation_check_blocks_when_a_row_is_unaccounted_for(warehouse_dir):
    (warehouse_dir / "inbox" / "interactions.csv").write_text(
        HEADER + "\ni1,a1,,,email,inbound,customer,2026-01-01,,fine\n", encoding="utf-8"
    )
    first = materialize()
    assert first.success and all(c.passed for c in first.get_asset_check_evaluations())

    # A row read but neither loaded, quarantined, duplicate nor superseded.
    with duckdb.connect(str(warehouse_dir / "warehouse.duckdb")) as conn:
        conn.execute("update ops.load_ledger set rows_loaded = 0 where entity = 'interactions'")
    second = materialize()
    failed = [c for c in second.get_asset_check_evaluations() if not c.passed]
    assert [c.asset_key for c in failed] == [dg.AssetKey(["raw", "interactions"])]
    (row,) = failed[0].metadata["unbalanced_files"].value
    assert row["file_name"] == "interactions.csv" and row["problem"].startswith("rows read")
    assert not second.success  # the check is blocking


def test_a_multi_entity_file_that_cannot_load_whole_is_rejected_by_triage(warehouse_dir):
    inbox = warehouse_dir / "inbox"
    (inbox / "crm-dump.csv").write_text("id,company,when\nc1,a1,2026-01-01\n", encoding="utf-8")
    (inbox / "crm-dump.csv.mapping.yaml").write_text(
        "outputs:\n"
        "  - {entity: contacts, columns: {contact_id: id, account_id: company}}\n"
        "  - entity: interactions\n"
        "    columns: {interaction_id: id, account_id: company, channel: {const: email},\n"
        "              direction: {const: inbound}, author_type: {const: customer},\n"
        "              occurred_at: sent_at}\n",
        encoding="utf-8",
    )
    result = materialize()
    assert result.success
    triage = materialization(result, "ops", "inbox_triage")
    assert list(triage["rejected"].value) == ["crm-dump.csv"]
    assert materialization(result, "raw", "contacts")["new_files"].value == 0
    with duckdb.connect(str(warehouse_dir / "warehouse.duckdb"), read_only=True) as conn:
        assert conn.execute("select count(*) from raw.contacts").fetchall() == [(0,)]
