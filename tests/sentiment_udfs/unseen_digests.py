"""Digests of the records of a few thousand human-written texts the engine was not built on,
kept so that a change made for speed can be shown to change no score.

    python -m tests.sentiment_udfs.unseen_digests     # rewrite cases/unseen_digests.json

The texts are Reddit comments from GoEmotions' training split (Demszky et al., 2020, CC BY 4.0,
github.com/google-research/google-research/tree/master/goemotions), drawn once from
``../shared/eval/data/train`` and stored in ``cases/unseen_texts.csv.gz`` so that the check runs
wherever the repository does. Each text's record (the whole contract: compound, emotion scores, cues, evidence, language) is
serialised as sorted JSON and hashed; the file holds one short hash per text, made by the
scorer version it names. ``test_unseen_equality.py`` scores the same texts again and compares.
Rewrite the file only when a change is *meant* to change scores (and so bumps the version).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import random
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO.parent / "shared" / "eval" / "data" / "train" / "goemotions_train" / "train.csv"
CASES = Path(__file__).parent / "cases"
TEXTS = CASES / "unseen_texts.csv.gz"
DIGESTS = CASES / "unseen_digests.json"
N_TEXTS = 4_000


def unseen_texts() -> list[str]:
    """The stored texts, in their order."""
    with gzip.open(TEXTS, "rt", encoding="utf-8", newline="") as f:
        return [row["text"] for row in csv.DictReader(f)]


def draw_texts(n: int = N_TEXTS) -> list[str]:
    """``n`` distinct texts of GoEmotions' training split, in a fixed shuffled order."""
    with SOURCE.open(encoding="utf-8", newline="") as f:
        texts = list(dict.fromkeys(row["text"] for row in csv.DictReader(f)))
    random.Random(17).shuffle(texts)
    return texts[:n]


def digest(record: dict) -> str:
    """A short hash of one record: any changed score, cue or piece of evidence changes it."""
    blob = json.dumps(record, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def write() -> Path:
    from sentiment_udfs import SCORER_VERSION, score_texts

    if not TEXTS.exists():
        if not SOURCE.exists():
            raise SystemExit(f"no stored texts and no {SOURCE} to draw them from")
        with gzip.open(TEXTS, "wt", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["text"])
            writer.writerows([t] for t in draw_texts())
    texts = unseen_texts()
    digests = [digest(r) for r in score_texts(texts)]
    DIGESTS.write_text(
        json.dumps({"scorer_version": SCORER_VERSION, "digests": digests}, indent=0) + "\n",
        encoding="utf-8",
    )
    return DIGESTS


if __name__ == "__main__":
    print(f"wrote {write()}")
