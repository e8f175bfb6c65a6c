"""What a sentence's patterns say: the sarcasm, escalation, cue and emotion patterns that
its prefilter lets through, run in their numbers' order.

A sentence's prefilter (``prefilter.Prefilter.confirm``) gives the patterns that may match
as bits, bit ``k`` for pattern ``k``; two in five unseen sentences have any, and those have
one to three of the engine's 48. So the patterns are kept by number, and a sentence walks
its set bits (compiled, a C loop over an unsigned 64-bit int), not every pattern of every
kind testing its bit as a Python int.

The engine numbers the sarcasm patterns first, then the escalation patterns, the cues' (cue
by cue) and the emotion cues': in number order the readings come out in the order of those
lists, which is the order evidence shows them in.
"""

from __future__ import annotations

from operator import itemgetter
from typing import NamedTuple

try:
    import cython
except ImportError:  # pragma: no cover - installed without the build tools
    from sentiment_udfs import _no_cython as cython

# What a pattern feeds (PatternUse.kind)
SARCASM = cython.declare(cython.int, 0)  # every match is sarcasm evidence
ESCALATION = cython.declare(cython.int, 1)  # the first match pushes the sentiment
CUE = cython.declare(cython.int, 2)  # the first match of a cue's first matching pattern
EMOTION = cython.declare(cython.int, 3)  # what the first match says ('😡', 'furious')


class PatternUse(NamedTuple):
    """One pattern by its number: what it feeds and what that needs."""

    kind: int
    regex: object  # re.Pattern
    pattern: object = None  # crm_layer.Pattern (SARCASM, ESCALATION, CUE)
    cue: str = ""  # CUE: its cue and the cue's bit
    cue_bit: int = 0
    emotion: int = 0  # EMOTION: its emotion's number and how far it pushes
    amount: float = 0.0


def pattern_uses(sarcasm: tuple, escalation: tuple, cues: tuple, emotion_cues: tuple) -> tuple:
    """The engine's patterns as a PatternUse each, by number (its bit's position): from its
    (bit, Pattern) pairs of sarcasm and escalation, its (cue, cue bit, (bit, Pattern) pairs)
    and its (bit, emotion, regex, push) emotion cues."""
    uses = [(bit, PatternUse(SARCASM, p.regex, p)) for bit, p in sarcasm]
    uses += [(bit, PatternUse(ESCALATION, p.regex, p)) for bit, p in escalation]
    uses += [
        (bit, PatternUse(CUE, p.regex, p, cue, cue_bit))
        for cue, cue_bit, pats in cues
        for bit, p in pats
    ]
    uses += [
        (bit, PatternUse(EMOTION, regex, emotion=emotion, amount=amount))
        for bit, emotion, regex, amount in emotion_cues
    ]
    uses.sort(key=itemgetter(0))  # the engine numbers every pattern: bits 1, 2, 4, ...
    return tuple(use for _, use in uses)


class SentenceReadings(NamedTuple):
    """What a sentence's patterns said, each list in its patterns' order."""

    sarcasm: list  # (requires_negative, evidence)
    escalation: list  # (valence, evidence)
    cues: list  # (cue, cue bit, evidence)
    emotions: list  # (emotion, amount, why)


@cython.locals(left=cython.ulonglong, k=cython.int, kind=cython.int, cues_found=cython.int)
def read_patterns(
    uses: tuple, hits: cython.ulonglong, folded: str, emoji_by_description: dict
) -> SentenceReadings:
    """The readings of the patterns in ``hits`` (bit ``k``: ``uses[k]``) over ``folded``."""
    sarcasm: list = []
    escalation: list = []
    cues: list = []
    emotions: list = []
    cues_found = 0  # the cues with a match already: their later patterns do not run
    left = hits
    k = 0
    while left:
        if left & 1:
            use = uses[k]
            kind = use.kind
            if kind == SARCASM:
                p = use.pattern
                for m in use.regex.finditer(folded):
                    why = f"{p.name}: '{m.group(0)}' ({p.reason})"
                    sarcasm.append((p.requires_negative, ("pattern", "sarcasm", why, -1.0)))
            elif kind == ESCALATION:
                m = use.regex.search(folded)
                if m:
                    p = use.pattern
                    why = f"{p.name}: '{m.group(0)[:80]}' ({p.reason})"
                    evidence = ("pattern", "sentiment", why, round(p.valence, 4))
                    escalation.append((p.valence, evidence))
            elif kind == CUE:
                if not cues_found & use.cue_bit:
                    m = use.regex.search(folded)
                    if m:
                        cues_found |= use.cue_bit
                        why = f"{use.pattern.name}: '{m.group(0).strip()[:80]}'"
                        cues.append((use.cue, use.cue_bit, ("pattern", use.cue, why, 1.0)))
            else:  # EMOTION
                m = use.regex.search(folded)
                if m:
                    said = m.group(0)
                    if said:
                        if said in emoji_by_description:
                            why = f"emoji {emoji_by_description[said]} ({said})"
                        else:
                            why = f"says '{said}'"
                        emotions.append((use.emotion, use.amount, why))
        left >>= 1
        k += 1
    return SentenceReadings(sarcasm, escalation, cues, emotions)
