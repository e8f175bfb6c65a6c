"""Word features for the small linear emotion model: lower-cased words and adjacent word pairs.

Shared by the offline trainer (``sentiment_udfs.training``) and the run-time scorer, so both see
exactly the same features.
"""

from __future__ import annotations

import re

WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[!?]")
# Curly apostrophes and "n't" spellings folded so "don’t", "dont" and "don't" are one feature.
_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'"})
NT = {
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
    toks = WORD_RE.findall(text.lower().translate(_FOLD))
    return [NT.get(t, t) for t in toks]


NEGATORS = frozenset({"not", "no", "never", "without", "nobody", "nothing", "nor", "cannot"})


def word_grams(w: str) -> list[str]:
    """Character 4-grams of a word of four letters or more, marked ``#`` (they let the model
    read spellings it never saw: 'frustrating' shares '#frus' with 'frustrated').

    >>> word_grams("slow"), word_grams("it")
    (['#<slo', '#slow', '#low>'], [])
    """
    if len(w) < 4:
        return []
    m = f"<{w}>"
    return [f"#{m[i : i + 4]}" for i in range(len(m) - 3)]


def sentence_features(ws: list[str]) -> list[str]:
    """Unigrams, their character 4-grams, bigrams, and up to three words in a negation's scope
    marked ``~word``, of one sentence's words.

    >>> sentence_features(["not", "happy"])
    ['not', 'happy', '#<hap', '#happ', '#appy', '#ppy>', 'not happy', '~happy']
    """
    feats = dict.fromkeys(ws)
    for w in ws:
        for g in word_grams(w):
            feats[g] = None
    for a, b in zip(ws, ws[1:]):  # noqa: B905 - pairs of neighbours
        feats[a + " " + b] = None
    scope = 0
    for w in ws:
        if w in NEGATORS or w.endswith("n't"):
            scope = 3
        elif scope:
            if w in ("!", "?", "but"):
                scope = 0
            else:
                feats["~" + w] = None
                scope -= 1
    return list(feats)


def features(text: str) -> list[str]:
    """``sentence_features`` of a whole text read as one sentence.

    >>> features("not happy")[-2:]
    ['not happy', '~happy']
    """
    return sentence_features(words(text))


# The CRM compound, bucketed, is a feature too: the model learns how far to trust it.
_COMPOUND_EDGES = (-0.6, -0.3, -0.05, 0.05, 0.3, 0.6)


def compound_bucket(compound: float) -> int:
    """Which of the seven compound buckets (0: very negative .. 6: very positive).

    >>> compound_bucket(0.0), compound_bucket(-0.7), compound_bucket(0.6)
    (3, 0, 6)
    """
    k = 0
    for edge in _COMPOUND_EDGES:
        if compound >= edge:
            k += 1
    return k


def compound_feature(compound: float) -> str:
    """The pseudo-word for a compound's bucket (no text can produce it).

    >>> compound_feature(0.0), compound_feature(-0.7)
    ('<compound:3>', '<compound:0>')
    """
    return f"<compound:{compound_bucket(compound)}>"
