"""Hashtags read as the words they join: '#worstflightever' -> '#worst flight ever'.

The first word keeps its '#' (tokens drop it as they drop punctuation, so it scores as 'worst'),
so a pattern can still see that the words were a hashtag: a closing '#neveragain' after praise
is the writer's verdict on it. (Not on a word of two letters: a token that short keeps its
punctuation, so '#no' would stop reading as 'no'.) A hashtag that is one word already
('#sarcasm', '#fail') stays as written, so patterns can see the '#'. CamelCase ('#WorstFlightEver') splits at its capitals; a lower-case run splits where
the words are most common (Zipf cost: a word of frequency rank r costs log(r + 2), as in
word-frequency segmentation), over ``data/hashtag_words.txt`` (built from the training sets by
``training.build_word_list``). A tag that no split covers stays as written.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from sentiment_udfs.lexicon import DATA_DIR

_MAX_WORD = 20  # no word of the list is longer that matters for a hashtag
_CAMEL = re.compile(r"[A-Z][a-z]+|[A-Z]+(?![a-z])|[a-z]+")
_TAG = re.compile(r"#([A-Za-z]{4,40})")  # shorter tags are one word or an abbreviation


@lru_cache(maxsize=1)
def _costs() -> dict[str, float]:
    words = (DATA_DIR / "hashtag_words.txt").read_text(encoding="utf-8").split()
    return {w: math.log(rank + 2) for rank, w in enumerate(words)}


def _split_run(run: str, costs: dict[str, float]) -> list[str] | None:
    """The cheapest split of a lower-case run into known words, or None."""
    n = len(run)
    best: list[tuple[float, int]] = [(0.0, 0)] + [(math.inf, 0)] * n
    for end in range(1, n + 1):
        for start in range(max(0, end - _MAX_WORD), end):
            c = costs.get(run[start:end])
            if c is not None and best[start][0] + c < best[end][0]:
                best[end] = (best[start][0] + c, start)
    if best[n][0] == math.inf:
        return None
    out = []
    end = n
    while end:
        start = best[end][1]
        out.append(run[start:end])
        end = start
    return out[::-1]


def hashtag_words(token: str) -> tuple[str, ...] | None:
    """The words of a hashtag token (the first keeps the '#', the last any trailing
    punctuation), or None when it is not a hashtag of several words.

    >>> hashtag_words("#worstflightever")
    ('#worst', 'flight', 'ever')
    >>> hashtag_words("#NeverAgain!")
    ('#never', 'again!')
    >>> hashtag_words("#nocontext")
    ('no', 'context')
    >>> hashtag_words("#sarcasm") is None, hashtag_words("hello") is None
    (True, True)
    """
    m = _TAG.match(token)
    if m is None:
        return None
    tag = m.group(1)
    tail = token[m.end() :]
    if tail and tail.strip(".,!?;:)\"'") != "":
        return None  # '#tag-thing', '#tag123': not a plain hashtag
    costs = _costs()
    lower = tag.lower()
    if lower in costs:
        return None
    words: list[str] = []
    for part in _CAMEL.findall(tag):
        part = part.lower()
        split = [part] if part in costs else _split_run(part, costs)
        if split is None:
            return None
        words.extend(split)
    if len(words) < 2:
        return None
    if len(words[0]) > 2:  # a token of two letters keeps its '#' and would stop reading as a word
        words[0] = "#" + words[0]
    words[-1] += tail
    return tuple(words)
