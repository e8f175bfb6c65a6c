"""Which words of a text drove its score, found from the scorer's evidence rows.

Pure: evidence rows (``marts.fct_interaction_evidence``) in, the text cut into plain and
highlighted pieces out. Evidence names words in several shapes (a token as written, a model
feature in lower case, a lexicon phrase with a note in brackets, a rule quoting its words); each
becomes a phrase that is then found in the text as shown to the reader (already masked), so a
masked word is never highlighted back into view.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# What a highlight says about its words (a CSS class each: ev-positive, ev-negative, ev-emotion).
POSITIVE, NEGATIVE, EMOTION = "positive", "negative", "emotion"
_QUOTED = re.compile(r"'([^']+)'")
_MIN_PHRASE = 2  # one-letter "words" (a quoted "I") would light up every line
# The emotion model spreads small weights over many common words; below this a word is noise.
MIN_MODEL_WEIGHT = 0.3


@dataclass(frozen=True)
class Evidence:
    kind: str  # token, model, lexicon, pattern, rule
    target: str  # 'sentiment', an emotion or a cue
    text: str
    weight: float


@dataclass(frozen=True)
class Phrase:
    words: str
    tone: str  # POSITIVE, NEGATIVE or EMOTION
    why: str  # what it moved, for the tooltip


@dataclass(frozen=True)
class Piece:
    text: str
    phrase: Phrase | None = None  # None: plain text


def evidence_words(evidence: Evidence) -> list[str]:
    """The words of the text an evidence row points at.

    >>> evidence_words(Evidence("token", "sentiment", "trouble", -1.7))
    ['trouble']
    >>> evidence_words(Evidence("lexicon", "sentiment", "losing money (business harm)", -2.0))
    ['losing money']
    >>> evidence_words(Evidence("pattern", "billing_concern", "billing words: 'invoices'", 1.0))
    ['invoices']
    >>> evidence_words(Evidence("rule", "sentiment", "quoted reply/signature removed", 0.0))
    []
    """
    if evidence.kind in ("token", "model"):
        words = [evidence.text]
    elif evidence.kind == "lexicon":
        words = [evidence.text.split(" (", 1)[0]]
    else:  # pattern, rule: only what they quote is the text's own words
        words = _QUOTED.findall(evidence.text)
    cleaned = [w.strip(' ,.;:!?"') for w in words]
    return [w for w in cleaned if len(w) >= _MIN_PHRASE]


def driving_phrases(
    evidence: Iterable[Evidence], emotion: str | None, cues: Iterable[str] = ()
) -> list[Phrase]:
    """The phrases that moved the sentiment, the shown emotion or a cue that fired.

    Evidence for emotions the text did not end up with is left out: it did not drive the score.
    A phrase named twice keeps the first tone, sentiment first.

    >>> rows = [Evidence("token", "sentiment", "trouble", -1.7),
    ...         Evidence("model", "anxiety", "trouble", 0.9),
    ...         Evidence("model", "delight", "great", 0.2),
    ...         Evidence("pattern", "billing_concern", "billing words: 'invoice'", 1.0)]
    >>> [(p.words, p.tone) for p in driving_phrases(rows, "anxiety", ["billing_concern"])]
    [('trouble', 'negative'), ('invoice', 'emotion')]
    """
    wanted = {emotion, *cues} - {None, "neutral"}  # nothing drives "neutral"
    ordered = sorted(evidence, key=lambda e: e.target != "sentiment")
    phrases: dict[str, Phrase] = {}
    for row in ordered:
        if row.target == "sentiment":
            if row.weight == 0:
                continue
            tone = POSITIVE if row.weight > 0 else NEGATIVE
            why = f"sentiment {row.weight:+.2f}"
        elif row.target in wanted and (row.kind != "model" or row.weight >= MIN_MODEL_WEIGHT):
            tone, why = EMOTION, row.target.replace("_", " ")
        else:
            continue
        for words in evidence_words(row):
            phrases.setdefault(words.lower(), Phrase(words, tone, why))
    return list(phrases.values())


def highlight(text: str | None, phrases: Iterable[Phrase]) -> list[Piece]:
    """Cut ``text`` into pieces, each phrase found as whole words, case-insensitive.

    Longer phrases win where two overlap.

    >>> pieces = highlight("No trouble at all, Trouble!", [Phrase("trouble", NEGATIVE, "")])
    >>> [(p.text, p.phrase is not None) for p in pieces]
    [('No ', False), ('trouble', True), (' at all, ', False), ('Trouble', True), ('!', False)]
    >>> [p.text for p in highlight("troubled", [Phrase("trouble", NEGATIVE, "")])]
    ['troubled']
    """
    if not text:
        return []
    by_length = sorted(phrases, key=lambda p: len(p.words), reverse=True)
    if not by_length:
        return [Piece(text)]
    lookup = {p.words.lower(): p for p in by_length}
    pattern = re.compile(
        r"(?<!\w)(" + "|".join(re.escape(p.words) for p in by_length) + r")(?!\w)", re.IGNORECASE
    )
    pieces: list[Piece] = []
    at = 0
    for match in pattern.finditer(text):
        if match.start() > at:
            pieces.append(Piece(text[at : match.start()]))
        pieces.append(Piece(match.group(0), lookup.get(match.group(0).lower())))
        at = match.end()
    if at < len(text):
        pieces.append(Piece(text[at:]))
    return pieces
