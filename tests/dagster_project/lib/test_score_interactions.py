"""Incremental scoring: each text once per scorer version; changed texts and new versions re-scored."""

import duckdb
import pytest

from dagster_project.lib.score_interactions import score_pending
from dagster_project.lib.warehouse_schema import ensure_schema
from sentiment_udfs import score_texts


class CountingScorer:
    """The real scorer, counting the texts it is asked to score."""

    def __init__(self):
        self.texts: list[str | None] = []

    def __call__(self, texts):
        self.texts.extend(texts)
        return score_texts(texts)


@pytest.fixture
def conn():
    c = duckdb.connect()
    ensure_schema(c)
    c.execute(
        "insert into raw.contacts (contact_id, account_id, analysis_opt_out) values "
        "('c1', 'a1', false), ('c2', 'a1', true)"
    )
    yield c
    c.close()


def add(conn, interaction_id, body, contact_id="c1"):
    conn.execute(
        "insert into raw.interactions (interaction_id, account_id, contact_id, channel, direction, "
        "author_type, occurred_at, body) values ($id, 'a1', $c, 'email', 'inbound', 'customer', "
        "'2026-01-01', $body)",
        {"id": interaction_id, "c": contact_id, "body": body},
    )


def scores(conn):
    return conn.execute(
        "select interaction_id, scorer_version, sentiment_label, is_empty from scores.interaction_scores "
        "order by 1, 2"
    ).fetchall()


def test_identical_texts_are_scored_once_and_opted_out_contacts_never(conn):
    add(conn, "i1", "Thank you, this is wonderful!")
    add(conn, "i2", "Thank you, this is wonderful!")
    add(conn, "i3", "This is terrible and broken.")
    add(conn, "i4", "Private complaint, terrible.", contact_id="c2")
    add(conn, "i5", None)
    scorer = CountingScorer()
    stats = score_pending(conn, scorer_version="v1", score_fn=scorer)

    assert sorted(t or "" for t in scorer.texts) == sorted(
        ["Thank you, this is wonderful!", "This is terrible and broken.", ""]
    )
    assert len(scorer.texts) == 3
    assert (stats.interactions_scored, stats.texts_scored, stats.opted_out_skipped) == (4, 3, 1)
    assert scores(conn) == [
        ("i1", "v1", "positive", False),
        ("i2", "v1", "positive", False),
        ("i3", "v1", "negative", False),
        ("i5", "v1", "neutral", True),
    ]
    evidence_rows = conn.execute("select count(*) from scores.interaction_evidence").fetchall()[0][
        0
    ]
    assert evidence_rows > 0


def test_second_run_scores_nothing_and_new_text_reuses_known_scores(conn):
    add(conn, "i1", "Thank you, this is wonderful!")
    score_pending(conn, scorer_version="v1", score_fn=CountingScorer())
    before = conn.execute("select * from scores.interaction_scores").fetchall()

    again = CountingScorer()
    assert score_pending(conn, scorer_version="v1", score_fn=again).interactions_scored == 0
    assert again.texts == []
    assert conn.execute("select * from scores.interaction_scores").fetchall() == before

    add(conn, "i2", "Thank you, this is wonderful!")
    reuse = CountingScorer()
    stats = score_pending(conn, scorer_version="v1", score_fn=reuse)
    assert (stats.interactions_scored, stats.texts_reused, reuse.texts) == (1, 1, [])
    evidence = conn.execute(
        "select interaction_id, kind, target, text from scores.interaction_evidence order by 1, 2, 3, 4"
    ).fetchall()
    assert [e[1:] for e in evidence if e[0] == "i1"] == [e[1:] for e in evidence if e[0] == "i2"]


def test_changed_text_and_new_version_are_rescored_and_old_version_kept(conn):
    add(conn, "i1", "This is terrible.")
    score_pending(conn, scorer_version="v1", score_fn=CountingScorer())
    conn.execute(
        "update raw.interactions set body = 'This is wonderful.' where interaction_id = 'i1'"
    )
    assert (
        score_pending(conn, scorer_version="v1", score_fn=CountingScorer()).interactions_scored == 1
    )
    assert scores(conn) == [("i1", "v1", "positive", False)]

    bump = CountingScorer()
    assert score_pending(conn, scorer_version="v2", score_fn=bump).interactions_scored == 1
    assert bump.texts == ["This is wonderful."]
    assert scores(conn) == [("i1", "v1", "positive", False), ("i1", "v2", "positive", False)]


def test_a_failing_scorer_writes_nothing(conn):
    add(conn, "i1", "fine")

    def broken(texts):
        raise RuntimeError("scorer crashed")

    with pytest.raises(RuntimeError):
        score_pending(conn, scorer_version="v1", score_fn=broken)
    assert scores(conn) == []


def test_every_evidence_row_is_kept_at_scale(tmp_path):
    """DuckDB 2.0 loses the rows appended to a table created inside a transaction once they
    pass a few hundred thousand: the demo's 383k evidence rows all vanished that way."""
    c = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    ensure_schema(c)
    c.execute(
        "insert into raw.contacts (contact_id, account_id, analysis_opt_out) values ('c1', 'a1', false)"
    )
    n, per_text = 12_000, 40
    c.execute(
        "insert into raw.interactions (interaction_id, account_id, contact_id, channel, direction, "
        "author_type, occurred_at, body) select 'i' || i, 'a1', 'c1', 'email', 'inbound', "
        "'customer', '2026-01-01', 'Order ' || i || ' arrived broken.' from range($n) t(i)",
        {"n": n},
    )
    template = score_texts(["Order 1 arrived broken."])[0]

    def many_reasons(texts):  # the real record, with many evidence rows per text
        return [
            {
                **template,
                "evidence": [
                    {"kind": "model", "target": "neutral", "text": f"{t} #{k}", "weight": 0.1}
                    for k in range(per_text)
                ],
            }
            for t in texts
        ]

    stats = score_pending(c, scorer_version="v1", score_fn=many_reasons, batch_size=4_000)
    assert stats.texts_scored == n
    assert c.execute("select count(*) from scores.interaction_evidence").fetchall() == [
        (n * per_text,)
    ]
    assert c.execute("select count(*) from scores.interaction_scores").fetchall() == [(n,)]
    c.close()
