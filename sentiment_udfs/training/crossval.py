"""5-fold cross-validated accuracy of the scorer on the training sets in ``../shared/eval/data/train``.

    python -m sentiment_udfs.training.crossval --data ../shared/eval/data     # make eval-cv

For each set where the scorer gives a comparable label, the set's texts are split into 5 folds
(by distinct text, seeded, so a text and its duplicates share a fold). For each fold the model
(``build_emotion_model``'s recipe: the same features, heads, L2 and export) is retrained on the
other 4 folds plus what the shipped model learns from (GoEmotions), minus any text of the held-out
fold, and the held-out fold is scored by the whole engine with that model. Reported per set: the
mean, standard deviation, min and max over the folds, next to plain VADER where VADER gives a
comparable label, and next to the shipped model where it never saw the set.

The recipe weighs rows by set (``build_emotion_model.row_weight``); the shipped model learns
from GoEmotions plus the sets of ``build_emotion_model.SHIPPED_WITH`` (DynaSent), and is shown
beside a set only if it never saw that set.

- ``goemotions``: retrains both heads on the other folds plus the draws of the shipped model's
  other sets (the shipped recipe, less data); scores 9-emotion macro-F1 and 3-class polarity
  macro-F1 on single-label rows (as ``evaluate.py``).
- ``xed``: retrains the emotion head on GoEmotions + the other XED folds at XED's row weight
  (what ``--with xed`` would ship); macro-F1 over the five CRM emotions XED maps to
  (``cv_sets.XED_TO_CRM``).
- ``dynasent``: retrains the polarity head on GoEmotions + the other DynaSent folds (learning
  only from the rounds of ``build_emotion_model.DYNASENT_ROUNDS``); 3-class macro-F1 on all.
- ``multidogo`` / ``clinc150``: churn intent is a rule (``crm_rules.yaml``), nothing is trained, so
  the folds only show the sampling spread: F1 of churn intent on MultiDoGO, and the false-alarm
  rate on CLINC150, none of whose intents is churn.

Bounded in time: a full retrain takes about a minute per head on 2 cores, so XED and DynaSent
are subsampled (``--per-set``, seeded) and GoEmotions to ``--base`` rows (that draw is both the
``goemotions`` set and the GoEmotions part of the other sets' training); the output says so. The
churn sets are only scored, so all their distinct texts are used.
The polarity decision (offsets, margin, guards) stays the shipped one instead of being re-chosen
per fold. Nothing here writes the shipped model.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from sentiment_udfs.emotions import from_dict
from sentiment_udfs.lexicon import DATA_DIR
from sentiment_udfs.taxonomy import EMOTIONS, sentiment_label
from sentiment_udfs.training import build_emotion_model as trainer
from sentiment_udfs.training import cv_sets
from sentiment_udfs.training.build_emotion_model import POLARITY
from sentiment_udfs.training.cv_sets import Example

FOLDS = 5
SEED = 17
PER_SET = 5_000
BASE = 20_000  # GoEmotions rows (the shipped model learns from all 42,807)
SETS = ("goemotions", "xed", "dynasent", "multidogo", "clinc150")
GOEMOTIONS_EMOTIONS = sorted(set(trainer.GOEMOTIONS_TO_CRM.values()))
XED_EMOTIONS = sorted(set(cv_sets.XED_TO_CRM.values()))


def text_key(text: str) -> str:
    """Texts equal up to case and spacing are one text.

    >>> text_key("  Close MY   account ")
    'close my account'
    """
    return " ".join(text.lower().split())


def assign_folds(texts: list[str], folds: int = FOLDS, seed: int = SEED) -> list[int]:
    """Each text's fold: distinct texts (``text_key``) are shuffled with ``seed`` and dealt round
    robin, so duplicates share a fold and the result does not depend on the input's order."""
    keys = sorted({text_key(t) for t in texts})
    random.Random(seed).shuffle(keys)
    fold_of = {k: i % folds for i, k in enumerate(keys)}
    return [fold_of[text_key(t)] for t in texts]


def subsample(rows: list, n: int, seed: int = SEED) -> list:
    """``n`` rows drawn with ``seed``, in their original order (all of them if ``n`` is 0 or
    at least their number)."""
    if n <= 0 or n >= len(rows):
        return list(rows)
    keep = set(random.Random(seed).sample(range(len(rows)), n))
    return [r for i, r in enumerate(rows) if i in keep]


def macro_f1(gold: list[str], pred: list[str], labels: list[str]) -> float:
    """Mean F1 over ``labels`` (``evaluate.py``'s definition; a prediction outside them is a miss).

    >>> macro_f1(["a", "b"], ["a", "c"], ["a", "b"])
    0.5
    """
    f1s = []
    for lab in labels:
        tp = sum(g == lab and p == lab for g, p in zip(gold, pred, strict=True))
        fp = sum(g != lab and p == lab for g, p in zip(gold, pred, strict=True))
        fn = sum(g == lab and p != lab for g, p in zip(gold, pred, strict=True))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / len(f1s)


def summary(values: list[float], digits: int = 3) -> dict:
    """Mean and spread over the folds.

    >>> summary([0.5, 0.7])
    {'mean': 0.6, 'sd': 0.141, 'min': 0.5, 'max': 0.7, 'folds': [0.5, 0.7]}
    """
    return {
        "mean": round(statistics.fmean(values), digits),
        "sd": round(statistics.stdev(values), digits) if len(values) > 1 else 0.0,
        "min": round(min(values), digits),
        "max": round(max(values), digits),
        "folds": [round(v, digits) for v in values],
    }


def engine_with(raw: dict):
    """A fresh engine applying the model ``raw`` (the trainer's export) instead of the shipped
    one. ``Engine()`` reads its model through ``engine.model``; that name is swapped only while
    this engine is built, so the process's shared engine keeps the shipped model."""
    from sentiment_udfs import engine as engine_module

    shipped = engine_module.model
    engine_module.model = lambda: from_dict(raw)
    try:
        return engine_module.Engine()
    finally:
        engine_module.model = shipped


def score(eng, texts: list[str]) -> list[dict]:
    from sentiment_udfs.engine import record

    return [record(c) for c in eng.score_batch(texts)]


class Retrainer:
    """The shipped model's recipe, retrained on given examples; each text's features are
    computed once (they come from the lexicon, not the model)."""

    def __init__(self) -> None:
        from sentiment_udfs.engine import Engine

        self.shipped = json.loads((DATA_DIR / "emotion_model.json").read_text(encoding="utf-8"))
        self._eng = Engine()
        self._feats: dict[str, list[str]] = {}

    def features(self, text: str) -> list[str]:
        if text not in self._feats:
            self._feats[text] = trainer.text_view(self._eng, text)[0]
        return self._feats[text]

    def model(self, train: list[Example], heads: set[str]) -> dict:
        """The shipped model with ``heads`` ("emotion", "polarity") retrained on ``train``."""
        raw = dict(self.shipped)
        if "emotion" in heads:
            idx = {e: i for i, e in enumerate(EMOTIONS)}
            ex = [
                (self.features(e.text), idx[e.train_emotion], trainer.row_weight(e.source))
                for e in train
                if e.train_emotion
            ]
            w, vocab = trainer.train_head(ex, len(EMOTIONS), trainer.L2)
            raw["emotion"] = trainer.export(w, vocab, EMOTIONS)
        if "polarity" in heads:
            idx = {p: i for i, p in enumerate(POLARITY)}
            ex = [
                (self.features(e.text), idx[e.train_polarity], trainer.row_weight(e.source))
                for e in train
                if e.train_polarity
            ]
            decision = self.shipped["polarity"]["decision"]
            w, vocab = trainer.train_head(ex, 3, decision["l2"], naive_bayes=True)
            raw["polarity"] = {**trainer.export(w, vocab, POLARITY), "decision": decision}
        return raw


def vader_labels(texts: list[str]) -> list[str]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    return [sentiment_label(analyzer.polarity_scores(t)["compound"]) for t in texts]


def _metrics(held: list[Example], records: list[dict], emotions: list[str] | None) -> dict:
    out = {}
    emo = [(e.emotion, r["emotion"]) for e, r in zip(held, records, strict=True) if e.emotion]
    if emotions and emo:
        out["emotion_macro_f1"] = macro_f1([g for g, _ in emo], [p for _, p in emo], emotions)
    pol = [(e.polarity, r["sentiment_label"]) for e, r in zip(held, records, strict=True)]
    pol = [(g, p) for g, p in pol if g]
    if pol:
        out["polarity_macro_f1"] = macro_f1(
            [g for g, _ in pol], [p for _, p in pol], list(POLARITY)
        )
    return out


def cross_validate(
    population: list[Example],
    base: list[Example],
    heads: set[str],
    emotions: list[str] | None,
    retrainer: Retrainer,
    compare_shipped: bool,
    folds: int = FOLDS,
    seed: int = SEED,
) -> dict:
    """Per fold: retrain ``heads`` on ``base`` + the other folds (less the held-out texts), score
    the held-out fold; the same fold scored by plain VADER and, if asked, the shipped model."""
    fold = assign_folds([e.text for e in population], folds, seed)
    shipped_eng = engine_with(retrainer.shipped) if compare_shipped else None
    per: dict[str, list[float]] = {}
    for k in range(folds):
        started = time.monotonic()
        held = [e for e, f in zip(population, fold, strict=True) if f == k]
        held_keys = {text_key(e.text) for e in held}
        rest = [e for e, f in zip(population, fold, strict=True) if f != k]
        train = [e for e in base + rest if text_key(e.text) not in held_keys]
        texts = [e.text for e in held]
        results = {
            "scorer": _metrics(
                held, score(engine_with(retrainer.model(train, heads)), texts), emotions
            )
        }
        if shipped_eng is not None:
            results["shipped_model"] = _metrics(held, score(shipped_eng, texts), emotions)
        if any(e.polarity for e in held):
            gold = [e.polarity for e in held]
            pairs = [(g, p) for g, p in zip(gold, vader_labels(texts), strict=True) if g]
            results["vader"] = {
                "polarity_macro_f1": macro_f1(
                    [g for g, _ in pairs], [p for _, p in pairs], list(POLARITY)
                )
            }
        for who, metrics in results.items():
            for name, value in metrics.items():
                per.setdefault(f"{who}.{name}", []).append(value)
        print(
            f"  fold {k + 1}/{folds}: {len(train)} training texts, {len(held)} held out,"
            f" {time.monotonic() - started:.0f}s",
            file=sys.stderr,
        )
    out: dict = {}
    for key, values in per.items():
        who, name = key.split(".")
        out.setdefault(who, {})[name] = summary(values)
    return out


def churn_folds(population: list[Example], folds: int = FOLDS, seed: int = SEED) -> dict:
    """Churn intent per fold: F1 where the set has churn texts, else the false-alarm rate
    (share of texts flagged), plus which of the set's intents were flagged most."""
    from sentiment_udfs.engine import Engine

    flagged = [r["cues"]["churn_intent"] for r in score(Engine(), [e.text for e in population])]
    fold = assign_folds([e.text for e in population], folds, seed)
    has_churn = any(e.churn for e in population)
    values = []
    for k in range(folds):
        pairs = [(e.churn, p) for e, p, f in zip(population, flagged, fold, strict=True) if f == k]
        if has_churn:
            values.append(
                macro_f1(
                    ["y" if g else "n" for g, _ in pairs],
                    ["y" if p else "n" for _, p in pairs],
                    ["y"],
                )
            )
        else:
            values.append(sum(p for _, p in pairs) / len(pairs))
    false_alarms = Counter(
        e.intent for e, p in zip(population, flagged, strict=True) if p and not e.churn
    )
    return {
        "scorer": {
            "churn_intent_f1" if has_churn else "churn_false_alarm_rate": summary(values, 4)
        },
        "churn_texts": sum(bool(e.churn) for e in population),
        "churn_texts_flagged": sum(
            bool(e.churn) and p for e, p in zip(population, flagged, strict=True)
        ),
        "false_alarms_by_intent": dict(false_alarms.most_common(8)),
    }


def run(
    data: Path,
    sets=SETS,
    per_set: int = PER_SET,
    base_size: int = BASE,
    folds: int = FOLDS,
    seed: int = SEED,
) -> dict:
    train_dir, ge_dir = data / "train", data / "goemotions"
    started = time.monotonic()
    retrainer = Retrainer()
    base = subsample(cv_sets.goemotions(train_dir, ge_dir), base_size, seed)
    xed = subsample(cv_sets.xed(train_dir), per_set, seed)
    dyna = subsample(cv_sets.dynasent(train_dir, trainer.DYNASENT_ROUNDS), per_set, seed)
    # The shipped recipe learns from GoEmotions and the sets of SHIPPED_WITH: the GoEmotions
    # folds train with those too, and the shipped model is compared only on sets it never saw.
    shipped_extra = (xed if "xed" in trainer.SHIPPED_WITH else []) + (
        dyna if "dynasent" in trainer.SHIPPED_WITH else []
    )
    unseen = {"xed", "dynasent"} - set(trainer.SHIPPED_WITH)
    report: dict = {
        "folds": folds,
        "seed": seed,
        "subsample": {
            "per_set": per_set or "all",
            "goemotions_base": base_size or "all",
            "churn_sets": "all distinct texts (scored only)",
            "why": "a full retrain takes about a minute per head on 2 cores; sizes are seeded draws",
        },
        "polarity_decision": "the shipped offsets and margin, not re-chosen per fold",
        "sets": {},
    }
    plans = {
        "goemotions": lambda: (
            base,
            shipped_extra,
            {"emotion", "polarity"},
            GOEMOTIONS_EMOTIONS,
            False,
        ),
        "xed": lambda: (xed, base, {"emotion"}, XED_EMOTIONS, "xed" in unseen),
        "dynasent": lambda: (dyna, base, {"polarity"}, None, "dynasent" in unseen),
    }
    for name in sets:
        print(f"{name}:", file=sys.stderr)
        if name in plans:
            population, set_base, heads, emotions, compare = plans[name]()
            result = cross_validate(
                population, set_base, heads, emotions, retrainer, compare, folds, seed
            )
            result["retrained"] = sorted(heads)
        else:  # churn intent: a rule, nothing to retrain; every distinct text is scored
            population = (
                cv_sets.multidogo(train_dir) if name == "multidogo" else cv_sets.clinc150(train_dir)
            )
            result = churn_folds(population, folds, seed)
            result["retrained"] = []
        result["texts"] = len(population)
        report["sets"][name] = result
    report["took_s"] = round(time.monotonic() - started)
    return report


def render(report: dict) -> str:
    """The report as a table for people: per set and metric, mean ± sd [min-max] over the folds
    for the scorer, the shipped model (sets it never saw) and plain VADER ("-": no such label)."""

    def cell(m: dict | None, d: int) -> str:
        return (
            f"{m['mean']:.{d}f} ± {m['sd']:.{d}f} [{m['min']:.{d}f}-{m['max']:.{d}f}]" if m else "-"
        )

    sub = report["subsample"]
    lines = [
        f"{report['folds']}-fold cross-validation, seed {report['seed']}; texts per set:"
        f" {sub['per_set']}, GoEmotions rows in training: {sub['goemotions_base']}",
        f"{'set':<11} {'metric':<23} {'texts':>6}  {'scorer (retrained per fold)':<29}"
        f" {'shipped model':<29} {'plain VADER':<29}",
    ]
    for name, res in report["sets"].items():
        for metric, m in res["scorer"].items():
            d = 4 if metric.endswith("rate") else 3
            lines.append(
                f"{name:<11} {metric:<23} {res['texts']:>6}  {cell(m, d):<29}"
                f" {cell(res.get('shipped_model', {}).get(metric), d):<29}"
                f" {cell(res.get('vader', {}).get(metric), d):<29}"
            )
    lines.append(
        "Higher is better except churn_false_alarm_rate. Churn intent is a rule, not"
        " retrained: its folds show the sampling spread only."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m sentiment_udfs.training.crossval",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--data", type=Path, default=Path("../shared/eval/data"))
    ap.add_argument("--sets", default=",".join(SETS), help=f"comma-separated, of {','.join(SETS)}")
    ap.add_argument("--per-set", type=int, default=PER_SET, help="texts drawn per set (0: all)")
    ap.add_argument("--base", type=int, default=BASE, help="GoEmotions rows drawn (0: all 42,807)")
    ap.add_argument("--folds", type=int, default=FOLDS)
    ap.add_argument("--seed", type=int, default=SEED)
    a = ap.parse_args(argv)
    sets = [s for s in a.sets.split(",") if s]
    unknown = set(sets) - set(SETS)
    if unknown:
        ap.error(f"unknown set(s) {sorted(unknown)}; choose from {', '.join(SETS)}")
    report = run(a.data, sets, a.per_set, a.base, a.folds, a.seed)
    print(render(report))
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
