"""Tokenizing exactly as VADER does, once per text, plus sentence splitting.

VADER replaces each emoji character by its description, splits on whitespace and strips ASCII
punctuation from tokens unless that would leave two characters or fewer (so ``:)`` survives).
"""

from __future__ import annotations

import re
import string

from sentiment_udfs.lexicon import emoji_descriptions

_PUNCT = string.punctuation


# Emojis are never ASCII: scan only the non-ASCII characters (a 1,200-character class is slow).
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def replace_emojis(text: str) -> str:
    """Emoji -> description, with VADER's spacing: a space before it unless one precedes it.

    >>> replace_emojis("ok😁")
    'ok beaming face with smiling eyes'
    """
    if text.isascii():  # most CRM text: nothing to do
        return text
    emojis = emoji_descriptions()
    parts: list[str] = []
    last = 0
    for m in _NON_ASCII.finditer(text):
        start = m.start()
        description = emojis.get(text[start])
        if description is None:
            continue
        parts.append(text[last:start])
        # VADER tracks "previous output char was a space": only a literal ' ' counts, and an
        # emoji's description never ends with one; the first character needs no space.
        if start > 0 and text[start - 1] != " ":
            parts.append(" ")
        parts.append(description)
        last = start + 1
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)


def vader_tokens(text: str) -> list[str]:
    """VADER's ``words_and_emoticons`` for already emoji-replaced, stripped text.

    >>> vader_tokens("Great, another outage... :)")
    ['Great', 'another', 'outage', ':)']
    """
    out = []
    for tok in text.split():
        stripped = tok.strip(_PUNCT)
        out.append(tok if len(stripped) <= 2 else stripped)
    return out
