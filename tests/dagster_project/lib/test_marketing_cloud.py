"""Marketing Cloud's tracking extract (fixtures/marketing_cloud, from its public docs): sends,
opens and clicks are engagement events of the CRM contact the SubscriberKey names, at the UTC
time of the Central Standard Time the extract writes; other event kinds are counted, not loaded."""

import shutil

import pytest

from dagster_project.lib.adapters import recognize
from tests.support.exports import FIXTURES, load_exports

GRACE = "sf-0035e00000C1CCC"  # Contact.csv's Grace Ng, keyed by her contact Id


def rows(conn, sql):
    return conn.execute(sql).fetchall()


@pytest.mark.parametrize("name", ["Sent.csv", "Opens.csv", "Clicks.csv", "Bounces.csv"])
def test_every_extract_file_is_recognized_by_its_columns(tmp_path, name):
    renamed = tmp_path / f"tracking-{name.lower()}"
    shutil.copy(FIXTURES / "marketing_cloud" / name, renamed)
    assert recognize(renamed).source == "salesforce/tracking_extract"


def test_sends_opens_and_clicks_are_the_contact_s_email_engagement(tmp_path):
    conn, _ = load_exports(["salesforce", "marketing_cloud"], tmp_path)
    assert rows(
        conn,
        "select contact_id, event_type, occurred_at::varchar from raw.engagement_events "
        "where event_id like 'sf-88%' order by occurred_at, event_type",
    ) == [
        # 8:00 AM Central Standard Time is 14:00 UTC.
        (GRACE, "email_sent", "2026-01-12 14:00:00"),
        ("sf-jane.doe@unknown.example", "email_sent", "2026-01-12 14:00:00"),
        (GRACE, "email_open", "2026-01-12 15:14:27"),
        (GRACE, "email_click", "2026-01-12 15:15:03"),
        # A second open of the same send is another event.
        (GRACE, "email_open", "2026-01-13 22:40:02"),
        (GRACE, "email_sent", "2026-01-19 14:00:00"),
    ]
    # The bounce is a record of the extract holding no engagement: counted as skipped.
    assert rows(
        conn,
        "select file_name, records_read, records_mapped, records_skipped, rows_loaded "
        "from ops.load_ledger where entity = 'engagement_events' "
        "and file_name in ('Sent.csv', 'Opens.csv', 'Clicks.csv', 'Bounces.csv') order by 1",
    ) == [
        ("Bounces.csv", 1, 0, 1, 0),
        ("Clicks.csv", 1, 1, 0, 1),
        ("Opens.csv", 2, 2, 0, 2),
        ("Sent.csv", 3, 3, 0, 3),
    ]
    assert rows(conn, "select count(*) from raw.quarantine") == [(0,)]


def test_the_same_extract_dropped_again_adds_nothing(tmp_path):
    conn, _ = load_exports(["marketing_cloud"], tmp_path / "first")
    before = rows(conn, "select * exclude (_loaded_at) from raw.engagement_events order by 1")
    load_exports(["marketing_cloud"], tmp_path / "first", conn=conn)
    after = rows(conn, "select * exclude (_loaded_at) from raw.engagement_events order by 1")
    assert len(before) == 6 and after == before
