"""Digests of the records of a few thousand human-written texts the engine was not built on,
kept so that a change made for speed can be shown to change no score.

    python -m tests.sentiment_udfs.unseen_digests     # rewrite cases/unseen_digests.json

Each text's record (the whole contract: compound, emotion scores, cues, evidence, language) is
serialised as sorted JSON and hashed; the file holds one short hash per text, made by the
scorer version it names. ``test_unseen_equality.py`` scores the same texts again and compares.
Rewrite the file only when a change is *meant* to change scores (and so bumps the version).
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EVAL_TRAIN = REPO.parent / "shared" / "eval" / "data" / "train"
SOURCES = (
    (EVAL_TRAIN / "goemotions_train" / "train.csv", "text"),
    (EVAL_TRAIN / "dynasent" / "dynasent_v1.1_dev_test.csv", "text"),
)
DIGESTS = Path(__file__).parent / "cases" / "unseen_digests.json"
N_TEXTS = 4_000


def unseen_texts(n: int = N_TEXTS) -> list[str]:
    """``n`` distinct texts from GoEmotions' train split and DynaSent, in a fixed shuffled
    order; [] where ``../shared/eval`` is not beside the repository."""
    if not all(path.exists() for path, _ in SOURCES):
        return []
    texts: list[str] = []
    for path, column in SOURCES:
        with path.open(encoding="utf-8", newline="") as f:
            texts += [row[column] for row in csv.DictReader(f)]
    texts = list(dict.fromkeys(texts))
    random.Random(17).shuffle(texts)
    return texts[:n]


def digest(record: dict) -> str:
    """A short hash of one record: any changed score, cue or piece of evidence changes it."""
    blob = json.dumps(record, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def write() -> Path:
    from sentiment_udfs import SCORER_VERSION, score_texts

    texts = unseen_texts()
    if not texts:
        raise SystemExit(f"no eval data under {EVAL_TRAIN}")
    digests = [digest(r) for r in score_texts(texts)]
    DIGESTS.write_text(
        json.dumps({"scorer_version": SCORER_VERSION, "digests": digests}, indent=0) + "\n",
        encoding="utf-8",
    )
    return DIGESTS


if __name__ == "__main__":
    print(f"wrote {write()}")
