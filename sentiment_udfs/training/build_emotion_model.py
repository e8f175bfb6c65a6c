"""Rebuild ``sentiment_udfs/data/emotion_model.json`` from the GoEmotions training sample.

    python -m sentiment_udfs.training.build_emotion_model \
        --data ../shared/eval/data/goemotions [--validate]

A multinomial logistic regression over word unigrams and bigrams (``sentiment_udfs.features``),
trained with numpy only. Two heads share the features: the nine CRM emotions, and polarity
(negative / neutral / positive) which the scorer uses to tell neutral text from mild sentiment.
Weights are pruned and rounded so the data file stays small and reviewable. Deterministic for a
given input; the scorer never reads the training data.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path

import numpy as np

from sentiment_udfs.crm_layer import score_sentiment
from sentiment_udfs.features import compound_feature, features
from sentiment_udfs.taxonomy import EMOTIONS
from sentiment_udfs.text_cleaning import strip_quoted

# GoEmotions label -> CRM emotion (the eval's mapping for the nine emotions).
GOEMOTIONS_TO_CRM = {
    "anger": "anger",
    "annoyance": "frustration",
    "disappointment": "disappointment",
    "confusion": "confusion",
    "curiosity": "curiosity",
    "nervousness": "anxiety",
    "fear": "anxiety",
    "gratitude": "satisfaction",
    "joy": "delight",
    "excitement": "delight",
    "neutral": "neutral",
}
POLARITY = ("negative", "neutral", "positive")
MIN_COUNT = 2
L2 = 1e-3
EPOCHS = 300
LR = 0.05
KEEP = 0.02  # weights smaller than this are dropped from the data file


def text_features(text: str) -> list[str]:
    """As the scorer sees a text: words, pairs, and the CRM compound's bucket."""
    cleaned = strip_quoted(text) or text.strip()
    return [*features(cleaned), compound_feature(score_sentiment(cleaned).compound)]


def load(path: Path) -> tuple[list[tuple[str, list[str]]], dict[str, str]]:
    names = (path / "emotions.txt").read_text().split("\n")
    groups = {
        e: g for g, es in json.loads((path / "sentiment_dict.json").read_text()).items() for e in es
    }
    groups["neutral"] = "neutral"
    rows = []
    for line in (path / "train_sample20k.tsv").read_text(encoding="utf-8").splitlines():
        text, ids, *_ = line.split("\t")
        rows.append((text, [names[int(i)] for i in ids.split(",")]))
    return rows, groups


def one_label(labels: list[str], mapping: dict[str, str]) -> str | None:
    mapped = {mapping.get(lab) for lab in labels}
    return mapped.pop() if len(mapped) == 1 and None not in mapped else None


def fit(feats: list[list[str]], y: list[int], n_classes: int, vocab: dict[str, int]) -> np.ndarray:
    """Softmax regression by full-batch Adam on a sparse binary design matrix."""
    rows, cols = [], []
    for r, fs in enumerate(feats):
        for f in fs:
            j = vocab.get(f)
            if j is not None:
                rows.append(r)
                cols.append(j)
    rows_a, cols_a = np.array(rows), np.array(cols)
    n, v = len(feats), len(vocab) + 1  # last column: bias
    rows_a = np.concatenate([rows_a, np.arange(n)])
    cols_a = np.concatenate([cols_a, np.full(n, v - 1)])
    target = np.zeros((n, n_classes))
    target[np.arange(n), y] = 1.0
    w = np.zeros((v, n_classes))
    m, s = np.zeros_like(w), np.zeros_like(w)
    for t in range(1, EPOCHS + 1):
        logits = np.zeros((n, n_classes))
        np.add.at(logits, rows_a, w[cols_a])
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        g_rows = (p - target) / n
        grad = np.stack(
            [np.bincount(cols_a, weights=g_rows[rows_a, k], minlength=v) for k in range(n_classes)],
            axis=1,
        )
        grad += L2 * w
        m = 0.9 * m + 0.1 * grad
        s = 0.999 * s + 0.001 * grad * grad
        w -= LR * (m / (1 - 0.9**t)) / (np.sqrt(s / (1 - 0.999**t)) + 1e-8)
    return w


def predict(w: np.ndarray, vocab: dict[str, int], fs: list[str]) -> int:
    z = w[-1].copy()
    for f in fs:
        j = vocab.get(f)
        if j is not None:
            z += w[j]
    return int(z.argmax())


def macro_f1(gold: list[int], pred: list[int], n: int) -> float:
    f1s = []
    for c in range(n):
        tp = sum(g == c and p == c for g, p in zip(gold, pred, strict=True))
        fp = sum(g != c and p == c for g, p in zip(gold, pred, strict=True))
        fn = sum(g == c and p != c for g, p in zip(gold, pred, strict=True))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / n


def train_head(examples: list[tuple[list[str], int]], n_classes: int):
    counts = Counter(f for fs, _ in examples for f in fs)
    vocab = {f: i for i, f in enumerate(sorted(f for f, c in counts.items() if c >= MIN_COUNT))}
    # Class-balanced: repeat rare classes so macro-F1 is not sacrificed to the big ones.
    by_class = Counter(y for _, y in examples)
    biggest = max(by_class.values())
    feats, ys = [], []
    for fs, y in examples:
        reps = max(1, round((biggest / by_class[y]) ** 0.5))
        for _ in range(reps):
            feats.append(fs)
            ys.append(y)
    return fit(feats, ys, n_classes, vocab), vocab


def export(w: np.ndarray, vocab: dict[str, int], classes: tuple[str, ...]) -> dict:
    weights = {}
    for f, j in sorted(vocab.items()):
        row = [round(float(x), 3) for x in w[j]]
        if max(abs(x) for x in row) >= KEEP:
            weights[f] = row
    return {
        "classes": list(classes),
        "bias": [round(float(x), 3) for x in w[-1]],
        "weights": weights,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=Path("../shared/eval/data/goemotions"))
    ap.add_argument(
        "--out", type=Path, default=Path(__file__).parents[1] / "data/emotion_model.json"
    )
    ap.add_argument("--validate", action="store_true", help="hold out 15%% and report macro-F1")
    a = ap.parse_args()
    rows, groups = load(a.data)
    random.Random(7).shuffle(rows)
    emo_idx = {e: i for i, e in enumerate(EMOTIONS)}
    pol_idx = {p: i for i, p in enumerate(POLARITY)}
    emo = [
        (features(t), emo_idx[c]) for t, labs in rows if (c := one_label(labs, GOEMOTIONS_TO_CRM))
    ]
    pol = [
        (features(t), pol_idx[c]) for t, labs in rows if (c := one_label(labs, groups)) in pol_idx
    ]
    if a.validate:
        for name, data, n in (("emotion", emo, len(EMOTIONS)), ("polarity", pol, 3)):
            cut = int(len(data) * 0.85)
            w, vocab = train_head(data[:cut], n)
            gold = [y for _, y in data[cut:]]
            pred = [predict(w, vocab, fs) for fs, _ in data[cut:]]
            print(name, len(data), "held-out macro-F1", round(macro_f1(gold, pred, n), 3))
        return
    model = {"source": "GoEmotions train_sample20k (Apache-2.0)", "features": "unigram+bigram"}
    w, vocab = train_head(emo, len(EMOTIONS))
    model["emotion"] = export(w, vocab, EMOTIONS)
    w, vocab = train_head(pol, 3)
    model["polarity"] = export(w, vocab, POLARITY)
    a.out.write_text(json.dumps(model, separators=(",", ":"), sort_keys=True) + "\n")
    print("wrote", a.out, len(model["emotion"]["weights"]), len(model["polarity"]["weights"]))


if __name__ == "__main__":
    main()
