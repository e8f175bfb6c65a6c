"""When the polarity model settles the sentiment label: one home for the rule and its guards,
shared by the engine (per text), the trainer (which tunes the offsets and margin on them) and
``training.polarity_tradeoff``.
"""

from __future__ import annotations

import numpy as np

from sentiment_udfs.taxonomy import NEGATIVE_THRESHOLD, POSITIVE_THRESHOLD

POLARITY_MARGIN = 0.5  # the polarity model overrules the lexicon's label only when this sure
KEEP_STRONG = 0.3  # ... never calls a clearly positive reading neutral, nor any negative one
NO_FLIP = 0.3  # ... nor flips a reading this polar to the other side
_LABELS = ("negative", "neutral", "positive")


def label_ids(compound: np.ndarray) -> np.ndarray:
    """The label of each compound as 0 negative, 1 neutral, 2 positive (taxonomy's cut-offs).

    >>> label_ids(np.array([-0.05, 0.0, 0.05])).tolist()
    [0, 1, 2]
    """
    return np.where(
        compound >= POSITIVE_THRESHOLD, 2, np.where(compound <= NEGATIVE_THRESHOLD, 0, 1)
    )


def polarity_adjust(compound: float, probs: list[float], crm_said: bool = False):
    """Let the polarity model settle the label where the lexicon misses context.

    The lexicon calls any mild word polar ("like", "yes", "sure"), and misses sentiment
    without lexicon words. When the model (words + the compound's bucket) is confident, the
    label follows it: neutral shrinks the compound into the neutral band keeping its sign
    (ranks barely move); a polarity the compound lacks moves it just past the cut-off. Where
    the CRM lexicon or a pattern spoke (``crm_said``), the model does not overrule it. The
    model decides only weak or empty readings: it never calls a negative reading neutral (in
    customer-service text a negative word reports a problem: 'delayed', 'confusing'), nor a
    clearly positive one (``keep_strong``), nor flips one of ``no_flip`` or more (a model
    trained on Reddit called plain praise such as 'Fast delivery and good quality' neutral).
    Returns the new compound and the evidence tuples.

    >>> polarity_adjust(0.2, [0.1, 0.8, 0.1])[0], polarity_adjust(-0.2, [0.1, 0.8, 0.1])[0]
    (0.008, -0.2)
    >>> polarity_adjust(0.0, [0.7, 0.2, 0.1])[0]
    -0.12
    >>> polarity_adjust(-0.7, [0.1, 0.2, 0.7])[0]
    -0.7
    """
    top = 0 if probs[0] >= probs[1] else 1
    if probs[2] > probs[top]:
        top = 2
    return adjust(compound, top, probs[top], crm_said)


def adjust(
    compound: float,
    top: int,
    p: float,
    crm_said: bool,
    margin: float = POLARITY_MARGIN,
    keep_strong: float = KEEP_STRONG,
    no_flip: float = NO_FLIP,
):
    """``polarity_adjust`` given the model's top label (0/1/2) and its probability."""
    if p <= margin or (crm_said and compound != 0):
        return compound, ()
    if top == 1:
        if compound < 0 or compound >= keep_strong:
            return compound, ()
        new = compound * 0.04
    elif top == 2:
        new = compound if compound >= POSITIVE_THRESHOLD else round(0.05 + 0.1 * p, 4)
    else:
        new = compound if compound <= NEGATIVE_THRESHOLD else round(-0.05 - 0.1 * p, 4)
    if new == compound:
        return compound, ()
    if abs(compound) >= no_flip and top != 1 and (new > 0) != (compound > 0):
        return compound, ()  # a strong lexicon reading is not flipped by the model
    why = f"polarity model: {_LABELS[top]} (p={p:.2f})"
    return round(new, 4), (("model", "sentiment", why, round(p, 4)),)
