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


@pytest.mark.parametrize("page", ["companies", "contacts", "tickets", "deals"])
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
    # Pipeline stage ids 3 and 4 of the default support pipeline: waiting on us, closed.
    assert conn.execute(
        "select ticket_id, account_id, contact_id, status, priority, closed_at::varchar "
        "from raw.tickets order by 1"
    ).fetchall() == [
        ("hs-7201", "hs-9201", "hs-621", "open", "high", None),
        ("hs-7202", None, "hs-622", "closed", "low", "2026-01-13 10:00:00"),
    ]
    # The form ticket's description is the customer's first message; the email ticket's
    # repeats its email, which the emails export holds.
    assert conn.execute(
        "select interaction_id, account_id, ticket_id, channel, direction, author_type, subject "
        "from raw.interactions"
    ).fetchall() == [
        ("hs-desc-7201", "hs-9201", "hs-7201", "ticket_comment", "inbound", "customer",
         "Booking page shows no free slots"),
    ]  # fmt: skip
    # Closed and won from HubSpot's flags where the page has them (any pipeline: 5203's stage
    # is a custom pipeline's id), else from the default pipeline's stage (5201). An open deal
    # (5202) has no close.
    assert conn.execute(
        "select deal_id, account_id, stage, amount, closed_at::varchar, outcome, deal_type "
        "from raw.deals order by 1"
    ).fetchall() == [
        ("hs-5201", "hs-9201", "closedwon", 12000.0, "2026-01-09 17:00:00", "won", "renewal"),
        ("hs-5202", "hs-9202", "presentationscheduled", 4000.0, None, None, "renewal"),
        ("hs-5203", "hs-9201", "98765432", 9600.0, "2026-01-15 16:30:00", "lost", "renewal"),
    ]
    assert conn.execute("select count(*) from raw.quarantine").fetchall() == [(0,)]


def test_the_same_pages_again_change_nothing(loaded):
    conn, paths = loaded
    before = snapshot(conn)
    assert ingest_inbox(conn, paths) == []
    assert snapshot(conn) == before
