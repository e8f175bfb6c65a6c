"""Rebuild ``sentiment_udfs/data/emotion_model.json`` from GoEmotions (and, for the polarity
head, DynaSent: ``SHIPPED_WITH``).

    python -m sentiment_udfs.training.build_emotion_model \
        --full ../shared/eval/data/train --polarity-l2 0.001     # the shipped model

A multinomial logistic regression over each sentence's word unigrams, their character 4-grams,
bigrams and negated words, plus the CRM compound's bucket (``Engine.feature_names``: exactly what
the scorer sees; a feature counts once per sentence that has it, so the scorer sums each distinct
sentence's weights once and reuses them), trained with numpy only. Two heads share the features: the nine CRM emotions,
and polarity (negative / neutral / positive) which settles the sentiment label where the lexicon
misses.

The polarity head is regularised per feature by naive Bayes (as in NBSVM, Wang & Manning 2012):
a feature's L2 penalty is divided by its squared log-count ratio between a class and the others
(the largest over the classes), so words whose counts separate the classes may weigh more than
words seen evenly everywhere. The model stays linear over the same features.

A GoEmotions row whose fear label rests on a verdict alone ('This is terrible') teaches the
emotion head nothing (``cv_sets.verdict_read_as_fear``): in the CRM taxonomy that is frustration,
not anxiety.

Only the training sets are used; a row weighs ``row_weight`` of its set, times its class's
balancing weight. The polarity head's L2 strength and its decision (per-class
logit offsets and the confidence margin; the lexicon guards of ``polarity.adjust`` stay fixed:
the model decides only weak or empty lexicon readings, and never calls a negative one neutral)
are chosen by 5-fold cross-validation on it: out-of-fold logits of every single-label text, the
scorer's whole label decision scored by macro-F1. The emotion head's macro-F1 is reported on a
15% held-out part. Final weights are fitted on the whole sample, then pruned and rounded so the
data file stays small and reviewable. Deterministic for a given input; the scorer never reads
the training data.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from collections import Counter
from pathlib import Path

import numpy as np

from sentiment_udfs.polarity import KEEP_STRONG, NO_FLIP, adjust, label_ids
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
L2 = 1e-3  # the emotion head
POLARITY_L2_GRID = (1e-3, 2e-3, 4e-3)
NB_EPS = 0.05  # floor of the squared log-count ratio: no feature goes unregularised
FOLDS = 5
# Lexicon guards of the decision, fixed: a model trained on Reddit comments decides only weak
# or empty lexicon readings. It never calls a negative reading neutral (in support text a
# negative word reports a problem), nor a clearly positive one (compound >= KEEP_STRONG), nor
# flips a reading of |compound| >= NO_FLIP. (Letting it overrule clear positive readings when
# sure won GoEmotions F1 but called plain customer praise such as 'Fast delivery and good
# quality' neutral, as Reddit's neutral comments taught it.)
MARGINS = (0.34, 0.4, 0.45, 0.5)
OFFSETS = tuple(round(x * 0.25, 2) for x in range(-4, 5))
EPOCHS = 300
LR = 0.05
KEEP = 0.02  # weights smaller than this are dropped from the data file
# Sets besides GoEmotions that the model may learn from (in the ``--full`` folder; licences and
# caveats in its README), and what one of their rows weighs next to a GoEmotions row. XED
# (movie subtitles, Plutchik emotions mapped as ``cv_sets.XED_TO_CRM``) teaches the emotion
# head; DynaSent (review sentences, 3-class) the polarity head.
EXTRA_SETS = {"xed": 0.5, "dynasent": 1.0}
# The shipped model's sets besides GoEmotions. DynaSent (both rounds) raised every review figure
# of `make eval` and cost none; round 2 alone (what ships, see DYNASENT_ROUNDS) keeps them as they
# were or a hair better (EmoBank 0.448 -> 0.449, GoEmotions polarity 0.643 -> 0.644). XED did not transfer: learning from it cost GoEmotions dev 9-emotion macro-F1
# at every weight tried (0.563 -> 0.530 at 0.5; 0.551 at 0.2; 0.559 at 0.1 without its neutral
# lines), so the shipped emotion head learns from GoEmotions alone (`--with xed,dynasent` to try).
SHIPPED_WITH = ("dynasent",)
# DynaSent rounds learned from: only round02, written by crowd workers. round01 rows are verbatim
# Yelp review sentences, whose terms (non-commercial, no redistribution) the set's authors do not
# rule on (README: "Licence caveat"); a model that companies run is not the place to find out.
DYNASENT_ROUNDS = frozenset({"round02"})


def row_weight(source: str) -> float:
    """What one training row of ``source`` weighs (a GoEmotions row: 1)."""
    return EXTRA_SETS.get(source, 1.0)


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
    reading = eng.sentiment(sents)
    compound, crm = reading.compound, reading.crm_spoke
    return names, compound, crm


def emotion_names_and_groups(path: Path) -> tuple[list[str], dict[str, str]]:
    """GoEmotions' emotion names (by label id) and each emotion's polarity group."""
    names = (path / "emotions.txt").read_text().split("\n")
    groups = {
        e: g for g, es in json.loads((path / "sentiment_dict.json").read_text()).items() for e in es
    }
    groups["neutral"] = "neutral"
    return names, groups


def load(path: Path) -> tuple[list[tuple[str, list[str]]], dict[str, str]]:
    names, groups = emotion_names_and_groups(path)
    rows = []
    for line in (path / "train_sample20k.tsv").read_text(encoding="utf-8").splitlines():
        text, ids, *_ = line.split("\t")
        rows.append((text, [names[int(i)] for i in ids.split(",")]))
    return rows, groups


def load_full(path: Path, goemotions: Path) -> tuple[list[tuple[str, list[str]]], dict[str, str]]:
    """The full GoEmotions training split (``../shared/eval/data/train/goemotions_train``: CC BY
    4.0; rows overlapping any evaluation set were dropped upstream), as ``load`` returns it."""
    _, groups = emotion_names_and_groups(goemotions)
    with (path / "goemotions_train" / "train.csv").open(encoding="utf-8", newline="") as f:
        rows = [(r["text"], r["label"].split(";")) for r in csv.DictReader(f)]
    return rows, groups


def one_label(labels: list[str], mapping: dict[str, str]) -> str | None:
    mapped = {mapping.get(lab) for lab in labels}
    return mapped.pop() if len(mapped) == 1 and None not in mapped else None


def design(feats: list[list[str]], vocab: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """A sparse count design matrix as (row starts, column ids, repeated as often as the feature
    occurs); every row ends with the bias column (``len(vocab)``), so no row is empty."""
    bias = len(vocab)
    cols: list[int] = []
    starts = []
    for fs in feats:
        starts.append(len(cols))
        cols.extend(j for f in fs if (j := vocab.get(f)) is not None)
        cols.append(bias)
    return np.array(starts), np.array(cols)


def logits(w: np.ndarray, vocab: dict[str, int], feats: list[list[str]]) -> np.ndarray:
    starts, cols = design(feats, vocab)
    return np.add.reduceat(w[cols], starts, axis=0)


def fit(
    feats: list[list[str]],
    y: list[int],
    n_classes: int,
    vocab: dict[str, int],
    l2: float | np.ndarray = L2,
    weights: np.ndarray | None = None,
) -> np.ndarray:
    """Softmax regression by full-batch Adam on a sparse count design matrix. ``l2``: one
    strength, or one per row of the weights (features, then the bias). ``weights``: each
    example's weight (as if it occurred that many times; default 1)."""
    starts, cols = design(feats, vocab)
    n, v = len(feats), len(vocab) + 1  # last column: bias
    rows = np.repeat(np.arange(n), np.diff(np.append(starts, len(cols))))
    target = np.zeros((n, n_classes))
    target[np.arange(n), y] = 1.0
    row_w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    row_w = (row_w / row_w.sum())[:, None]
    reg = np.asarray(l2, dtype=float)
    if reg.ndim:
        reg = reg[:, None]
    w = np.zeros((v, n_classes))
    m, s = np.zeros_like(w), np.zeros_like(w)
    for t in range(1, EPOCHS + 1):
        z = np.add.reduceat(w[cols], starts, axis=0)
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        g_rows = (p - target) * row_w
        grad = np.stack(
            [np.bincount(cols, weights=g_rows[rows, k], minlength=v) for k in range(n_classes)],
            axis=1,
        )
        grad += reg * w
        m = 0.9 * m + 0.1 * grad
        s = 0.999 * s + 0.001 * grad * grad
        w -= LR * (m / (1 - 0.9**t)) / (np.sqrt(s / (1 - 0.999**t)) + 1e-8)
    return w


def nb_scale(
    feats: list[list[str]], y: list[int], n_classes: int, vocab: dict[str, int], weights=None
):
    """Per feature (then the bias): 1 / (max over classes of the squared log-count ratio of
    the feature in that class against the others, add-one smoothed, + ``NB_EPS``); an example
    counts ``weights`` times (default once)."""
    v = len(vocab)
    counts = np.zeros((v, n_classes))
    weights = [1.0] * len(feats) if weights is None else weights
    for fs, c, wt in zip(feats, y, weights, strict=True):
        for f in fs:
            j = vocab.get(f)
            if j is not None:
                counts[j, c] += wt
    ratio = np.zeros((v, n_classes))
    for k in range(n_classes):
        p = counts[:, k] + 1.0
        q = counts.sum(axis=1) - counts[:, k] + 1.0
        ratio[:, k] = np.log((p / p.sum()) / (q / q.sum()))
    return np.append(1.0 / ((ratio**2).max(axis=1) + NB_EPS), 1.0)


def predict(w: np.ndarray, vocab: dict[str, int], fs: list[str]) -> int:
    z = w[-1].copy()
    for f in fs:
        j = vocab.get(f)
        if j is not None:
            z += w[j]
    return int(z.argmax())


def macro_f1(gold, pred, n: int) -> float:
    gold, pred = np.asarray(gold), np.asarray(pred)
    f1s = []
    for c in range(n):
        tp = int(np.sum((gold == c) & (pred == c)))
        fp = int(np.sum((gold != c) & (pred == c)))
        fn = int(np.sum((gold == c) & (pred != c)))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / n


def train_head(
    examples: list[tuple[list[str], int]] | list[tuple[list[str], int, float]],
    n_classes: int,
    l2: float = L2,
    naive_bayes: bool = False,
):
    """Weights and vocabulary of one head. An example is (features, class) or (features,
    class, weight): a weight below 1 lets a set from another domain teach less per row."""
    examples = [(e[0], e[1], e[2] if len(e) > 2 else 1.0) for e in examples]
    counts = Counter(f for fs, _, _ in examples for f in fs)
    vocab = {f: i for i, f in enumerate(sorted(f for f, c in counts.items() if c >= MIN_COUNT))}
    # Class-balanced: weigh rare classes up (as if repeated) so macro-F1 is not sacrificed to
    # the big ones.
    by_class = Counter(y for _, y, _ in examples)
    biggest = max(by_class.values())
    feats = [fs for fs, _, _ in examples]
    ys = [y for _, y, _ in examples]
    weights = [max(1, round((biggest / by_class[y]) ** 0.5)) * w for _, y, w in examples]
    reg = l2 * nb_scale(feats, ys, n_classes, vocab, weights) if naive_bayes else l2
    return fit(feats, ys, n_classes, vocab, reg, np.array(weights)), vocab


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


def decide(z, compound, crm, offsets, margin, keep_strong=KEEP_STRONG, no_flip=NO_FLIP):
    """The label (0/1/2) ``polarity.adjust`` gives, for many texts at once: polarity logits
    ``z`` (n, 3), the CRM compounds and whether the CRM spoke."""
    z = z + np.asarray(offsets)
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    top, p_top = p.argmax(axis=1), p.max(axis=1)
    lex = label_ids(compound)
    acts = (p_top > margin) & ~(crm & (compound != 0))
    out = lex.copy()
    out[acts & (top == 1) & (compound >= 0) & (compound < keep_strong)] = 1
    polar = acts & (top != 1)
    flip = polar & (lex != 1) & (top != lex) & (np.abs(compound) >= no_flip)
    out[polar & ~flip] = top[polar & ~flip]
    return out


def check_decide(z, compound, crm, offsets, margin) -> None:
    """``decide`` agrees with the engine's own ``_adjust`` on these texts."""
    fast = decide(z, compound, crm, offsets, margin)
    zz = z + np.asarray(offsets)
    p = np.exp(zz - zz.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    for k in range(len(z)):
        top = int(p[k].argmax())
        new, _ = adjust(
            float(compound[k]),
            top,
            float(p[k, top]),
            bool(crm[k]),
            margin,
            KEEP_STRONG,
            NO_FLIP,
        )
        assert label_ids(np.array([new]))[0] == fast[k], (k, compound[k], p[k], crm[k])


def choose_decision(z, compound, crm, gold) -> tuple[float, list[float], float]:
    """Per-class offsets (negative, 0, positive) and margin with the best macro-F1 (ties: the
    first, i.e. the smallest margin)."""
    best = (-1.0, [0.0, 0.0, 0.0], 0.5)
    for margin in MARGINS:
        for neg in OFFSETS:
            for pos in OFFSETS:
                pred = decide(z, compound, crm, [neg, 0.0, pos], margin)
                f1 = macro_f1(gold, pred, 3)
                if f1 > best[0]:
                    best = (f1, [neg, 0.0, pos], margin)
    return best


def training_examples(goemotions: Path, full: Path | None, extra: dict[str, float], rounds):
    """What the model learns from, as ``cv_sets.Example``s: GoEmotions (the full split in
    ``full``, else the 20k sample in ``goemotions``) and the ``extra`` sets of ``full``."""
    from sentiment_udfs.training import cv_sets  # cv_sets reads this module's label maps

    if full:
        rows = cv_sets.goemotions(full, goemotions)
    else:
        rows = cv_sets.goemotions_examples(*load(goemotions))
    if "xed" in extra:
        rows += cv_sets.xed(full)
    if "dynasent" in extra:
        rows += cv_sets.dynasent(full, rounds)
    return [e for e in rows if e.train_emotion or e.train_polarity]


def _views(eng, texts: list[str], cache: Path | None) -> list[tuple[list[str], float, bool]]:
    """``text_view`` of each text, kept in ``cache`` (a pickle) between runs of the same
    scorer code and data: the features come from the lexicon and rules, not from the model."""
    import hashlib
    import pickle

    pkg = Path(__file__).parents[1]
    stamp = hashlib.sha256()
    for f in sorted([*pkg.glob("*.py"), *pkg.glob("data/*")]):
        if f.name != "emotion_model.json":
            stamp.update(f.name.encode() + f.read_bytes())
    known: dict = {}
    if cache and cache.exists():
        saved = pickle.loads(cache.read_bytes())
        known = saved["views"] if saved["stamp"] == stamp.hexdigest() else {}
    views = [known.get(t) or text_view(eng, t) for t in texts]
    if cache:
        cache.write_bytes(
            pickle.dumps(
                {"stamp": stamp.hexdigest(), "views": dict(zip(texts, views, strict=True))}
            )
        )
    return views


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=Path("../shared/eval/data/goemotions"))
    ap.add_argument(
        "--out", type=Path, default=Path(__file__).parents[1] / "data/emotion_model.json"
    )
    ap.add_argument(
        "--full",
        type=Path,
        help="train on the full GoEmotions split in this folder (../shared/eval/data/train)"
        " instead of the 20k sample in --data",
    )
    ap.add_argument(
        "--with",
        dest="extra",
        help="comma-separated sets of the --full folder to learn from too, of"
        f" {','.join(EXTRA_SETS)} (default with --full: {','.join(SHIPPED_WITH)})",
    )
    ap.add_argument(
        "--dynasent-rounds",
        default=",".join(sorted(DYNASENT_ROUNDS)),
        help="DynaSent rounds to use (round01: verbatim Yelp sentences; see the README's caveat)",
    )
    ap.add_argument("--cache", type=Path, help="keep the texts' features in this pickle")
    ap.add_argument(
        "--polarity-l2",
        type=float,
        help=f"use this L2 for the polarity head instead of choosing one of {POLARITY_L2_GRID}",
    )
    a = ap.parse_args()
    if a.extra is None:
        a.extra = ",".join(SHIPPED_WITH) if a.full else ""
    extra = {s: EXTRA_SETS[s] for s in a.extra.split(",") if s}
    if extra and not a.full:
        ap.error("--with needs --full (the folder that holds the sets)")
    rounds = frozenset(a.dynasent_rounds.split(","))
    rows = training_examples(a.data, a.full, extra, rounds)
    random.Random(7).shuffle(rows)
    eng = _engine()
    views = _views(eng, [e.text for e in rows], a.cache)
    emo_idx = {e: i for i, e in enumerate(EMOTIONS)}
    pol_idx = {p: i for i, p in enumerate(POLARITY)}
    emo, pol, pol_views, single, pol_source = [], [], [], [], []
    for e, view in zip(rows, views, strict=True):
        if e.train_emotion:
            emo.append((view[0], emo_idx[e.train_emotion], row_weight(e.source)))
        if e.train_polarity:
            pol.append((view[0], pol_idx[e.train_polarity], row_weight(e.source)))
            pol_views.append(view)
            single.append(e.polarity is not None)
            pol_source.append(e.source)
    # Cross-validation on the TRAINING sets: out-of-fold logits of each polarity text, the
    # decision scored on the single-label ones (the task as GoEmotions' polarity is scored;
    # every DynaSent row has one gold label).
    fold = np.arange(len(pol)) % FOLDS
    scored = np.array(single)
    gold = np.array([y for _, y, _ in pol])[scored]
    compound = np.array([v[1] for v in pol_views])[scored]
    crm = np.array([v[2] for v in pol_views])[scored]
    best = None
    for l2 in (a.polarity_l2,) if a.polarity_l2 else POLARITY_L2_GRID:
        z = np.zeros((len(pol), 3))
        for k in range(FOLDS):
            train = [e for e, f in zip(pol, fold, strict=True) if f != k]
            test = [fs for (fs, _, _), f in zip(pol, fold, strict=True) if f == k]
            w, vocab = train_head(train, 3, l2, naive_bayes=True)
            z[fold == k] = logits(w, vocab, test)
        z = z[scored]
        f1, offsets, margin = choose_decision(z, compound, crm, gold)
        alone = macro_f1(gold, z.argmax(axis=1), 3)
        print(
            f"polarity l2={l2}: {FOLDS}-fold macro-F1 model alone {alone:.3f},"
            f" scorer's decision {f1:.3f}",
            offsets,
            margin,
        )
        if best is None or f1 > best[0]:
            best = (f1, l2, offsets, margin, z)
    f1, l2, offsets, margin, z = best
    check_decide(z, compound, crm, offsets, margin)
    source = np.array(pol_source)[scored]
    for name in sorted(set(source)):
        pred = decide(z, compound, crm, offsets, margin)
        at = source == name
        print(f"  {name}: scorer's decision {macro_f1(gold[at], pred[at], 3):.3f}")
    ecut = int(len(emo) * 0.85)
    w, vocab = train_head(emo[:ecut], len(EMOTIONS), L2)
    gold_e = [y for _, y, _ in emo[ecut:]]
    pred_e = [predict(w, vocab, fs) for fs, _, _ in emo[ecut:]]
    print("emotion held-out macro-F1 (model alone)", round(macro_f1(gold_e, pred_e, 9), 3))
    sources = [
        "GoEmotions train, full split (CC BY 4.0, Demszky et al. 2020)"
        if a.full
        else "GoEmotions train_sample20k (Apache-2.0)"
    ]
    if "xed" in extra:
        sources.append(
            f"XED English (CC BY 4.0, Ohman et al. 2020; emotion head, weight {extra['xed']})"
        )
    if "dynasent" in extra:
        sources.append(
            f"DynaSent v1.1 dev+test {'+'.join(sorted(rounds))} (CC BY 4.0, Potts et al. 2021;"
            f" polarity head, weight {extra['dynasent']})"
        )
    model = {
        "source": "; ".join(sources),
        "features": (
            "per sentence: unigram, char 4-grams, bigram, negated word (counted once per"
            " sentence); compound bucket"
        ),
        "validation": (
            f"polarity: {FOLDS}-fold cross-validation on the training sets (L2, decision),"
            f" macro-F1 {f1:.3f}; emotion: 15% held out (seed 7)"
        ),
    }
    w, vocab = train_head(emo, len(EMOTIONS), L2)
    model["emotion"] = export(w, vocab, EMOTIONS)
    w, vocab = train_head(pol, 3, l2, naive_bayes=True)
    model["polarity"] = export(w, vocab, POLARITY)
    model["polarity"]["decision"] = {
        "offsets": offsets,
        "margin": margin,
        "keep_strong": KEEP_STRONG,
        "no_flip": NO_FLIP,
        "l2": l2,
        "regularisation": "naive Bayes scaled L2",
    }
    a.out.write_text(json.dumps(model, separators=(",", ":"), sort_keys=True) + "\n")
    print("wrote", a.out, len(model["emotion"]["weights"]), len(model["polarity"]["weights"]))


if __name__ == "__main__":
    main()
