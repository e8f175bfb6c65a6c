"""Register the scorers as DuckDB SQL functions: ``register(conn)`` on any plain connection.

    select crm_sentiment(body), crm_emotion(body), crm_score(body).churn_intent
    from raw.interactions

The functions are vectorized (Arrow): DuckDB hands a whole column chunk to ``score_texts``, so
the emotion model runs once per chunk. They give exactly the scores of the Python API and CLI.
"""

from __future__ import annotations

import contextlib

import duckdb
import pyarrow as pa
from duckdb.sqltypes import DOUBLE, VARCHAR

from sentiment_udfs.scoring import score_texts
from sentiment_udfs.taxonomy import CUES

# crm_score's STRUCT fields, in order: the record without the nested scores and evidence.
SCORE_FIELDS: tuple[tuple[str, str], ...] = (
    ("compound", "DOUBLE"),
    ("sentiment_label", "VARCHAR"),
    ("emotion", "VARCHAR"),
    ("emotion_intensity", "DOUBLE"),
    *((cue, "BOOLEAN") for cue in CUES),
    ("language", "VARCHAR"),
    ("scorer_version", "VARCHAR"),
)
_ARROW = {"DOUBLE": pa.float64(), "VARCHAR": pa.string(), "BOOLEAN": pa.bool_()}
_STRUCT = pa.struct([(name, _ARROW[t]) for name, t in SCORE_FIELDS])


def _records(texts: pa.Array) -> list[dict]:
    return score_texts(texts.to_pylist())


def _crm_sentiment(texts: pa.Array) -> pa.Array:
    return pa.array([r["compound"] for r in _records(texts)], type=pa.float64())


def _crm_emotion(texts: pa.Array) -> pa.Array:
    return pa.array([r["emotion"] for r in _records(texts)], type=pa.string())


def _flat(record: dict) -> dict:
    row = {name: record.get(name) for name, _ in SCORE_FIELDS if name not in CUES}
    row.update(record["cues"])
    return row


def _crm_score(texts: pa.Array) -> pa.Array:
    return pa.array([_flat(r) for r in _records(texts)], type=_STRUCT)


def _struct_type():
    return duckdb.struct_type({name: getattr(duckdb.sqltypes, t) for name, t in SCORE_FIELDS})


def register(conn: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Create ``crm_sentiment(text) -> DOUBLE``, ``crm_emotion(text) -> VARCHAR`` and
    ``crm_score(text) -> STRUCT(compound, sentiment_label, emotion, emotion_intensity, <cues>,
    language, scorer_version)`` on ``conn``.

    NULL text is passed through (``null_handling='special'``) and scores neutral like '' does.

    >>> conn = register(duckdb.connect())
    >>> conn.sql("select crm_score('Thanks for nothing.').sarcasm").fetchall()
    [(True,)]
    """
    kw = {"type": "arrow", "null_handling": "special", "side_effects": False}
    for name, fn, return_type in (
        ("crm_sentiment", _crm_sentiment, DOUBLE),
        ("crm_emotion", _crm_emotion, VARCHAR),
        ("crm_score", _crm_score, _struct_type()),
    ):
        with contextlib.suppress(duckdb.Error):  # registering twice on a connection is fine
            conn.remove_function(name)
        conn.create_function(name, fn, [VARCHAR], return_type, **kw)
    return conn
