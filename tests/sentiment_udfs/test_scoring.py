"""Interfaces: the record contract, Python API = SQL = CLI, robustness, the version guard."""

from __future__ import annotations

import csv
import io
import math
import os
import subprocess
import sys
import tempfile

import duckdb
import pytest

from sentiment_udfs import SCORER_VERSION, score_text, score_texts, scoring
from sentiment_udfs.cli import COLUMNS, score_csv
from sentiment_udfs.duckdb import register
from sentiment_udfs.lexicon import data_fingerprint
from sentiment_udfs.taxonomy import CUES, EMOTIONS
from sentiment_udfs.version import DATA_SHA

TEXTS = [
    "Kindly resolve this ASAP, we are losing money",
    "Great, another outage. Just what we needed.",
    "Thanks for nothing.",
    "Thank you so much, the agent fixed it in minutes! 😍",
    "How do I close my account?",
    "I'm worried the invoice is wrong.\nPlease check, it's urgent!",
    'She said "fine", then\n"not fine", with commas, and quotes',
    "",
    "No funciona la aplicación y nadie me responde, es un desastre",
]
KEYS = {
    "compound",
    "sentiment_label",
    "emotion",
    "emotion_intensity",
    "emotion_scores",
    "cues",
    "evidence",
    "language",
    "is_empty",
    "scorer_version",
}


def test_record_contract():
    for r in score_texts(TEXTS):
        assert set(r) == KEYS
        assert r["sentiment_label"] in ("positive", "neutral", "negative")
        assert r["emotion"] in EMOTIONS and 0.0 <= r["emotion_intensity"] <= 1.0
        assert set(r["emotion_scores"]) == set(EMOTIONS)
        assert set(r["cues"]) == set(CUES) and all(isinstance(v, bool) for v in r["cues"].values())
        for e in r["evidence"]:
            assert set(e) == {"kind", "target", "text", "weight"}
            assert isinstance(e["weight"], float) and math.isfinite(e["weight"])
        assert r["scorer_version"] == SCORER_VERSION


def test_every_cue_and_emotion_is_explained():
    for r in score_texts(TEXTS):
        for cue, on in r["cues"].items():
            if on:
                assert any(e["target"] == cue for e in r["evidence"]), cue
        if r["emotion"] != "neutral":
            assert any(e["target"] == r["emotion"] for e in r["evidence"])


@pytest.mark.parametrize(
    "junk",
    [
        None,
        "",
        "   \n\t",
        float("nan"),
        b"\xff\xfe\x00binary",
        "\x00\x01\x02",
        42,
        "x" * 300_000,
        "🙂" * 5000,
        "!!!???",
        "> only a quote",
        "-- \nsig only",
        "a\u0301\u200b\ud7ff" * 50,
    ],
)
def test_junk_never_crashes(junk):
    r = score_text(junk)
    assert set(r) == KEYS and -1.0 <= r["compound"] <= 1.0


def test_empty_is_neutral_and_flagged():
    for t in (None, "", "  "):
        r = score_text(t)
        assert r["is_empty"] and r["sentiment_label"] == "neutral" and r["emotion"] == "neutral"


def test_batch_on_processes_matches_and_keeps_order():
    texts = TEXTS * 700
    assert score_texts(texts, processes=2) == score_texts(texts)


def _distinct_texts(n: int) -> list[str]:
    """Enough distinct texts for the process pool."""
    return [f"Ticket {k}: {TEXTS[k % len(TEXTS)]}" for k in range(n)]


def test_processes_leave_no_files_behind(monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    texts = _distinct_texts(5000)
    assert score_texts(texts, processes=2) == score_texts(texts)
    assert list(tmp_path.iterdir()) == []


def test_a_failing_worker_is_reported(monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    parent, real_engine = os.getpid(), scoring.engine

    def engine_that_fails_in_workers():
        if os.getpid() != parent:
            raise ValueError("broken worker")
        return real_engine()

    monkeypatch.setattr(scoring, "engine", engine_that_fails_in_workers)
    with pytest.raises(RuntimeError, match="scoring worker failed: ValueError"):
        score_texts(_distinct_texts(5000), processes=2)
    assert list(tmp_path.iterdir()) == []


def test_sql_functions_equal_python():
    conn = register(duckdb.connect())
    conn.execute("create table t (i int, body varchar)")
    conn.executemany(
        "insert into t values (?, ?)", [[i, t] for i, t in enumerate(TEXTS)] + [[99, None]]
    )
    rows = conn.sql(
        "select i, crm_sentiment(body), crm_emotion(body), crm_score(body) from t order by i"
    ).fetchall()
    for i, compound, emotion, struct in rows:
        r = score_text(None if i == 99 else TEXTS[i])
        assert compound == r["compound"] and emotion == r["emotion"]
        assert struct["compound"] == r["compound"] and struct["emotion"] == r["emotion"]
        assert struct["scorer_version"] == SCORER_VERSION
        assert all(struct[c] == r["cues"][c] for c in CUES)


def _cli_rows(stdout: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(stdout)))


def test_cli_equals_python_and_handles_quoted_newlines():
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["id", "text"])
    w.writerows([f"r{i}", t] for i, t in enumerate(TEXTS))
    out = subprocess.run(
        [sys.executable, "-m", "sentiment_udfs", "score"],
        input=buf.getvalue(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = _cli_rows(out)
    assert list(rows[0]) == list(COLUMNS) and len(rows) == len(TEXTS)
    for row, text in zip(rows, TEXTS, strict=True):
        r = score_text(text)
        assert float(row["compound"]) == r["compound"]
        assert row["emotion"] == r["emotion"] and row["sentiment_label"] == r["sentiment_label"]
        assert all(row[c] == str(r["cues"][c]).lower() for c in CUES)


def test_cli_rejects_input_without_text_column():
    assert score_csv(io.StringIO("id,body\n1,hi\n"), io.StringIO()) == 2


def test_data_files_change_only_with_a_version_bump():
    # If this fails you changed sentiment_udfs/data: bump RULES_VERSION if rules changed, and set
    # DATA_SHA in sentiment_udfs/version.py to the new hash so SCORER_VERSION changes.
    assert data_fingerprint() == DATA_SHA, f"set DATA_SHA = {data_fingerprint()!r}"
    assert DATA_SHA in SCORER_VERSION


def test_no_io_at_import():
    # Other libraries may read their own metadata; ours must not read its data or VADER's. The one
    # read allowed is the compiled-freshness check: the build manifest and the hot sources' bytes
    # (a module's .py and its augmenting .pxd).
    code = (
        "import builtins, io, pathlib\n"
        "opened = []\n"
        "orig_open = io.open\n"
        "orig_text, orig_bytes = pathlib.Path.read_text, pathlib.Path.read_bytes\n"
        "def spy(f, *a, **k):\n    opened.append(str(f)); return orig_open(f, *a, **k)\n"
        "def spy_text(p, *a, **k):\n    opened.append(str(p)); return orig_text(p, *a, **k)\n"
        "def spy_bytes(p):\n    opened.append(str(p)); return orig_bytes(p)\n"
        "builtins.open = io.open = spy\n"
        "pathlib.Path.read_text, pathlib.Path.read_bytes = spy_text, spy_bytes\n"
        "import sentiment_udfs, sentiment_udfs.duckdb, sentiment_udfs.cli\n"
        "from sentiment_udfs import compiled\n"
        # the hot sources: each module's .py and its augmenting .pxd, where it has one
        "allowed = {str(compiled.MANIFEST)} | {str(p) for m in compiled.HOT for p in compiled._sources(m)}\n"
        "ours = [o for o in opened if ('sentiment_udfs' in o or 'vader' in o.lower()) and o not in allowed]\n"
        "assert not ours, ours\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
