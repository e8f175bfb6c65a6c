"""Work done for speed changes no score: unseen human texts give the same records as the
implementation that wrote ``cases/unseen_digests.json`` (same scorer version), compiled or not,
and on one process or two."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from sentiment_udfs import SCORER_VERSION, score_texts
from tests.sentiment_udfs.unseen_digests import DIGESTS, REPO, digest, unseen_texts

_SAVED = json.loads(DIGESTS.read_text(encoding="utf-8"))


def _mismatches(records: list[dict], texts: list[str]) -> list[str]:
    return [
        text
        for text, r, saved in zip(texts, records, _SAVED["digests"], strict=True)
        if digest(r) != saved
    ]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    # A new scorer version is meant to change scores: its author rewrites the digests.
    assert _SAVED["scorer_version"] == SCORER_VERSION, (
        f"digests made by scorer {_SAVED['scorer_version']}, this is {SCORER_VERSION}: "
        "rewrite them with `python -m tests.sentiment_udfs.unseen_digests`"
    )
    found = unseen_texts()
    assert len(found) == len(_SAVED["digests"]) > 1_000
    return found


@pytest.mark.parametrize("processes", [1, 2])
def test_unseen_texts_score_as_before(texts, processes):
    from sentiment_udfs.engine import engine

    engine().clear_memos()  # nothing answered from an earlier test's memo
    wrong = _mismatches(score_texts(texts, processes=processes), texts)
    assert not wrong, f"{len(wrong)} of {len(texts)} records changed, e.g. {wrong[:3]}"


def test_unseen_texts_score_as_before_in_pure_python(texts):
    # The typed kernels' fallback: the same source run as Python, in a fresh process.
    code = (
        "import json, sys\n"
        "from sentiment_udfs import score_texts\n"
        "from tests.sentiment_udfs.unseen_digests import digest, unseen_texts\n"
        "print(json.dumps([digest(r) for r in score_texts(unseen_texts())]))\n"
    )
    env = {**os.environ, "SENTIMENT_UDFS_PURE": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pure = json.loads(out)
    wrong = [t for t, d, s in zip(texts, pure, _SAVED["digests"], strict=True) if d != s]
    assert not wrong, f"{len(wrong)} of {len(texts)} records changed, e.g. {wrong[:3]}"
