"""The rules that move the emotion model's logits, in one place: the engine adds them for a
whole batch, and reads the same table back as evidence for the emotion it chose.

A rule fires per text (``Flags``); each pushes some emotions' logits by a fixed amount. The
compound's own pushes scale with its size: a clearly negative reading is not delight, a clearly
positive one not frustration.
"""

from __future__ import annotations

from typing import NamedTuple

from sentiment_udfs.taxonomy import EMOTIONS

_E = {e: i for i, e in enumerate(EMOTIONS)}
POSITIVE = (_E["delight"], _E["satisfaction"])
NEGATIVE = (_E["frustration"], _E["disappointment"], _E["anger"])
NEUTRAL = _E["neutral"]

# |compound| from which the reading pushes the emotions (per unit of |compound|).
COMPOUND_PUSH_FROM = 0.3
NEGATIVE_READING = {"delight": -4.0, "satisfaction": -4.0, "neutral": -1.5}
POSITIVE_READING = {"frustration": -3.0, "disappointment": -3.0, "anger": -3.0, "neutral": -1.5}


class Rule(NamedTuple):
    why: str  # shown as evidence
    pushes: dict[int, float]  # emotion index -> logit push


def _rule(why: str, **pushes: float) -> Rule:
    return Rule(why, {_E[e]: amount for e, amount in pushes.items()})


# Per-text rules, in the order their evidence is listed.
RULES: dict[str, Rule] = {
    # Praise words said in irony are the complaint.
    "sarcasm": _rule("sarcasm", frustration=2.0, delight=-10.0, satisfaction=-10.0),
    # A polite escalation is a demand: courtesy in it is not satisfaction.
    "escalation": _rule("polite escalation", frustration=2.5, delight=-5.0, satisfaction=-5.0),
    # Leaving is a decision, not a neutral remark ('We will cancel at renewal.').
    "churn": _rule("churn intent", frustration=0.7, disappointment=1.0, neutral=-2.0),
    "urgent": _rule("urgent and negative", frustration=0.5, anxiety=0.3),
    # A problem the CRM lexicon or a pattern read ('charged twice', 'still not working') is not
    # emotionally neutral to the team reading it. (Pushing frustration and disappointment up as
    # well cost GoEmotions emotion macro-F1 0.547 -> 0.544: its raters call many plain negative
    # remarks neutral; grievance phrases push those emotions instead, in crm_rules.yaml.)
    # 'your airline is awesome but your lounge needs to step up': the praise is a concession.
    "contrast": _rule(
        "contrast: praise, then the complaint",
        delight=-3.0,
        satisfaction=-3.0,
        neutral=-1.0,
        disappointment=2.0,
    ),
    "problem": _rule(
        "a problem report (CRM lexicon)",
        neutral=-2.0,
    ),
}


class Flags(NamedTuple):
    """Which per-text rules fire (the field names are the keys of ``RULES``)."""

    sarcasm: bool
    escalation: bool
    churn: bool
    urgent: bool
    contrast: bool
    problem: bool


assert Flags._fields == tuple(RULES), "Flags and RULES must name the same rules"


_RULE_LIST = tuple(RULES.values())  # in Flags' field order
_BY_INDEX = {
    side: {_E[e]: amount for e, amount in table.items()}
    for side, table in (("negative", NEGATIVE_READING), ("positive", POSITIVE_READING))
}


def reading_pushes(compound: float) -> dict[int, float]:
    """The compound's own pushes (emotion index -> amount).

    >>> reading_pushes(-0.5)[NEUTRAL], reading_pushes(0.1)
    (-0.75, {})
    """
    a = abs(compound)
    if a < COMPOUND_PUSH_FROM:
        return {}
    table = _BY_INDEX["negative" if compound < 0 else "positive"]
    return {e: amount * a for e, amount in table.items()}


# Per emotion, each rule's evidence for it in Flags' order (None where the rule does not push
# it): the same tuples every time, so a text's evidence is looked up, not formatted.
_RULE_EVIDENCE = tuple(
    tuple(
        ("rule", target, rule.why, round(rule.pushes[e], 3)) if rule.pushes.get(e) else None
        for rule in _RULE_LIST
    )
    for e, target in enumerate(EMOTIONS)
)
# (emotion, compound) -> the compound's evidence for that emotion, formatted once. Bounded:
# compounds are rounded to 4 places, so there are at most 9 x 20,001 keys.
_COMPOUND_EVIDENCE: dict[tuple[int, float], tuple] = {}


def pushes_on(emotion: int, compound: float, flags: Flags) -> list[tuple]:
    """Evidence tuples for the rules that moved ``emotion``, as the engine added them."""
    out = []
    a = abs(compound)
    if a >= COMPOUND_PUSH_FROM:
        side = "negative" if compound < 0 else "positive"
        amount = _BY_INDEX[side].get(emotion)
        if amount:
            key = (emotion, compound)
            e = _COMPOUND_EVIDENCE.get(key)
            if e is None:
                why = f"{side} compound {compound:+.2f}"
                e = ("rule", EMOTIONS[emotion], why, round(amount * a, 3))
                _COMPOUND_EVIDENCE[key] = e
            out.append(e)
    if any(flags):
        for fired, e in zip(flags, _RULE_EVIDENCE[emotion]):  # noqa: B905 - same length
            if fired and e is not None:
                out.append(e)
    return out
