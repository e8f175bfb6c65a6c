"""Score texts: VADER polarity, a keyword-based primary emotion and keyword cues, with evidence.

This is the first scorer. The CRM emotion engine replaces how the fields are computed; the record
shape (see ``score_text``) is the contract the warehouse stores and stays.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from sentiment_udfs.taxonomy import CUES, EMOTIONS, sentiment_label

SCORER_VERSION = "0.1.0"

# Keyword cues per emotion, checked in this order (stronger, more specific emotions first).
_EMOTION_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("anger", ("unacceptable", "ridiculous", "furious", "outrageous", "worst", "angry")),
    ("frustration", ("still waiting", "frustrat", "no one", "nobody", "still not")),
    ("disappointment", ("disappoint", "expected better", "let down", "not what we")),
    ("anxiety", ("worried", "concerned", "deadline", "nervous")),
    ("confusion", ("confus", "don't understand", "unclear", "not sure how", "how do i")),
    ("delight", ("love", "amazing", "fantastic", "awesome", "thrilled", "excellent")),
    ("curiosity", ("wondering", "curious", "is it possible", "could you tell", "roadmap")),
)
_CUE_KEYWORDS: dict[str, tuple[str, ...]] = {
    "churn_intent": ("cancel", "switch to", "evaluating alternatives", "terminate", "not renew"),
    "billing_concern": ("invoice", "charged", "billing", "refund", "overcharg"),
    "urgency": ("urgent", "asap", "immediately", "right now", "as soon as possible"),
    "praise": ("thank you so much", "great job", "well done", "you guys rock", "love"),
    "sarcasm": ("thanks for nothing", "great, another", "just what we needed"),
    "question": ("?",),
}


def _pattern(keys: Iterable[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(k) for k in keys), re.IGNORECASE)


_EMOTION_PATTERNS = tuple((e, _pattern(keys)) for e, keys in _EMOTION_KEYWORDS)
_CUE_PATTERNS = {cue: _pattern(keys) for cue, keys in _CUE_KEYWORDS.items()}


@lru_cache(maxsize=1)
def _analyzer():
    # Imported lazily: loading the lexicon reads a file, which must not happen at import.
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def _emotion(text: str, compound: float) -> tuple[str, float, dict | None]:
    for emotion, pattern in _EMOTION_PATTERNS:
        if match := pattern.search(text):
            evidence = {"kind": "keyword", "target": emotion, "text": match.group(0), "weight": 1.0}
            return emotion, round(max(abs(compound), 0.3), 4), evidence
    if compound >= 0.05:
        return "satisfaction", round(compound, 4), None
    if compound <= -0.05:
        return "frustration", round(-compound, 4), None
    return "neutral", 0.0, None


def _empty_record() -> dict:
    return {
        "compound": 0.0,
        "sentiment_label": "neutral",
        "emotion": "neutral",
        "emotion_intensity": 0.0,
        "emotion_scores": {e: float(e == "neutral") for e in EMOTIONS},
        "cues": dict.fromkeys(CUES, False),
        "evidence": [{"kind": "rule", "target": "neutral", "text": "empty text", "weight": 0.0}],
        "language": "unknown",
        "is_empty": True,
        "scorer_version": SCORER_VERSION,
    }


def score_text(text: str | None) -> dict:
    """Score one text. An empty or missing text is neutral and flagged ``is_empty``.

    >>> r = score_text("I want to cancel, this is unacceptable!")
    >>> r["sentiment_label"], r["emotion"], r["cues"]["churn_intent"]
    ('negative', 'anger', True)
    """
    if text is None or not text.strip():
        return _empty_record()
    compound = _analyzer().polarity_scores(text)["compound"]
    emotion, intensity, emotion_evidence = _emotion(text, compound)
    evidence = [emotion_evidence] if emotion_evidence else []
    cues = {}
    for cue, pattern in _CUE_PATTERNS.items():
        match = pattern.search(text)
        cues[cue] = match is not None
        if match:
            evidence.append(
                {"kind": "keyword", "target": cue, "text": match.group(0), "weight": 1.0}
            )
    return {
        "compound": compound,
        "sentiment_label": sentiment_label(compound),
        "emotion": emotion,
        "emotion_intensity": intensity,
        "emotion_scores": {e: (intensity if e == emotion else 0.0) for e in EMOTIONS},
        "cues": cues,
        "evidence": evidence,
        "language": "en",
        "is_empty": False,
        "scorer_version": SCORER_VERSION,
    }


def score_texts(texts: Iterable[str | None]) -> list[dict]:
    """Score many texts; one record per text, in order."""
    return [score_text(t) for t in texts]
