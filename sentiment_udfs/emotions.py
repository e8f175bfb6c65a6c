"""Emotions: a small linear model over words (``data/emotion_model.json``) plus CRM rules.

The model (trained offline by ``sentiment_udfs.training.build_emotion_model`` on the GoEmotions
training sample) gives each of the nine emotions a score from the words present; its evidence is
the words that pushed the chosen emotion most. Rules then move the scores where customer-service
signals are stronger than Reddit statistics (sarcasm, escalation, churn, a clearly negative or
positive compound), each as evidence. Scoring is batched: one numpy gather for many texts.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from sentiment_udfs.crm_layer import crm_data
from sentiment_udfs.lexicon import DATA_DIR
from sentiment_udfs.taxonomy import EMOTIONS

_IDX = {e: i for i, e in enumerate(EMOTIONS)}
_POSITIVE = ("delight", "satisfaction")
_NEGATIVE = ("frustration", "disappointment", "anger")


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
    raw = json.loads((DATA_DIR / "emotion_model.json").read_text(encoding="utf-8"))
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


def feature_ids(feats: list[str]) -> list[int]:
    vocab = model().vocab
    return [j for f in feats if (j := vocab.get(f)) is not None]


def batch_logits(ids: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Emotion (N, 9) and polarity (N, 3) logits for many texts' feature ids at once."""
    m = model()
    n = len(ids)
    lengths = np.fromiter((len(x) for x in ids), dtype=np.int64, count=n)
    flat = np.fromiter((j for x in ids for j in x), dtype=np.int64, count=int(lengths.sum()))
    # Every text gets the all-zero last row once, so no segment is empty for reduceat.
    pad = len(m.vocab)
    flat = np.insert(flat, np.cumsum(lengths) - lengths, pad)
    starts = np.cumsum(lengths + 1) - (lengths + 1)
    emo = np.add.reduceat(m.emotion_w[flat], starts, axis=0) + m.emotion_b
    pol = np.add.reduceat(m.polarity_w[flat], starts, axis=0) + m.polarity_b
    return emo, pol


def softmax(z: list[float]) -> list[float]:
    top = max(z)
    e = [math.exp(x - top) for x in z]
    s = sum(e)
    return [x / s for x in e]


def top_words(ids: list[int], emotion: str, k: int = 3) -> list[tuple[str, float]]:
    """The features that pushed ``emotion`` most, with their weights."""
    m = model()
    col = _IDX[emotion]
    inv = _inverse_vocab()
    weighted = sorted(((float(m.emotion_w[j, col]), j) for j in set(ids)), reverse=True)
    return [(inv[j], round(w, 3)) for w, j in weighted[:k] if w > 0.05]


@lru_cache(maxsize=1)
def _inverse_vocab() -> dict[int, str]:
    return {j: f for f, j in model().vocab.items()}


def decide(
    logits: list[float],
    compound: float,
    cues: dict[str, bool],
    escalation: bool,
    lower_text: str,
) -> tuple[dict[str, float], list[dict]]:
    """Emotion scores (0-1, summing to 1) after the CRM rules, with the rules' evidence."""
    z = list(logits)
    ev: list[dict] = []

    def push(emotion: str, amount: float, why: str) -> None:
        z[_IDX[emotion]] += amount
        ev.append({"kind": "rule", "target": emotion, "text": why, "weight": round(amount, 3)})

    a = abs(compound)
    if compound <= -0.3:
        for e in _POSITIVE:
            push(e, -4.0 * a, f"negative compound {compound:+.2f}")
        push("neutral", -1.5 * a, f"negative compound {compound:+.2f}")
    elif compound >= 0.3:
        for e in _NEGATIVE:
            push(e, -3.0 * a, f"positive compound {compound:+.2f}")
        push("neutral", -1.5 * a, f"positive compound {compound:+.2f}")
    data = crm_data()
    said: set[str] = set()
    for m in data.emotion_any.finditer(lower_text):
        if m.lastgroup not in said:
            said.add(m.lastgroup)
            push(m.lastgroup, data.emotion_push[m.lastgroup], f"says '{m.group(0)}'")
    if cues.get("sarcasm"):
        push("frustration", 2.0, "sarcasm")
        for e in _POSITIVE:
            push(e, -10.0, "sarcasm: praise words are irony")
    if escalation:
        push("frustration", 2.5, "polite escalation")
    if cues.get("churn_intent") and compound < 0.05:
        push("frustration", 0.7, "churn intent")
        push("disappointment", 0.5, "churn intent")
    if cues.get("urgency") and compound < -0.05:
        push("frustration", 0.5, "urgent and negative")
        push("anxiety", 0.3, "urgent and negative")
    return dict(zip(EMOTIONS, softmax(z), strict=True)), ev


def intensity(emotion: str, prob: float, compound: float) -> float:
    """0-1: how strongly the primary emotion is expressed (its probability and |compound|).

    >>> intensity("anger", 0.8, -0.9)
    0.85
    >>> intensity("neutral", 0.9, 0.0)
    0.0
    """
    if emotion == "neutral":
        return 0.0
    return round(min(1.0, 0.5 * prob + 0.5 * abs(compound)), 4)
