"""Every supported format and encoding reads into the same text table, nothing dropped silently."""

import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import Workbook

from dagster_project.lib.loader import load_file
from dagster_project.lib.readers import peek_columns, read_file, sniff_encoding
from dagster_project.lib.warehouse_schema import ensure_schema

ROWS = [("i1", "a1", "Grüße, “quoted”\nsecond line"), ("i2", "a1", "naïve café")]
HEADER = ["interaction_id", "account_id", "body"]


@pytest.fixture
def conn():
    c = duckdb.connect()
    ensure_schema(c)
    yield c
    c.close()


def csv_text(delimiter: str) -> str:
    lines = [delimiter.join(HEADER)]
    for row in ROWS:
        lines.append(delimiter.join('"' + v.replace('"', '""') + '"' for v in row))
    return "\n".join(lines) + "\n"


def read_back(conn, path: Path) -> list[tuple]:
    table = read_file(conn, path)
    assert table.columns == HEADER
    return conn.execute(
        "select interaction_id, account_id, body, _row from _file order by _row"
    ).fetchall()


EXPECTED = [(*row, n) for n, row in enumerate(ROWS, start=1)]


@pytest.mark.parametrize(
    ("name", "delimiter", "encoding"),
    [
        ("x.csv", ",", "utf-8"),
        ("x.csv", ",", "utf-8-sig"),
        ("x.csv", ";", "cp1252"),
        ("x.tsv", "\t", "utf-16"),
        ("x.txt", "|", "utf-16-le"),
        ("x.csv", ",", "latin-1"),
    ],
)
def test_csv_any_delimiter_and_encoding(conn, tmp_path, name, delimiter, encoding):
    path = tmp_path / name
    text = csv_text(delimiter)
    if encoding == "latin-1":  # no curly quotes in Latin-1
        text = text.replace("“", "«").replace("”", "»")
    path.write_bytes(text.encode(encoding))
    rows = read_back(conn, path)
    assert [r[2].split(",")[0] for r in rows] == ["Grüße", "naïve café"]
    assert rows[0][2].endswith("second line") and [r[3] for r in rows] == [1, 2]


def test_encodings_are_sniffed(tmp_path):
    cases = {
        "utf-8": "a,b\né".encode(),
        "utf-16": "a,b\né".encode("utf-16"),
        "utf-16-le": "a,b\né".encode("utf-16-le"),
        "cp1252": "a,b\né €".encode("cp1252"),
    }
    for expected, data in cases.items():
        (tmp_path / "f").write_bytes(data)
        assert sniff_encoding(tmp_path / "f") == expected


def test_json_ndjson_parquet_and_xlsx_read_alike(conn, tmp_path):
    records = [dict(zip(HEADER, row, strict=True)) for row in ROWS]
    (tmp_path / "x.json").write_text(json.dumps(records), encoding="utf-8")
    (tmp_path / "x.ndjson").write_text(
        "\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8"
    )
    pq.write_table(pa.Table.from_pylist(records), tmp_path / "x.parquet")
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(list(row))
    book.save(tmp_path / "x.xlsx")
    for name in ("x.json", "x.ndjson", "x.parquet", "x.xlsx"):
        assert read_back(conn, tmp_path / name) == EXPECTED, name
        assert peek_columns(tmp_path / name)[None] == HEADER


def test_wrapped_json_records_are_unwrapped(conn, tmp_path):
    path = tmp_path / "page.json"
    path.write_text(json.dumps({"tickets": [{"id": 1}, {"id": 2}], "next_page": None}))
    assert peek_columns(path) == {None: ["tickets", "next_page"], "tickets": ["id"]}
    read_file(conn, path, records="tickets")
    assert conn.execute("select id, _row from _file order by _row").fetchall() == [
        ("1", 1),
        ("2", 2),
    ]


def test_unparseable_csv_rows_and_ndjson_lines_are_kept_as_rejects(conn, tmp_path):
    csv_path = tmp_path / "x.csv"
    csv_path.write_text("a,b\n1,2\n3\n4,5,6\n7,8\n", encoding="utf-8")
    table = read_file(conn, csv_path)
    assert table.rejects == 2
    assert conn.execute("select a, _row from _file order by _row").fetchall() == [
        ("1", 1),
        ("7", 4),
    ]
    assert conn.execute("select _row, raw from _file_rejects order by 1").fetchall() == [
        (2, "3"),
        (3, "4,5,6"),
    ]
    nd = tmp_path / "x.ndjson"
    nd.write_bytes(b'{"a": 1}\nnot json \x00\x01\n[1, 2]\n{"a": 2}\n')
    table = read_file(conn, nd)
    assert table.rejects == 2
    assert conn.execute("select a, _row from _file order by _row").fetchall() == [
        ("1", 1),
        ("2", 4),
    ]


def test_xlsx_interactions_load_through_the_loader(conn, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "interaction_id",
            "account_id",
            "channel",
            "direction",
            "author_type",
            "occurred_at",
            "body",
        ]
    )
    from datetime import datetime

    sheet.append(["i1", "a1", "email", "inbound", "customer", datetime(2026, 1, 2, 3, 4), "hello"])
    sheet.append([1234.0, "a1", "chat", "inbound", "customer", datetime(2026, 1, 2), None])
    book.save(tmp_path / "interactions.xlsx")
    result = load_file(conn, tmp_path / "interactions.xlsx", "interactions")
    assert result.rows_loaded == 2
    assert conn.execute("select interaction_id from raw.interactions order by 1").fetchall() == [
        ("1234",),
        ("i1",),
    ]
