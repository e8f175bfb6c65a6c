"""The open action queue (marts.fct_action_queue) as CSV files a CRM imports as tasks.

HubSpot: a task import (Import > activities > tasks). The headers are the task properties' internal
names, which the import tool maps on its own (developers.hubspot.com, "Tasks": hs_timestamp is the
due date and required, hs_task_subject, hs_task_body, hs_task_status NOT_STARTED/COMPLETED,
hs_task_priority LOW/MEDIUM/HIGH, hs_task_type EMAIL/CALL/TODO, hubspot_owner_id). The company
the task is about goes in `Company Record ID` (HubSpot's record id, for accounts that came from
HubSpot: our `hs-` ids) and `Company Name`; `crm_emotion_action_id` keeps our id for the round trip
(skip it in the import, or map it to a custom property).

Salesforce: Task records for Data Loader or the Data Import Wizard, by API field name (Task object
reference: Subject, Description, ActivityDate as YYYY-MM-DD, Status "Not Started", Priority
High/Normal/Low, TaskSubtype Task/Email/Call, OwnerId a User id, WhatId the Account id). WhatId and
OwnerId are filled only where we hold Salesforce's own ids (`sf-` accounts; owners that are user
ids); `Owner` carries the owner as we know it, for a lookup before import.
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

_OPEN_ACTIONS_SQL = """
select action_id, account_id, account_name, action_label, reason, evidence, owner, priority,
       task_type, due_date
from marts.fct_action_queue
where is_open
order by case priority when 'high' then 0 when 'medium' then 1 else 2 end, due_date, account_id,
         action_id
"""

HUBSPOT_COLUMNS = (
    "hs_task_subject",
    "hs_task_body",
    "hs_timestamp",
    "hs_task_status",
    "hs_task_priority",
    "hs_task_type",
    "hubspot_owner_id",
    "Company Record ID",
    "Company Name",
    "crm_emotion_action_id",
)
SALESFORCE_COLUMNS = (
    "Subject",
    "Description",
    "ActivityDate",
    "Status",
    "Priority",
    "TaskSubtype",
    "OwnerId",
    "WhatId",
    "Owner",
    "crm_emotion_action_id__c",
)
_HUBSPOT_PRIORITY = {"high": "HIGH", "medium": "MEDIUM", "low": "LOW"}
_HUBSPOT_TYPE = {"call": "CALL", "email": "EMAIL", "todo": "TODO"}
_SALESFORCE_PRIORITY = {"high": "High", "medium": "Normal", "low": "Low"}
_SALESFORCE_SUBTYPE = {"call": "Call", "email": "Email", "todo": "Task"}
# A Salesforce User id: key prefix 005, 15 or 18 characters.
_SALESFORCE_USER_ID = re.compile(r"^005[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?$")


@dataclass(frozen=True)
class OpenAction:
    """One open row of marts.fct_action_queue, as the exports need it."""

    action_id: str
    account_id: str
    account_name: str | None
    action_label: str
    reason: str
    evidence: str | None
    owner: str | None
    priority: str
    task_type: str
    due_date: date


def read_open_actions(conn: duckdb.DuckDBPyConnection) -> list[OpenAction]:
    """The open actions, highest priority and earliest due first."""
    return [OpenAction(*row) for row in conn.execute(_OPEN_ACTIONS_SQL).fetchall()]


def _subject(action: OpenAction) -> str:
    return f"{action.action_label}: {action.account_name or action.account_id}"


def _body(action: OpenAction) -> str:
    return f"Why: {action.reason.replace('_', ' ')}. Evidence: {action.evidence or '-'}"


def _native_id(account_id: str, prefix: str) -> str:
    """The vendor's own id of an account we loaded from it, else ''.

    >>> _native_id("hs-123", "hs-"), _native_id("sf-001A", "hs-")
    ('123', '')
    """
    return account_id[len(prefix) :] if account_id.startswith(prefix) else ""


def hubspot_task_rows(actions: Iterable[OpenAction]) -> list[dict[str, str]]:
    """One HubSpot task import row per action (headers: HUBSPOT_COLUMNS)."""
    rows = []
    for a in actions:
        owner = a.owner or ""
        rows.append(
            {
                "hs_task_subject": _subject(a),
                "hs_task_body": _body(a),
                "hs_timestamp": a.due_date.isoformat(),
                "hs_task_status": "NOT_STARTED",
                "hs_task_priority": _HUBSPOT_PRIORITY[a.priority],
                "hs_task_type": _HUBSPOT_TYPE[a.task_type],
                # HubSpot owners we loaded carry "owner-"; others (e-mails) match by e-mail.
                "hubspot_owner_id": owner.removeprefix("owner-"),
                "Company Record ID": _native_id(a.account_id, "hs-"),
                "Company Name": a.account_name or "",
                "crm_emotion_action_id": a.action_id,
            }
        )
    return rows


def salesforce_task_rows(actions: Iterable[OpenAction]) -> list[dict[str, str]]:
    """One Salesforce Task row per action (headers: SALESFORCE_COLUMNS)."""
    rows = []
    for a in actions:
        owner = a.owner or ""
        rows.append(
            {
                "Subject": _subject(a)[:255],
                "Description": _body(a),
                "ActivityDate": a.due_date.isoformat(),
                "Status": "Not Started",
                "Priority": _SALESFORCE_PRIORITY[a.priority],
                "TaskSubtype": _SALESFORCE_SUBTYPE[a.task_type],
                "OwnerId": owner if _SALESFORCE_USER_ID.match(owner) else "",
                "WhatId": _native_id(a.account_id, "sf-"),
                "Owner": owner,
                "crm_emotion_action_id__c": a.action_id,
            }
        )
    return rows


def write_csv(rows: Sequence[dict[str, str]], columns: Sequence[str], path: Path) -> Path:
    """UTF-8 CSV with a header row (written even when there are no rows)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(columns))
        writer.writeheader()
        writer.writerows(rows)
    return path


def export_open_queue(conn: duckdb.DuckDBPyConnection, out_dir: Path) -> dict[str, Path]:
    """Write hubspot_tasks.csv and salesforce_tasks.csv of the open queue into `out_dir`."""
    actions = read_open_actions(conn)
    return {
        "hubspot": write_csv(
            hubspot_task_rows(actions), HUBSPOT_COLUMNS, out_dir / "hubspot_tasks.csv"
        ),
        "salesforce": write_csv(
            salesforce_task_rows(actions), SALESFORCE_COLUMNS, out_dir / "salesforce_tasks.csv"
        ),
    }


def main(argv: list[str] | None = None) -> int:
    """python -m dagster_project.lib.action_export DATABASE OUT_DIR (e.g. serving.duckdb)."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print(main.__doc__, file=sys.stderr)
        return 2
    conn = duckdb.connect(args[0], read_only=True)
    try:
        paths = export_open_queue(conn, Path(args[1]))
    finally:
        conn.close()
    for name, path in paths.items():
        print(f"{name}: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
