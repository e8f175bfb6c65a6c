"""One colour per emotion, shared by every chart (and the CSS legend swatches)."""

from __future__ import annotations

from sentiment_udfs.taxonomy import EMOTIONS

EMOTION_COLORS: dict[str, str] = {
    "delight": "#1a9e77",
    "satisfaction": "#7cc8a4",
    "curiosity": "#4f8fd6",
    "neutral": "#b3bac5",
    "confusion": "#f2c14e",
    "anxiety": "#f4a259",
    "frustration": "#e8743b",
    "disappointment": "#9b72cf",
    "anger": "#c8283c",
}
UNKNOWN_EMOTION_COLOR = "#6b7280"

assert set(EMOTION_COLORS) == set(EMOTIONS), "every emotion of the taxonomy needs a colour"


def emotion_color(emotion: str) -> str:
    """The colour of an emotion; a neutral grey for values outside the taxonomy.

    >>> emotion_color("anger"), emotion_color("boredom")
    ('#c8283c', '#6b7280')
    """
    return EMOTION_COLORS.get(emotion, UNKNOWN_EMOTION_COLOR)


def emotion_order(present: list[str] | tuple[str, ...]) -> list[str]:
    """The taxonomy's order for the emotions present, unknown ones last (sorted).

    >>> emotion_order(["anger", "delight", "boredom"])
    ['delight', 'anger', 'boredom']
    """
    present_set = set(present)
    known = [e for e in EMOTIONS if e in present_set]
    return known + sorted(present_set - set(EMOTIONS))
