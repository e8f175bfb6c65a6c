"""The named values the engine hands between its steps (token -> sentence -> text).

NamedTuples: as cheap to build and read as the plain tuples they replace, and a reader sees
``reading.compound`` where the code used to say ``sent[0]``.
"""

from __future__ import annotations

from typing import NamedTuple


class Token(NamedTuple):
    """A distinct whitespace-separated piece of text, analysed once (memoized)."""

    text: str  # VADER's token: punctuation stripped unless that leaves two characters or less
    lower: str
    is_upper: bool  # ALL CAPS
    ends_sentence: bool
    words: tuple[str, ...]  # the model's words in it (lower case, "n't" split off)
    pattern_mask: int  # which patterns it may be part of a match of (prefilter)
    exclamations: int
    questions: int
    folded: str  # as written, lower case, quotes straightened: what patterns read
    negates: bool  # holds a negator ('not', "don't")
    # Per word of ``words``, looked up once per distinct token instead of once per sentence:
    word_ids: tuple[int, ...]  # its id in the engine's per-word evidence table (WordWeights)
    pairs_from: tuple[dict | None, ...]  # the model's pairs it starts: {next word: feature id}
    negated_ids: tuple[int | None, ...]  # the feature id of '~word' (in a negation's scope)


class ModelWord(NamedTuple):
    """What the model knows of one word (memoized per distinct word)."""

    feature_ids: tuple[int, ...]  # its own feature and its character grams, where known
    evidence_id: int  # its id in the engine's per-word evidence table (WordWeights)
    pairs_from: dict | None  # the model's pairs it starts: {next word: feature id}
    negated_id: int | None  # the feature id of '~word' (the word in a negation's scope)


class Written(NamedTuple):
    """A whitespace token as written: the tokens it reads as (an emoji reads as its
    description, '#worstflightever' as three words), and what the language guess needs."""

    tokens: tuple[Token, ...]
    language_words: tuple[str, ...]
    scripts: dict[str, int] | None  # letters of non-Latin scripts, by language
    ascii_letters: int
    # What the language guess needs of every sentence (the stop-words by language are counted
    # only for the rare text that holds enough foreign ones):
    n_words: int  # len(language_words)
    foreign: int  # language.foreign_hits(language_words)


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
