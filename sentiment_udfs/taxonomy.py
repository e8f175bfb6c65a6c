"""The emotion taxonomy and sentiment thresholds of ARCHITECTURE.md."""

EMOTIONS: tuple[str, ...] = (
    "delight",
    "satisfaction",
    "curiosity",
    "neutral",
    "confusion",
    "anxiety",
    "frustration",
    "disappointment",
    "anger",
)
NEGATIVE_EMOTIONS = frozenset({"confusion", "anxiety", "frustration", "disappointment", "anger"})
POSITIVE_EMOTIONS = frozenset({"delight", "satisfaction"})

# VADER's published cut-offs on the compound score.
POSITIVE_THRESHOLD = 0.05
NEGATIVE_THRESHOLD = -0.05


def sentiment_label(compound: float) -> str:
    """Map a compound score to VADER's three labels.

    >>> sentiment_label(0.05), sentiment_label(-0.05), sentiment_label(0.0)
    ('positive', 'negative', 'neutral')
    """
    if compound >= POSITIVE_THRESHOLD:
        return "positive"
    if compound <= NEGATIVE_THRESHOLD:
        return "negative"
    return "neutral"


CUES: tuple[str, ...] = (
    "churn_intent",
    "billing_concern",
    "urgency",
    "praise",
    "sarcasm",
    "question",
)
# A text's cues travel as one int of bit flags (cheap to pickle between processes): bit i is
# CUES[i].
CHURN_INTENT, BILLING_CONCERN, URGENCY, PRAISE, SARCASM, QUESTION = (
    1 << i for i in range(len(CUES))
)
CUE_BITS: dict[str, int] = {c: 1 << i for i, c in enumerate(CUES)}
