"""Score texts: VADER polarity plus a first keyword-based emotion.

This is the first scorer: VADER's compound and label, and a primary emotion chosen from a small
keyword list with VADER's polarity as the fallback. The CRM emotion engine replaces the emotion
part; the record shape stays.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from sentiment_udfs.taxonomy import sentiment_label

SCORER_VERSION = "0.1.0"

# Keyword cues per emotion, checked in this order (stronger, more specific emotions first).
_EMOTION_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("anger", ("unacceptable", "ridiculous", "furious", "outrageous", "worst", "angry")),
    ("frustration", ("still waiting", "again", "frustrat", "no one", "nobody", "still not")),
    ("disappointment", ("disappoint", "expected better", "let down", "not what we")),
    ("anxiety", ("worried", "concerned", "urgent", "asap", "deadline", "nervous")),
    ("confusion", ("confus", "don't understand", "unclear", "not sure how", "how do i")),
    ("delight", ("love", "amazing", "fantastic", "awesome", "thrilled", "excellent")),
    ("curiosity", ("wondering", "curious", "is it possible", "could you tell", "roadmap")),
)
_KEYWORD_PATTERNS = tuple(
    (emotion, re.compile("|".join(re.escape(k) for k in keys), re.IGNORECASE))
    for emotion, keys in _EMOTION_KEYWORDS
)


@lru_cache(maxsize=1)
def _analyzer():
    # Imported lazily: loading the lexicon reads a file, which must not happen at import.
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def _emotion(text: str, compound: float) -> tuple[str, float]:
    for emotion, pattern in _KEYWORD_PATTERNS:
        if pattern.search(text):
            return emotion, round(max(abs(compound), 0.3), 4)
    if compound >= 0.05:
        return "satisfaction", round(compound, 4)
    if compound <= -0.05:
        return "frustration", round(-compound, 4)
    return "neutral", 0.0


def score_text(text: str | None) -> dict:
    """Score one text; an empty or missing text is neutral and flagged ``is_empty``."""
    if text is None or not text.strip():
        return {
            "compound": 0.0,
            "sentiment_label": "neutral",
            "emotion": "neutral",
            "emotion_intensity": 0.0,
            "is_empty": True,
            "scorer_version": SCORER_VERSION,
        }
    compound = _analyzer().polarity_scores(text)["compound"]
    emotion, intensity = _emotion(text, compound)
    return {
        "compound": compound,
        "sentiment_label": sentiment_label(compound),
        "emotion": emotion,
        "emotion_intensity": intensity,
        "is_empty": False,
        "scorer_version": SCORER_VERSION,
    }


def score_texts(texts: Iterable[str | None]) -> list[dict]:
    """Score many texts; one record per text, in order."""
    return [score_text(t) for t in texts]
