"""The named values the engine hands between its steps (sentence -> text; the token and
sentence classes, compiled to C structs, are in ``engine``).

NamedTuples: as cheap to build and read as the plain tuples they replace, and a reader sees
``reading.compound`` where the code used to say ``sent[0]``.
"""

from __future__ import annotations

from typing import NamedTuple


class SentenceValences(NamedTuple):
    """VADER's rules with the CRM lexicon, phrases and negation fixes over one sentence (for one
    ALL-CAPS setting of its text), and its score alone and inside a longer text."""

    vals: list[float]  # per token, after every rule
    changed: list[bool]  # a CRM rule set this token's value
    rule_evidence: list[tuple]
    lexicon_evidence: list[tuple]
    token_evidence: list[tuple]
    total: float  # sum of vals
    crm_spoke: bool  # a CRM phrase, clear word override, negation rule or question rule
    negative: bool  # some token reads negative (before the 'but' rule)
    alone: float  # total with punctuation emphasis: the sentence as a whole text
    in_text: float  # ... as one sentence of several (a courtesy closer counts less)
    in_text_evidence: list[tuple]
    weight: float  # crm_layer.sentence_weight of its compound in a text
    weighted: float  # weight x compound
    contrast: bool  # praise before 'but', a complaint after it that outweighs it


class Reading(NamedTuple):
    """A text's CRM-aware sentiment, before the polarity model."""

    compound: float
    evidence: list[tuple]  # rules and lexicon
    token_evidence: list[tuple]
    sarcasm: list[tuple]
    escalation: list[tuple]
    crm_spoke: bool
    contrast: bool  # a sentence's complaint after 'but' outweighs its praise before it


class Prepared(NamedTuple):
    """A text after the first pass (everything but the model)."""

    sentences: list  # engine.Sentence
    language: str
    reading: Reading
    truncated: bool
    stripped: bool  # a quoted reply or signature was removed
    cued: bool  # some sentence holds a cue or emotion pattern
