"""The token table answers a piece as its first sight would: the same analysis, field by field,
and scores with and without it are the same."""

from __future__ import annotations

from sentiment_udfs import score_texts
from sentiment_udfs.engine import engine
from sentiment_udfs.token_table import table_words, written_forms

PIECES = ["refund", "Refund", "REFUND", "refund?", "not.", "don't", "love!", "cancel,", ":)"]


def _fields(token) -> dict:
    out = {}
    for name in dir(token):
        if not name.startswith("_"):
            value = getattr(token, name, None)  # as Python, a slot never set is missing
            if name == "model_words":  # ModelWords, one per word: the same objects
                value = [(mw.word, mw.evidence_id, mw.pair_no, mw.negated_id) for mw in value]
            out[name] = value
    return out


def test_a_table_token_is_the_analysis_of_its_first_sight():
    eng = engine()
    for piece in PIECES:
        assert piece in eng._token_table, piece
        assert _fields(eng._token_table[piece]) == _fields(eng._new_token(piece)), piece


def test_the_tables_words_are_the_shipped_ones_not_grams_or_buckets():
    words = table_words(["#frus", "<compound:3>", "~help", "no reply", "refund"], ["kind of", "ok"])
    assert words == {"help", "no", "reply", "refund", "ok"}
    assert written_forms(["refund", "the"])[:2] == ["the", "the."]


def test_scores_are_the_same_without_the_table():
    eng = engine()
    texts = ["Refund please, NOW!", "I love it. NOT.", "not good but the agent was great?"]
    eng.clear_memos()
    with_table = score_texts(texts)
    table, eng._token_table = eng._token_table, {}
    try:
        eng.clear_memos()
        assert score_texts(texts) == with_table
    finally:
        eng._token_table = table
        eng.clear_memos()
