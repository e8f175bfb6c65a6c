"""Redaction in SQL (bulk loads) and in Python agree, whatever the text."""

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dagster_project.lib.redaction import redact, redact_sql


@pytest.fixture(scope="module")
def conn():
    c = duckdb.connect()
    yield c
    c.close()


def sql_redact(conn, text: str | None) -> str | None:
    params: dict[str, object] = {}
    expr = redact_sql("$text", params)
    return conn.execute(f"select {expr}", {**params, "text": text}).fetchall()[0][0]


@pytest.mark.parametrize(
    "text",
    [
        "call +1 234 56 now",  # an international number with six digits only
        "call +44 20 7946 0958 or (030) 1234 5678",
        "card 4111 1111 1111 1111, mail jo.doe+crm@example.co.uk",
        "ring (12) 345 678",
        "Invoice 2026-01-15, ref 48213, at 10:30, 3 seats",
        "",
        None,
    ],
)
def test_sql_and_python_redaction_agree_on_known_shapes(conn, text):
    assert sql_redact(conn, text) == redact(text)


_piece = st.one_of(
    st.text(alphabet="0123456789 ().-+@abc_.", max_size=12),
    st.from_regex(r"\+\d{1,3}[ .-]?\d{1,4}([ .-]?\d{2,4}){2,4}", fullmatch=True),
    st.from_regex(r"\d([ -]?\d){12,18}", fullmatch=True),
    st.from_regex(r"[a-z.]{1,8}@[a-z]{1,6}\.[a-z]{2,3}", fullmatch=True),
    st.text(max_size=20),
)


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(_piece, max_size=6))
def test_sql_and_python_redaction_agree(conn, pieces):
    text = " ".join(pieces)
    assert sql_redact(conn, text) == redact(text)
