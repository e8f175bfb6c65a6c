"""Word features for the small linear emotion model: lower-cased words and adjacent word pairs.

Shared by the offline trainer (``sentiment_udfs.training``) and the run-time scorer, so both see
exactly the same features.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[!?]")
# Curly apostrophes and "n't" spellings folded so "don’t", "dont" and "don't" are one feature.
_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'"})
_NT = {
    "dont": "don't",
    "cant": "can't",
    "wont": "won't",
    "didnt": "didn't",
    "doesnt": "doesn't",
    "isnt": "isn't",
    "wasnt": "wasn't",
    "im": "i'm",
    "ive": "i've",
}


def words(text: str) -> list[str]:
    """Lower-cased words (and "!"/"?") in order.

    >>> words("Why DOESN’T it work?!")
    ['why', "doesn't", 'it', 'work', '?', '!']
    """
    toks = _WORD.findall(text.lower().translate(_FOLD))
    return [_NT.get(t, t) for t in toks]


def features(text: str) -> list[str]:
    """Unigrams and bigrams, each once.

    >>> features("not happy")
    ['not', 'happy', 'not happy']
    """
    ws = words(text)
    feats = dict.fromkeys(ws)
    for a, b in zip(ws, ws[1:]):  # noqa: B905 - pairs of neighbours
        feats[a + " " + b] = None
    return list(feats)
