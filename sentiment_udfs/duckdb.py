"""Register the scorers as DuckDB SQL functions: ``register(conn)`` on any plain connection.

select crm_sentiment(body), crm_emotion(body) from raw.interactions
"""

from __future__ import annotations

import duckdb
from duckdb.sqltypes import DOUBLE, VARCHAR

from sentiment_udfs.scoring import score_text


def _crm_sentiment(text: str | None) -> float:
    return score_text(text)["compound"]


def _crm_emotion(text: str | None) -> str:
    return score_text(text)["emotion"]


def register(conn: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Create ``crm_sentiment(text) -> DOUBLE`` and ``crm_emotion(text) -> VARCHAR`` on ``conn``.

    NULL text is passed through (``null_handling='special'``) so it scores neutral like '' does.
    """
    for name, fn, return_type in (
        ("crm_sentiment", _crm_sentiment, DOUBLE),
        ("crm_emotion", _crm_emotion, VARCHAR),
    ):
        conn.create_function(name, fn, [VARCHAR], return_type, null_handling="special")
    return conn
