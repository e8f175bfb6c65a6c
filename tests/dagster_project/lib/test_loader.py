"""Loading one file: every row is loaded, quarantined or counted; bad files are rejected clearly."""

import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dagster_project.lib.contract import ENTITIES
from dagster_project.lib.loader import RejectedFileError, load_file
from dagster_project.lib.warehouse_schema import ensure_schema

HEADER = "interaction_id,account_id,contact_id,ticket_id,channel,direction,author_type,occurred_at,subject,body"


@pytest.fixture
def conn():
    c = duckdb.connect()
    ensure_schema(c)
    yield c
    c.close()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_good_bad_duplicate_and_superseded_rows_are_all_accounted_for(conn, tmp_path):
    path = write(
        tmp_path,
        "interactions.csv",
        HEADER
        + "\n"
        + 'i1,a1,,,email,inbound,customer,2026-01-01 10:00:00,Hi,"two\nlines"\n'
        + 'i1,a1,,,email,inbound,customer,2026-01-01 10:00:00,Hi,"two\nlines"\n'  # exact copy
        + "i2,a1,,,chat,inbound,customer,not a date,,hello\n"  # bad timestamp
        + ",a1,,,chat,inbound,customer,2026-01-01 10:00:00,,no id\n"  # missing key
        + "i3,a1,,,fax,inbound,customer,2026-01-01 10:00:00,,bad channel\n"
        + "i4,a1,,,CHAT,Inbound,customer,2026-01-02,,first\n"
        + "i4,a1,,,chat,inbound,customer,2026-01-03,,second\n",  # same key later: wins
    )
    result = load_file(conn, path, "interactions")

    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (7, 2, 3)
    assert (result.rows_duplicate, result.rows_superseded) == (1, 1)
    assert result.rows_accounted == result.rows_read
    rows = conn.execute(
        "select interaction_id, channel, direction, body from raw.interactions order by 1"
    ).fetchall()
    assert rows == [("i1", "email", "inbound", "two\nlines"), ("i4", "chat", "inbound", "second")]
    quarantined = conn.execute(
        "select row_number, column_name, reason, raw_row from raw.quarantine order by row_number"
    ).fetchall()
    assert [(r[0], r[1]) for r in quarantined] == [
        (3, "occurred_at"),
        (4, "interaction_id"),
        (5, "channel"),
    ]
    assert "expected timestamp" in quarantined[0][2]
    assert json.loads(quarantined[0][3])["occurred_at"] == "not a date"


def test_same_file_twice_loads_once(conn, tmp_path):
    path = write(
        tmp_path, "interactions.csv", HEADER + "\ni1,a1,,,email,inbound,customer,2026-01-01,,x\n"
    )
    assert load_file(conn, path, "interactions").status == "loaded"
    assert load_file(conn, path, "interactions").status == "already_loaded"
    assert conn.execute("select count(*) from raw.interactions").fetchall() == [(1,)]
    assert conn.execute("select count(*) from ops.load_ledger").fetchall() == [(1,)]


def test_overlapping_export_upserts_by_key_and_keeps_rows_it_lacks(conn, tmp_path):
    first = write(
        tmp_path,
        "interactions-1.csv",
        HEADER
        + "\ni1,a1,,,email,inbound,customer,2026-01-01,,old\ni2,a1,,,email,inbound,customer,2026-01-01,,keep\n",
    )
    second = write(
        tmp_path,
        "interactions-2.csv",
        HEADER
        + "\ni1,a1,,,email,inbound,customer,2026-01-01,,new\ni3,a1,,,email,inbound,customer,2026-01-02,,added\n",
    )
    load_file(conn, first, "interactions")
    load_file(conn, second, "interactions")
    rows = conn.execute("select interaction_id, body from raw.interactions order by 1").fetchall()
    assert rows == [("i1", "new"), ("i2", "keep"), ("i3", "added")]


def test_missing_required_column_names_file_column_and_expectation(conn, tmp_path):
    path = write(tmp_path, "tickets.csv", "id,account\n1,a\n")
    with pytest.raises(RejectedFileError) as err:
        load_file(conn, path, "tickets")
    message = str(err.value)
    assert "tickets.csv" in message and "'ticket_id'" in message and "expected columns" in message
    assert conn.execute("select count(*) from raw.tickets").fetchall() == [(0,)]


def test_unparseable_file_is_rejected_and_leaves_nothing_behind(conn, tmp_path):
    path = tmp_path / "deals.json"
    path.write_bytes(b'[{"deal_id": "d1", "account_id": "a1"}, {broken')
    with pytest.raises(RejectedFileError, match="deals.json"):
        load_file(conn, path, "deals")
    assert conn.execute("select count(*) from raw.deals").fetchall() == [(0,)]
    assert conn.execute("select count(*) from ops.load_ledger").fetchall() == [(0,)]


def test_json_ndjson_and_parquet_load_like_csv(conn, tmp_path):
    tags = tmp_path / "emotion_tags.ndjson"
    tags.write_text(
        '{"interaction_id": "i1", "tag": "anger", "tagged_by": "ann@x.io", "tagged_at": "2026-01-02 09:00:00"}\n'
        '{"interaction_id": "i2", "tag": "delight"}\n',
        encoding="utf-8",
    )
    deals = tmp_path / "deals.json"
    deals.write_text(
        json.dumps([{"deal_id": "d1", "account_id": "a1", "amount": 12.5, "stage": "won"}])
    )
    events = tmp_path / "engagement_events.parquet"
    pq.write_table(
        pa.table(
            {
                "event_id": ["e1", "e2"],
                "account_id": ["a1", "a1"],
                "contact_id": [None, "c1"],
                "event_type": ["login", "teleport"],
                "occurred_at": ["2026-01-01 00:00:00", "2026-01-01 00:00:00"],
            }
        ),
        events,
    )
    assert load_file(conn, tags, "emotion_tags").rows_quarantined == 1
    assert load_file(conn, deals, "deals").rows_loaded == 1
    assert load_file(conn, events, "engagement_events").rows_quarantined == 1
    assert conn.execute("select amount from raw.deals").fetchall() == [(12.5,)]
    assert conn.execute("select tag from raw.emotion_tags").fetchall() == [("anger",)]


def test_every_raw_table_matches_the_contract(conn):
    for entity in ENTITIES.values():
        columns = [r[0] for r in conn.execute(f"describe {entity.table}").fetchall()]
        assert columns[: len(entity.columns)] == entity.column_names
