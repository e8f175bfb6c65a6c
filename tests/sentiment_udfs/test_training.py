"""The emotion model's trainer (``sentiment_udfs.training.build_emotion_model``): a row's weight
acts as if the row were repeated, the extra sets are read with their labels mapped and their
source named, DynaSent rows outside the allowed rounds are scored but never learned from, and
the shipped model stays small and says what it learned from."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from sentiment_udfs.lexicon import DATA_DIR
from sentiment_udfs.taxonomy import EMOTIONS
from sentiment_udfs.training import build_emotion_model as trainer
from sentiment_udfs.training import cv_sets

# Every feature occurs at least twice, so the vocabulary (MIN_COUNT) is the same however often
# a row is repeated.
EXAMPLES = [
    (["late", "again"], 0),
    (["thanks", "fast"], 2),
    (["the", "invoice"], 1),
    (["late", "broken", "again"], 0),
    (["thanks", "fast", "great"], 2),
    (["the", "invoice", "broken", "great"], 1),
]


def test_a_weight_acts_as_a_repeated_row():
    repeated = [*EXAMPLES, EXAMPLES[0], EXAMPLES[0]]
    weighted = [(fs, y, 3.0 if i == 0 else 1.0) for i, (fs, y) in enumerate(EXAMPLES)]
    w_rep, vocab_rep = trainer.train_head(repeated, 3)
    w_wt, vocab_wt = trainer.train_head(weighted, 3)
    assert vocab_rep == vocab_wt
    assert np.allclose(w_rep, w_wt, atol=1e-9)
    plain, _ = trainer.train_head(EXAMPLES, 3)
    assert not np.allclose(plain, w_wt, atol=1e-3)  # the weight changed the fit


def test_a_lighter_set_teaches_less():
    """A feature seen only in light rows moves its class less than in full-weight rows."""
    light = [*EXAMPLES, (["subtitle"], 0, 0.2), (["subtitle", "late"], 0, 0.2)]
    full = [*EXAMPLES, (["subtitle"], 0, 1.0), (["subtitle", "late"], 0, 1.0)]
    w_light, vocab = trainer.train_head(light, 3)
    w_full, _ = trainer.train_head(full, 3)
    j = vocab["subtitle"]
    assert 0 < w_light[j, 0] < w_full[j, 0]


def test_row_weights_by_set():
    assert trainer.row_weight("goemotions") == 1.0
    assert trainer.row_weight("xed") == trainer.EXTRA_SETS["xed"]
    assert set(trainer.SHIPPED_WITH) <= set(trainer.EXTRA_SETS)


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


@pytest.fixture
def train_dir(tmp_path: Path) -> Path:
    ge = tmp_path / "goemotions"
    ge.mkdir()
    (ge / "emotions.txt").write_text("\n".join(["anger", "gratitude", "neutral"]))
    (ge / "sentiment_dict.json").write_text(
        json.dumps({"negative": ["anger"], "positive": ["gratitude"]})
    )
    train = tmp_path / "train"
    _write(
        train / "goemotions_train/train.csv",
        ["text", "label"],
        [["I am furious", "anger"], ["thank you", "gratitude"], ["the table", "neutral"]],
    )
    _write(
        train / "xed_en/xed_en.csv",
        ["text", "label"],
        [["Get out !", "anger"], ["So sad .", "sadness"], ["Trust me .", "trust"]],
    )
    _write(
        train / "dynasent/dynasent_v1.1_dev_test.csv",
        ["text", "label", "round"],
        [["The soup was cold.", "negative", "round01"], ["Great staff.", "positive", "round02"]],
    )
    return tmp_path


def test_training_examples_read_every_set_with_its_source(train_dir: Path):
    rows = trainer.training_examples(
        train_dir / "goemotions", train_dir / "train", {"xed": 0.5, "dynasent": 1.0}, None
    )
    by_text = {e.text: e for e in rows}
    assert by_text["I am furious"].source == "goemotions"
    assert by_text["I am furious"].train_emotion == "anger"
    assert by_text["So sad ."].train_emotion == "disappointment"  # XED sadness
    assert "Trust me ." not in by_text  # maps to no CRM emotion: nothing to learn
    assert by_text["The soup was cold."].train_polarity == "negative"
    assert {e.source for e in rows} == {"goemotions", "xed", "dynasent"}


def test_dynasent_rounds_outside_the_allowed_ones_are_scored_not_learned(train_dir: Path):
    rows = cv_sets.dynasent(train_dir / "train", frozenset({"round02"}))
    by_text = {e.text: e for e in rows}
    assert by_text["The soup was cold."].polarity == "negative"  # still scored
    assert by_text["The soup was cold."].train_polarity is None  # Yelp sentence: not learned
    assert by_text["Great staff."].train_polarity == "positive"
    learned = trainer.training_examples(
        train_dir / "goemotions", train_dir / "train", {"dynasent": 1.0}, frozenset({"round02"})
    )
    assert "The soup was cold." not in {e.text for e in learned}


def test_the_shipped_model_is_small_and_names_its_sources():
    path = DATA_DIR / "emotion_model.json"
    assert path.stat().st_size <= 25 * 2**20  # the cap for the repository
    model = json.loads(path.read_text(encoding="utf-8"))
    assert model["emotion"]["classes"] == list(EMOTIONS)
    assert model["polarity"]["classes"] == list(trainer.POLARITY)
    assert "GoEmotions" in model["source"]
    assert ("XED" in model["source"]) is ("xed" in trainer.SHIPPED_WITH)
    assert ("DynaSent" in model["source"]) is ("dynasent" in trainer.SHIPPED_WITH)


def test_a_verdict_tagged_as_fear_is_scored_but_not_learned():
    """GoEmotions' raters tagged many bare verdicts ('This is terrible') as fear: such a row keeps
    its gold label for scoring, but teaches the emotion head nothing unless it names a fear."""
    groups = {"fear": "negative", "annoyance": "negative"}
    verdict, feared, annoyed = cv_sets.goemotions_examples(
        [
            ("This is terrible", ["fear"]),
            ("I'm scared, this is terrible", ["fear"]),
            ("This is terrible", ["annoyance"]),
        ],
        groups,
    )
    assert (verdict.emotion, verdict.train_emotion) == ("anxiety", None)
    assert verdict.train_polarity == "negative"  # the polarity it says is right
    assert feared.train_emotion == "anxiety"
    assert annoyed.train_emotion == "frustration"
