"""Rebuild ``sentiment_udfs/data/emotion_model.json`` from the GoEmotions training sample.

    python -m sentiment_udfs.training.build_emotion_model \
        --data ../shared/eval/data/goemotions [--validate]

A multinomial logistic regression over each sentence's word unigrams, bigrams and negated
words, plus the CRM compound's bucket (``Engine.feature_names``: exactly what the scorer sees),
trained with numpy only. Two heads share the features: the nine CRM emotions, and polarity
(negative / neutral / positive) which settles the sentiment label where the lexicon misses.

Only the training sample is used. 15% of it is held out (fixed seed) to choose the L2 strength
and the polarity decision (per-class logit offsets and the confidence margin, searched for the
best macro-F1 of the scorer's whole label decision on the held-out part); the final weights are
then fitted on the whole sample. Weights are pruned and rounded so the data file stays small
and reviewable. Deterministic for a given input; the scorer never reads the training data.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path

import numpy as np

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
L2_GRID = (1e-3, 3e-3)
# Lexicon guards of the decision, fixed: a clearly polar lexicon reading is not called neutral
# (|compound| >= KEEP_STRONG) nor flipped (>= NO_FLIP) by a model trained on Reddit comments.
KEEP_STRONG = 0.5
NO_FLIP = 0.3
EPOCHS = 300
LR = 0.05
KEEP = 0.02  # weights smaller than this are dropped from the data file


def _engine():
    from sentiment_udfs.engine import Engine

    return Engine()


def text_view(eng, text: str) -> tuple[list[str], float, bool]:
    """As the scorer sees a text: its feature names, the CRM compound, and whether the CRM
    lexicon or a pattern spoke (then the polarity model does not overrule it)."""
    cleaned = strip_quoted(text) or text.strip()
    sents = eng.sentences(cleaned)
    names = eng.feature_names(cleaned)
    if not sents:
        return names, 0.0, False
    compound, _, _, _, _, crm = eng.sentiment(sents)
    return names, compound, crm


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


def fit(
    feats: list[list[str]], y: list[int], n_classes: int, vocab: dict[str, int], l2: float = L2
) -> np.ndarray:
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
        grad += l2 * w
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


def train_head(examples: list[tuple[list[str], int]], n_classes: int, l2: float = L2):
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
    return fit(feats, ys, n_classes, vocab, l2), vocab


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


def _label(compound: float) -> int:
    return 2 if compound >= 0.05 else 0 if compound <= -0.05 else 1


def decision_f1(w, vocab, views, gold, offsets, margin) -> float:
    """Macro-F1 of the scorer's label decision (``engine._adjust``) on held-out texts."""
    from sentiment_udfs import engine as eng_mod

    pred = []
    for (fs, compound, crm), _ in zip(views, gold, strict=True):
        z = w[-1].copy()
        for f in fs:
            j = vocab.get(f)
            if j is not None:
                z += w[j]
        z = z + np.array(offsets)
        p = np.exp(z - z.max())
        p /= p.sum()
        top = int(p.argmax())
        new, _ = eng_mod._adjust(compound, top, float(p[top]), crm, margin, KEEP_STRONG, NO_FLIP)
        pred.append(_label(new))
    return macro_f1(gold, pred, 3)


def choose_decision(w, vocab, views, gold) -> tuple[list[float], float, float]:
    """Per-class offsets (negative, 0, positive) and margin with the best held-out F1."""
    best = (-1.0, [0.0, 0.0, 0.0], 0.5)
    grid = [round(x * 0.25, 2) for x in range(-4, 5)]
    for margin in (0.34, 0.45, 0.5):
        for neg in grid:
            for pos in grid:
                f1 = decision_f1(w, vocab, views, gold, [neg, 0.0, pos], margin)
                if f1 > best[0]:
                    best = (f1, [neg, 0.0, pos], margin)
    return best[1], best[2], best[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=Path("../shared/eval/data/goemotions"))
    ap.add_argument(
        "--out", type=Path, default=Path(__file__).parents[1] / "data/emotion_model.json"
    )
    a = ap.parse_args()
    rows, groups = load(a.data)
    random.Random(7).shuffle(rows)
    eng = _engine()
    views = [text_view(eng, t) for t, _ in rows]
    emo_idx = {e: i for i, e in enumerate(EMOTIONS)}
    pol_idx = {p: i for i, p in enumerate(POLARITY)}
    emo, pol, pol_views, single = [], [], [], []
    for (_, labs), view in zip(rows, views, strict=True):
        if c := one_label(labs, GOEMOTIONS_TO_CRM):
            emo.append((view[0], emo_idx[c]))
        if (c := one_label(labs, groups)) in pol_idx:
            pol.append((view[0], pol_idx[c]))
            pol_views.append(view)
            single.append(len(labs) == 1)
    # Held-out part of the TRAINING sample: choose L2 and the polarity decision there, on its
    # single-label rows (the task as GoEmotions' polarity is usually scored).
    cut = int(len(pol) * 0.85)
    keep = [k for k in range(cut, len(pol)) if single[k]]
    gold = [pol[k][1] for k in keep]
    held_views = [pol_views[k] for k in keep]
    best = None
    for l2 in L2_GRID:
        w, vocab = train_head(pol[:cut], 3, l2)
        offsets, margin, f1 = choose_decision(w, vocab, held_views, gold)
        print(f"polarity l2={l2}: held-out decision macro-F1 {f1:.3f}", offsets, margin)
        if best is None or f1 > best[0]:
            best = (f1, l2, offsets, margin)
    _, l2, offsets, margin = best
    ecut = int(len(emo) * 0.85)
    w, vocab = train_head(emo[:ecut], len(EMOTIONS), L2)
    gold_e = [y for _, y in emo[ecut:]]
    pred_e = [predict(w, vocab, fs) for fs, _ in emo[ecut:]]
    print("emotion held-out macro-F1 (model alone)", round(macro_f1(gold_e, pred_e, 9), 3))
    model = {
        "source": "GoEmotions train_sample20k (Apache-2.0)",
        "features": "per sentence: unigram+bigram+negated word; compound bucket",
        "validation": "15% of the training sample held out (seed 7) for L2 and the decision",
    }
    w, vocab = train_head(emo, len(EMOTIONS), L2)
    model["emotion"] = export(w, vocab, EMOTIONS)
    w, vocab = train_head(pol, 3, l2)
    model["polarity"] = export(w, vocab, POLARITY)
    model["polarity"]["decision"] = {
        "offsets": offsets,
        "margin": margin,
        "keep_strong": KEEP_STRONG,
        "no_flip": NO_FLIP,
        "l2": l2,
    }
    a.out.write_text(json.dumps(model, separators=(",", ":"), sort_keys=True) + "\n")
    print("wrote", a.out, len(model["emotion"]["weights"]), len(model["polarity"]["weights"]))


if __name__ == "__main__":
    main()
