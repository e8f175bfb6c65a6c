"""The emotion and polarity model: a small linear model over words (``data/emotion_model.json``).

Trained offline by ``sentiment_udfs.training.build_emotion_model`` on the GoEmotions training
sample; ``engine`` applies it to whole batches with numpy, then moves the scores by the CRM rules
(sarcasm, escalation, churn, a clearly polar compound, a problem the CRM lexicon read), each
recorded as evidence.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from sentiment_udfs.lexicon import DATA_DIR
from sentiment_udfs.taxonomy import EMOTIONS


@dataclass(frozen=True)
class LinearModel:
    vocab: dict[str, int]
    emotion_w: np.ndarray  # (V + 1, 9); the last row is all zeros, for unknown features
    emotion_b: np.ndarray
    polarity_w: np.ndarray  # (V + 1, 3): negative, neutral, positive
    polarity_b: np.ndarray
    decision: dict  # the polarity decision chosen on held-out training data (offsets, margin)


@lru_cache(maxsize=1)
def model() -> LinearModel:
    return from_dict(json.loads((DATA_DIR / "emotion_model.json").read_text(encoding="utf-8")))


def from_dict(raw: dict) -> LinearModel:
    """A model as ``data/emotion_model.json`` holds it (the trainer's export), ready to apply."""
    assert raw["emotion"]["classes"] == list(EMOTIONS)
    feats = sorted(set(raw["emotion"]["weights"]) | set(raw["polarity"]["weights"]))
    vocab = {f: i for i, f in enumerate(feats)}
    ew = np.zeros((len(feats) + 1, len(EMOTIONS)))
    pw = np.zeros((len(feats) + 1, 3))
    for f, row in raw["emotion"]["weights"].items():
        ew[vocab[f]] = row
    for f, row in raw["polarity"]["weights"].items():
        pw[vocab[f]] = row
    return LinearModel(
        vocab,
        ew,
        np.array(raw["emotion"]["bias"]),
        pw,
        np.array(raw["polarity"]["bias"]),
        raw["polarity"].get("decision", {}),
    )
