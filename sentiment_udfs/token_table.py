"""The token table: the ways the words the package ships are commonly written, as pieces of
text to analyse when the engine loads.

A text's first sight of a piece ('Thanks,', 'refund?') builds its ``engine.Token`` (about a
quarter of the sentence analysis on text the engine has not scored before). Most pieces of
customer text are a known word, as it is or capitalized, with a stop or a comma after it: the
engine builds those tokens at load, from the words of its own lexicons and model, as it would
on first sight (so a text scores the same either way), and keeps them when it clears its memos.
The table is part of the model, like a lexicon: its words come from what the package ships,
never from the texts it scores.
"""

from __future__ import annotations

from collections.abc import Iterable

# The forms of a lower-case word: its case, then what may follow it.
_LOWER_ENDINGS = ("", ".", ",", "!", "?")
_CAPITALIZED_ENDINGS = ("",)  # 'Thanks.', 'Thanks,' are rarer than 'thanks?' or 'THANKS'
_UPPER_ENDINGS = ("",)


def table_words(vocabulary: Iterable[str], named: Iterable[str]) -> set[str]:
    """The words of the model's ``vocabulary`` (its words, each word of its pairs and negated
    words; not its character grams or buckets) and the words some rule or lexicon ``named``,
    where each is one plain piece of ASCII text (what the engine reads from its token memo)."""
    words: set[str] = set()
    for feature in vocabulary:
        if feature[0] in "#<":  # a character gram ('#frus') or a compound bucket
            continue
        words.update(feature.removeprefix("~").split(" "))
    words.update(named)
    return {w for w in words if w and w.isascii() and w[0] != "#" and len(w.split()) == 1}


def written_forms(words: Iterable[str]) -> list[str]:
    """Each word as written in lower case, capitalized and in capitals, with the endings most
    common after each: the shortest words first, as the most common words are short, so the
    tokens most sentences read lie close together in memory (built alphabetically, the table's
    frequent tokens scattered over 50 MB, and it measured no faster than none).

    >>> written_forms(["refund", "the"])[:8]
    ['the', 'the.', 'the,', 'the!', 'the?', 'The', 'THE', 'refund']
    """
    out: dict[str, None] = {}
    for w in sorted(words, key=lambda w: (len(w), w)):
        for written, endings in (
            (w, _LOWER_ENDINGS),
            (w[0].upper() + w[1:], _CAPITALIZED_ENDINGS),
            (w.upper(), _UPPER_ENDINGS),
        ):
            for ending in endings:
                out[written + ending] = None
    return list(out)


def share_strings(token, piece: str):
    """``token`` (the analysis of ``piece``) with its equal strings made one object: a piece in
    lower case is its own folded form, its text's lower case is its text or its folded form, and
    its words are spelt as its model words spell them (about 130 bytes a table token).
    Equal strings, so nothing reads differently."""
    if token.folded == piece:
        token.folded = piece
    if token.lower == token.text:
        token.lower = token.text
    elif token.lower == token.folded:
        token.lower = token.folded
    token.words = tuple([mw.word for mw in token.model_words])
    return token
