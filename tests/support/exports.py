"""Load folders of vendor export fixtures into an in-memory warehouse, as the ingest assets do."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from dagster_project.lib.contract import ENTITIES
from dagster_project.lib.ingest import IngestReport, ingest_entity, triage_inbox
from dagster_project.lib.settings import WarehousePaths
from dagster_project.lib.warehouse_schema import ensure_schema

FIXTURES = Path(__file__).resolve().parents[1] / "dagster_project" / "lib" / "fixtures"


# The raw tables a vendor fixture fills, and the quarantine, as compared between two loads.
SNAPSHOT_TABLES = ("accounts", "contacts", "tickets", "interactions", "surveys", "quarantine")


def ingest_inbox(conn: duckdb.DuckDBPyConnection, paths: WarehousePaths) -> list[str]:
    """One ingest run as the Dagster job does it (triage, then every entity); what it logged."""
    log: list[str] = []
    triage_inbox(conn, paths, log.append)
    for entity in ENTITIES:
        ingest_entity(conn, paths, entity, log.append)
    return log


def snapshot(conn: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """The raw tables and the ledger's counts, load times left out: equal after a no-op rerun."""
    out = {}
    for table in SNAPSHOT_TABLES:
        drop = "quarantined_at" if table == "quarantine" else "_loaded_at"
        out[table] = conn.execute(
            f"select * exclude ({drop}) from raw.{table} order by all"
        ).fetchall()
    out["ledger"] = conn.execute(
        "select file_hash, file_name, entity, status, rows_read, rows_loaded, rows_quarantined, "
        "rows_duplicate, rows_superseded, records_read, records_mapped, records_skipped "
        "from ops.load_ledger order by all"
    ).fetchall()
    return out


def load_exports(
    folders: list[str | Path], warehouse_dir: Path, conn: duckdb.DuckDBPyConnection | None = None
) -> tuple[duckdb.DuckDBPyConnection, dict[str, IngestReport]]:
    """Copy each fixture folder (a name under fixtures/, or a path) into the inbox and run triage
    and every entity's ingest; every file must load without a message."""
    paths = WarehousePaths(warehouse_dir)
    for folder in folders:
        shutil.copytree(FIXTURES / folder, paths.inbox, dirs_exist_ok=True)
    for readme in paths.inbox.glob("README*"):
        readme.unlink()
    if conn is None:
        conn = duckdb.connect()
        ensure_schema(conn)
    messages: list[str] = []
    assert triage_inbox(conn, paths, messages.append) == {}
    reports = {e: ingest_entity(conn, paths, e, messages.append) for e in ENTITIES}
    assert messages == []
    return conn, reports
