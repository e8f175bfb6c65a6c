"""The cross-validation runner (``sentiment_udfs.training.crossval``): folds are disjoint and
deterministic, a retrained model is the one scored (and the shipped one stays), held-out texts
never train, and a tiny run on small sets in the real file layout gives the report's fields."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pytest

from sentiment_udfs.engine import Engine, engine, record
from sentiment_udfs.training import crossval
from sentiment_udfs.training.crossval import assign_folds, engine_with, text_key
from sentiment_udfs.training.cv_sets import Example

TEXTS = [f"text number {i} about the invoice" for i in range(40)] + [
    "Close my account",
    "close  MY account",  # the same text as above, up to case and spacing
    "Thanks, all good",
]


def test_folds_are_disjoint_and_cover_every_text():
    fold = assign_folds(TEXTS)
    by_key: dict[str, set[int]] = {}
    for t, f in zip(TEXTS, fold, strict=True):
        by_key.setdefault(text_key(t), set()).add(f)
    assert all(len(fs) == 1 for fs in by_key.values())  # a text (and its duplicates) in one fold
    sizes = [sum(1 for fs in by_key.values() if k in fs) for k in range(crossval.FOLDS)]
    assert max(sizes) - min(sizes) <= 1  # distinct texts dealt evenly
    assert sum(sizes) == len(by_key) == 42


def test_folds_are_deterministic_and_follow_the_seed():
    shuffled = TEXTS[:]
    random.Random(3).shuffle(shuffled)
    first = dict(zip(TEXTS, assign_folds(TEXTS), strict=True))
    again = dict(zip(TEXTS, assign_folds(TEXTS), strict=True))
    reordered = dict(zip(shuffled, assign_folds(shuffled), strict=True))
    assert first == again == reordered
    other_seed = dict(zip(TEXTS, assign_folds(TEXTS, seed=crossval.SEED + 1), strict=True))
    assert other_seed != first


SAMPLE = [
    "I am so angry, this is the worst support ever",
    "Thank you so much, that fixed it!",
    "Why was I charged twice?",
    "The meeting is at 3pm",
]


def _shipped_raw() -> dict:
    return json.loads((crossval.DATA_DIR / "emotion_model.json").read_text(encoding="utf-8"))


def test_engine_with_scores_the_given_model_and_leaves_the_shipped_one():
    shipped = [record(c) for c in Engine().score_batch(SAMPLE)]
    assert [record(c) for c in engine_with(_shipped_raw()).score_batch(SAMPLE)] == shipped
    raw = _shipped_raw()
    # Only the neutral class left in the emotion head: every text's model reading changes.
    raw["emotion"] = {**raw["emotion"], "weights": {}, "bias": [0, 0, 0, 9, 0, 0, 0, 0, 0]}
    swapped = [record(c) for c in engine_with(raw).score_batch(SAMPLE)]
    assert [r["emotion_scores"] for r in swapped] != [r["emotion_scores"] for r in shipped]
    assert [record(c) for c in engine().score_batch(SAMPLE)] == shipped  # the shared engine


class _RecordingRetrainer:
    """Keeps what each fold trains on; scores with the shipped model (a unit-test stand-in)."""

    def __init__(self) -> None:
        self.shipped = _shipped_raw()
        self.trained_on: list[list[str]] = []

    def model(self, train, heads):
        self.trained_on.append([e.text for e in train])
        return self.shipped


def test_held_out_texts_never_train():
    population = [Example(t, polarity="negative", train_polarity="negative") for t in TEXTS]
    base = [Example("CLOSE my account", train_polarity="negative"), Example("base only")]
    fake = _RecordingRetrainer()
    crossval.cross_validate(population, base, {"polarity"}, None, fake, compare_shipped=False)
    fold = assign_folds(TEXTS)
    assert len(fake.trained_on) == crossval.FOLDS
    for k, trained in enumerate(fake.trained_on):
        held = {text_key(t) for t, f in zip(TEXTS, fold, strict=True) if f == k}
        assert held and not held & {text_key(t) for t in trained}
        assert "base only" in trained  # the base trains every fold


# -- a tiny run over the real file layout -------------------------------------------------------
GOEMOTIONS = ["anger", "gratitude", "neutral", "curiosity", "annoyance", "joy"]
PHRASES = {
    "anger": "I am furious about this {}",
    "gratitude": "thank you so much for the {}",
    "neutral": "the {} is on the table",
    "curiosity": "I wonder how the {} works",
    "annoyance": "the {} is so annoying again",
    "joy": "so happy with the {}!",
}
NOUNS = ["invoice", "app", "update", "router", "plan", "order", "refund", "login"]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


@pytest.fixture
def tiny_data(tmp_path: Path) -> Path:
    ge = tmp_path / "goemotions"
    ge.mkdir()
    (ge / "emotions.txt").write_text("\n".join(GOEMOTIONS))
    groups = {"positive": ["gratitude", "joy"], "negative": ["anger", "annoyance"]}
    groups["ambiguous"] = ["curiosity"]
    (ge / "sentiment_dict.json").write_text(json.dumps(groups))
    train = tmp_path / "train"
    ge_rows = [[PHRASES[e].format(n), e] for e in GOEMOTIONS for n in NOUNS]
    _write(train / "goemotions_train/train.csv", ["text", "label"], ge_rows)
    xed = {"anger": "I hate this {}", "joy": "what a lovely {}", "neutral": "the {} again"}
    xed_rows = [[p.format(n), e] for e, p in xed.items() for n in NOUNS]
    _write(train / "xed_en/xed_en.csv", ["text", "label"], xed_rows + [["odd", "trust"]])
    dyna = {"negative": "the {} was awful", "positive": "great {}", "neutral": "we got the {}"}
    dyna_rows = [
        [p.format(n), lab, f"round0{1 + i % 2}"]
        for lab, p in dyna.items()
        for i, n in enumerate(NOUNS)
    ]
    _write(train / "dynasent/dynasent_v1.1_dev_test.csv", ["text", "label", "round"], dyna_rows)
    churn = [[f"please close my account, the {n} is useless", "closeaccount"] for n in NOUNS]
    other = [[f"where is my {n}", "checkbalance"] for n in NOUNS] * 2  # duplicates count once
    _write(train / "multidogo/multidogo_turns.csv", ["text", "label"], churn + other)
    clinc = [[f"cancel the {n} reminder", "cancel"] for n in NOUNS]
    _write(train / "clinc150/clinc150_full.csv", ["text", "label"], clinc)
    return tmp_path


def test_a_tiny_run_reports_every_field(tiny_data: Path):
    report = crossval.run(tiny_data, per_set=0, base_size=0)
    assert report["folds"] == crossval.FOLDS and report["seed"] == crossval.SEED
    assert report["subsample"]["per_set"] == "all"
    sets = report["sets"]
    assert list(sets) == list(crossval.SETS)
    expected = {
        "goemotions": ({"emotion_macro_f1", "polarity_macro_f1"}, 48, {"vader"}),
        "xed": ({"emotion_macro_f1"}, 24, {"shipped_model"}),  # 'trust' maps to nothing
        "dynasent": ({"polarity_macro_f1"}, 24, {"vader"}),
        "multidogo": ({"churn_intent_f1"}, 16, set()),
        "clinc150": ({"churn_false_alarm_rate"}, 8, set()),
    }
    for name, (metrics, texts, beside) in expected.items():
        res = sets[name]
        assert set(res["scorer"]) == metrics and res["texts"] == texts, name
        assert beside <= set(res), name
        for m in [*res["scorer"].values(), *(v for b in beside for v in res[b].values())]:
            assert len(m["folds"]) == crossval.FOLDS
            assert 0.0 <= m["min"] <= m["mean"] <= m["max"] <= 1.0 and m["sd"] >= 0.0
    # The shipped model learned from DynaSent: beside it, it would score its own training
    # texts, so it is not shown; it never saw XED.
    assert "shipped_model" not in sets["dynasent"]
    assert sets["multidogo"]["churn_texts"] == 8
    assert sets["multidogo"]["scorer"]["churn_intent_f1"]["mean"] > 0.5  # the rule finds them
    assert sets["goemotions"]["retrained"] == ["emotion", "polarity"]
    assert sets["multidogo"]["retrained"] == []
    table = crossval.render(report)
    assert all(name in table for name in crossval.SETS)
