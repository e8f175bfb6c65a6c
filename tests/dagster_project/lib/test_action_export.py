"""The open action queue as HubSpot and Salesforce task imports."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import duckdb
import pytest

from dagster_project.lib.action_export import (
    HUBSPOT_COLUMNS,
    SALESFORCE_COLUMNS,
    export_open_queue,
    main,
    read_open_actions,
)

# action_id, account_id, account_name, action_label, reason, evidence, owner, priority,
# task_type, due_date, is_open
QUEUE = [
    ("a1", "hs-901", "Acme", "Intervention call", "high_churn_risk", "churn risk 61/100; renewal due", "owner-77", "high", "call", date(2026, 11, 3), True),
    ("a2", "sf-001A000001", "Birch", "Billing review", "billing_concern", "billing concern in 2 messages", "005A0000001abcD", "medium", "todo", date(2026, 11, 8), True),
    ("a3", "ACC-3", "Cedar", "Loyalty reward or advocate invitation", "promoter_praise", "NPS 10", "pia@vendor.example", "low", "email", date(2026, 11, 15), True),
    ("a4", "ACC-4", "Dune", "Route to a senior agent", "stale_tickets", "TKT-1", "senior_support", "high", "todo", date(2026, 11, 3), False),
]  # fmt: skip


@pytest.fixture
def conn() -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    c.execute("create schema marts")
    c.execute(
        """create table marts.fct_action_queue (action_id varchar, account_id varchar,
        account_name varchar, action_label varchar, reason varchar, evidence varchar,
        owner varchar, priority varchar, task_type varchar, due_date date, is_open boolean)"""
    )
    c.executemany("insert into marts.fct_action_queue values (?,?,?,?,?,?,?,?,?,?,?)", QUEUE)
    return c


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def test_only_open_actions_highest_priority_first(conn) -> None:
    actions = read_open_actions(conn)
    assert [a.action_id for a in actions] == ["a1", "a2", "a3"]


def test_hubspot_tasks_use_the_task_properties(conn, tmp_path: Path) -> None:
    paths = export_open_queue(conn, tmp_path)
    header, rows = _read(paths["hubspot"])
    assert header == list(HUBSPOT_COLUMNS)
    first = rows[0]
    assert first["hs_task_subject"] == "Intervention call: Acme"
    assert first["hs_timestamp"] == "2026-11-03"
    assert (first["hs_task_status"], first["hs_task_priority"], first["hs_task_type"]) == (
        "NOT_STARTED",
        "HIGH",
        "CALL",
    )
    assert first["hubspot_owner_id"] == "77"  # a HubSpot owner id, our prefix removed
    assert first["Company Record ID"] == "901"  # HubSpot's own company id
    assert "churn risk 61/100" in first["hs_task_body"]
    assert first["crm_emotion_action_id"] == "a1"
    # Accounts from elsewhere have no HubSpot record id; owners stay as e-mails.
    assert (
        rows[2]["Company Record ID"] == "" and rows[2]["hubspot_owner_id"] == "pia@vendor.example"
    )
    assert [r["hs_task_type"] for r in rows] == ["CALL", "TODO", "EMAIL"]


def test_salesforce_tasks_use_the_task_fields(conn, tmp_path: Path) -> None:
    paths = export_open_queue(conn, tmp_path)
    header, rows = _read(paths["salesforce"])
    assert header == list(SALESFORCE_COLUMNS)
    birch = rows[1]
    assert (birch["Subject"], birch["ActivityDate"], birch["Status"]) == (
        "Billing review: Birch",
        "2026-11-08",
        "Not Started",
    )
    assert (birch["Priority"], birch["TaskSubtype"]) == ("Normal", "Task")
    assert birch["WhatId"] == "001A000001" and birch["OwnerId"] == "005A0000001abcD"
    # An owner that is no Salesforce user id is left for a lookup, never put in OwnerId.
    assert rows[0]["OwnerId"] == "" and rows[0]["Owner"] == "owner-77" and rows[0]["WhatId"] == ""
    assert [r["Priority"] for r in rows] == ["High", "Normal", "Low"]


def test_an_empty_queue_writes_headers_only(conn, tmp_path: Path) -> None:
    conn.execute("update marts.fct_action_queue set is_open = false")
    paths = export_open_queue(conn, tmp_path)
    for name, columns in (("hubspot", HUBSPOT_COLUMNS), ("salesforce", SALESFORCE_COLUMNS)):
        header, rows = _read(paths[name])
        assert header == list(columns) and rows == []


def test_cli_reads_a_database_file(conn, tmp_path: Path, capsys) -> None:
    db = tmp_path / "serving.duckdb"
    conn.execute(f"attach '{db}' as out")
    conn.execute("create schema out.marts")
    conn.execute("create table out.marts.fct_action_queue as select * from marts.fct_action_queue")
    conn.execute("detach out")
    assert main([str(db), str(tmp_path / "export")]) == 0
    assert (tmp_path / "export" / "hubspot_tasks.csv").exists()
    assert "salesforce" in capsys.readouterr().out
    assert main([]) == 2
