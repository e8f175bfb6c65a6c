"""The training sets in ``../shared/eval/data/train`` (its README gives licences and caveats),
read as labelled rows whose labels our scorer can be compared with.

Each loader returns ``Example``s: the text and its labels, already mapped to what the scorer
outputs (a CRM emotion, a 3-class polarity, or churn intent yes/no). A row whose labels do not
map to exactly one of our labels is left out, as ``evaluate.py`` does with GoEmotions.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import NamedTuple

from sentiment_udfs.training.build_emotion_model import (
    GOEMOTIONS_TO_CRM,
    POLARITY,
    emotion_names_and_groups,
    one_label,
)

# XED's Plutchik emotions -> the CRM taxonomy. Only the ones a person would equate: sadness is
# what a customer's disappointment is; anticipation, surprise, trust and disgust have no CRM
# counterpart and their rows are left out.
XED_TO_CRM = {
    "anger": "anger",
    "fear": "anxiety",
    "joy": "delight",
    "sadness": "disappointment",
    "neutral": "neutral",
}
# MultiDoGO customer intents that end the relationship. `stoporder` (cancel one item of an
# order) is not churn; neither are CLINC150's `cancel` ("cancel that") or `cancel_reservation`.
MULTIDOGO_CHURN = frozenset({"closeaccount", "cancelserviceintent"})


# GoEmotions' raters often tagged a harsh verdict as fear ('This is terrible', 'Your coaching is
# terrible', 'You're a horrible person': 82 training rows labelled fear or nervousness alone), as
# if 'terrible' and 'horrible' still meant 'causing terror, horror'. In the CRM taxonomy anxiety is
# worry about what may happen; a verdict on a thing is frustration or disappointment. So such a row
# teaches the emotion head nothing unless it also names a fear or worry. (Its gold label is kept
# for scoring: ``emotion``.)
VERDICT_WORDS = re.compile(
    r"\b(?:terribl[ey]|horribl[ey]|horrendous\w*|awful\w*|dreadful\w*|atrocious\w*|appalling\w*"
    r"|abysmal\w*|lousy|pathetic\w*)\b"
)
FEAR_WORDS = re.compile(
    r"\b(?:afraid|scar(?:e|ed|es|y|ier|iest|ing)|fear\w*|terrif\w*|frighten\w*|fright|worr\w*"
    r"|nervous\w*|anxi\w*|panic\w*|dread|dreading|horrif\w*|spooky|creep(?:y|ed)|petrified"
    r"|paranoi\w*|uneasy|threat\w*)\b"
)


def verdict_read_as_fear(text: str, emotion: str | None) -> bool:
    """A row whose anxiety label rests on a harsh verdict alone (see ``VERDICT_WORDS``).

    >>> verdict_read_as_fear("This is terrible", "anxiety")
    True
    >>> verdict_read_as_fear("I'm scared, this is terrible", "anxiety")
    False
    >>> verdict_read_as_fear("This is terrible", "frustration")
    False
    """
    if emotion != "anxiety":
        return False
    lower = text.lower()
    return bool(VERDICT_WORDS.search(lower)) and not FEAR_WORDS.search(lower)


class Example(NamedTuple):
    text: str
    emotion: str | None = None  # a CRM emotion, single-label rows only
    polarity: str | None = None  # negative / neutral / positive, single-label rows only
    churn: bool | None = None
    intent: str = ""  # the set's own label, for reading false alarms
    train_emotion: str | None = None  # what the trainer learns from (one_label: may be multi)
    train_polarity: str | None = None
    source: str = ""  # the set it comes from: the trainer weighs its rows by set


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        raise FileNotFoundError(f"training set not found: {path} (see ../shared/eval/README.md)")
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    if rows and not {"text", "label"} <= rows[0].keys():
        raise ValueError(f"{path}: expected columns 'text' and 'label', got {list(rows[0])}")
    return rows


def goemotions(train: Path, goemotions_dir: Path) -> list[Example]:
    """GoEmotions' full train split: emotion and polarity as ``evaluate.py`` maps them."""
    _, groups = emotion_names_and_groups(goemotions_dir)
    rows = [
        (r["text"], r["label"].split(";")) for r in _rows(train / "goemotions_train" / "train.csv")
    ]
    return goemotions_examples(rows, groups)


def goemotions_examples(rows: list[tuple[str, list[str]]], groups: dict[str, str]) -> list[Example]:
    """GoEmotions rows (text, label names) as Examples; ``groups``: each emotion's polarity."""
    out = []
    for text, labels in rows:
        single = labels[0] if len(labels) == 1 else None
        polarity = groups.get(single) if single else None
        train_polarity = one_label(labels, groups)
        train_emotion = one_label(labels, GOEMOTIONS_TO_CRM)
        if verdict_read_as_fear(text, train_emotion):
            train_emotion = None
        out.append(
            Example(
                text,
                emotion=GOEMOTIONS_TO_CRM.get(single) if single else None,
                polarity=polarity if polarity in POLARITY else None,
                train_emotion=train_emotion,
                train_polarity=train_polarity if train_polarity in POLARITY else None,
                source="goemotions",
            )
        )
    return out


def xed(train: Path) -> list[Example]:
    """XED English, single-label rows whose emotion maps to the CRM taxonomy."""
    out = []
    for r in _rows(train / "xed_en" / "xed_en.csv"):
        labels = r["label"].split(";")
        if len(labels) == 1 and labels[0] in XED_TO_CRM:
            emotion = XED_TO_CRM[labels[0]]
            out.append(Example(r["text"], emotion=emotion, train_emotion=emotion, source="xed"))
    return out


def dynasent(train: Path, train_rounds: frozenset[str] | None = None) -> list[Example]:
    """DynaSent v1.1 dev+test: 3-class gold polarity. Only rows of ``train_rounds`` (all when
    None) are learned from; the others are scored only (``round01`` rows are verbatim Yelp
    sentences, ``round02`` crowd-written: see the README's Yelp caveat)."""
    return [
        Example(
            r["text"],
            polarity=r["label"],
            train_polarity=r["label"]
            if train_rounds is None or r["round"] in train_rounds
            else None,
            source="dynasent",
        )
        for r in _rows(train / "dynasent" / "dynasent_v1.1_dev_test.csv")
        if r["label"] in POLARITY
    ]


def multidogo(train: Path) -> list[Example]:
    """MultiDoGO customer turns: churn intent = account closing or service cancellation.
    Texts repeat heavily (greetings, thanks), so each distinct (text, churn) pair counts once."""
    seen, out = set(), []
    for r in _rows(train / "multidogo" / "multidogo_turns.csv"):
        churn = bool(MULTIDOGO_CHURN & set(r["label"].split(";")))
        key = (" ".join(r["text"].lower().split()), churn)
        if key not in seen:
            seen.add(key)
            out.append(Example(r["text"], churn=churn, intent=r["label"]))
    return out


def clinc150(train: Path) -> list[Example]:
    """CLINC150: no intent means leaving a provider, so every row is a non-churn query (many
    near misses: 'cancel that', cancel a reservation, freeze or block an account)."""
    return [
        Example(r["text"], churn=False, intent=r["label"])
        for r in _rows(train / "clinc150" / "clinc150_full.csv")
    ]
