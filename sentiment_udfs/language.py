"""Is this English? A light offline guess from the writing system and stop-word ratios.

Non-English text is flagged (``language != 'en'``) rather than scored with an English lexicon.
The guess is deliberately conservative: short or mixed text stays 'en'.
"""

from __future__ import annotations

import re

_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "the",
            "a",
            "an",
            "and",
            "or",
            "but",
            "is",
            "are",
            "was",
            "were",
            "be",
            "been",
            "to",
            "of",
            "in",
            "on",
            "at",
            "for",
            "with",
            "it",
            "this",
            "that",
            "i",
            "you",
            "he",
            "she",
            "we",
            "they",
            "my",
            "your",
            "our",
            "me",
            "not",
            "no",
            "do",
            "does",
            "did",
            "have",
            "has",
            "had",
            "will",
            "would",
            "can",
            "could",
            "should",
            "from",
            "by",
            "as",
            "so",
            "if",
            "what",
            "when",
            "how",
            "why",
            "all",
            "just",
            "there",
            "their",
            "them",
            "please",
            "thanks",
            "thank",
            "hi",
            "hello",
            "am",
            "im",
            "i'm",
            "it's",
            "don't",
            "can't",
        ]
    ),
    "es": frozenset(
        [
            "el",
            "la",
            "los",
            "las",
            "y",
            "o",
            "pero",
            "es",
            "son",
            "fue",
            "un",
            "una",
            "de",
            "del",
            "en",
            "con",
            "por",
            "para",
            "que",
            "no",
            "mi",
            "su",
            "se",
            "lo",
            "muy",
            "como",
            "más",
            "este",
            "esta",
            "hola",
            "gracias",
            "estoy",
            "tengo",
        ]
    ),
    "fr": frozenset(
        [
            "le",
            "la",
            "les",
            "et",
            "ou",
            "mais",
            "est",
            "sont",
            "un",
            "une",
            "de",
            "du",
            "des",
            "en",
            "avec",
            "pour",
            "que",
            "qui",
            "ne",
            "pas",
            "je",
            "vous",
            "il",
            "nous",
            "mon",
            "ma",
            "votre",
            "très",
            "ce",
            "cette",
            "bonjour",
            "merci",
            "suis",
        ]
    ),
    "de": frozenset(
        [
            "der",
            "die",
            "das",
            "und",
            "oder",
            "aber",
            "ist",
            "sind",
            "ein",
            "eine",
            "mit",
            "für",
            "von",
            "zu",
            "nicht",
            "ich",
            "sie",
            "wir",
            "mein",
            "dein",
            "sehr",
            "auch",
            "auf",
            "dem",
            "den",
            "des",
            "bitte",
            "danke",
            "habe",
        ]
    ),
    "pt": frozenset(
        [
            "o",
            "a",
            "os",
            "as",
            "e",
            "ou",
            "mas",
            "é",
            "são",
            "um",
            "uma",
            "de",
            "do",
            "da",
            "em",
            "com",
            "por",
            "para",
            "que",
            "não",
            "meu",
            "minha",
            "muito",
            "obrigado",
            "obrigada",
            "olá",
            "estou",
            "tenho",
        ]
    ),
    "it": frozenset(
        [
            "il",
            "lo",
            "la",
            "gli",
            "le",
            "e",
            "o",
            "ma",
            "è",
            "sono",
            "un",
            "una",
            "di",
            "del",
            "in",
            "con",
            "per",
            "che",
            "non",
            "mio",
            "mia",
            "molto",
            "grazie",
            "ciao",
            "sono",
            "ho",
        ]
    ),
    "nl": frozenset(
        [
            "de",
            "het",
            "een",
            "en",
            "of",
            "maar",
            "is",
            "zijn",
            "van",
            "in",
            "met",
            "voor",
            "dat",
            "niet",
            "ik",
            "je",
            "we",
            "mijn",
            "zeer",
            "ook",
            "op",
            "bedankt",
            "hallo",
            "heb",
        ]
    ),
}
# Letters outside Latin script, by Unicode block start, and the language to report for them.
_SCRIPTS = (
    (0x0370, 0x03FF, "el"),
    (0x0400, 0x04FF, "ru"),
    (0x0590, 0x05FF, "he"),
    (0x0600, 0x06FF, "ar"),
    (0x0900, 0x097F, "hi"),
    (0x0E00, 0x0E7F, "th"),
    (0x3040, 0x30FF, "ja"),
    (0x4E00, 0x9FFF, "zh"),
    (0xAC00, 0xD7AF, "ko"),
)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# word -> languages whose stop-word it is: one dict look-up per word, not one per language
_WORD_LANGS: dict[str, tuple[str, ...]] = {}
for _lang, _words in _STOPWORDS.items():
    for _w in _words:
        _WORD_LANGS[_w] = (*_WORD_LANGS.get(_w, ()), _lang)


def _script(ch: str) -> str | None:
    o = ord(ch)
    for lo, hi, lang in _SCRIPTS:
        if lo <= o <= hi:
            return lang
    return None


def script_counts(text: str) -> dict[str, int]:
    """Letters of each non-Latin writing system in ``text``, by the language reported for it.

    >>> script_counts("ok 这个 ok")
    {'zh': 2}
    """
    counts: dict[str, int] = {}
    if not text.isascii():
        for ch in _NON_ASCII.findall(text):
            if ch.isalpha():
                lang = _script(ch)
                if lang is not None:
                    counts[lang] = counts.get(lang, 0) + 1
    return counts


def from_scripts(counts: dict[str, int], ascii_letters: int) -> str | None:
    """The language of a clear majority of non-Latin letters, if any."""
    letters = sum(counts.values()) + ascii_letters
    lang, n = max(counts.items(), key=lambda kv: kv[1])
    if n > 0.5 * letters:
        return "ja" if lang == "zh" and counts.get("ja") else lang
    return None


def detect_language(text: str, words: list[str]) -> str:
    """'en', another ISO 639-1 code, or 'unknown' (no letters at all).

    ``words`` are the lower-cased words of the text (``sentiment_udfs.features.words``).

    >>> from sentiment_udfs.features import words
    >>> t = "No funciona la aplicación y nadie me responde, es un desastre"
    >>> detect_language(t, words(t))
    'es'
    >>> t = "The app is not working and nobody answers"
    >>> detect_language(t, words(t))
    'en'
    >>> detect_language("这个应用程序不能用", [])
    'zh'
    """
    counts = script_counts(text)
    if counts:
        lang = from_scripts(counts, sum(len(w) for w in words if w.isascii()))
        if lang is not None:
            return lang
    if not words:
        return "en" if any(ch.isalpha() for ch in text) else "unknown"
    return from_stop_words(len(words), stop_word_hits(words))


def stop_word_hits(words: list[str]) -> dict[str, int]:
    """How many of ``words`` are stop-words of each language.

    >>> stop_word_hits(["el", "the", "no"])
    {'es': 2, 'en': 2}
    """
    hits: dict[str, int] = {}
    get = _WORD_LANGS.get
    for w in words:
        langs = get(w)
        if langs:
            for lang in langs:
                hits[lang] = hits.get(lang, 0) + 1
    return hits


def foreign_hits(words) -> int:
    """How many stop-word hits of languages other than English ``words`` hold: what
    ``stop_word_hits`` would count for them, less its English count (additive over words, so
    a text's is the sum of its pieces').

    >>> foreign_hits(["el", "the", "no"])
    2
    """
    k = 0
    get = _WORD_LANGS.get
    for w in words:
        langs = get(w)
        if langs:
            k += len(langs) - ("en" in langs)
    return k


def from_stop_words(n_words: int, hits: dict[str, int]) -> str:
    """The language by stop-words, for a text of ``n_words`` (> 0) Latin-script words."""
    if n_words < 4:
        return "en"
    en = hits.get("en", 0)
    best, best_n = "en", en
    for lang, k in hits.items():
        if k > best_n:
            best, best_n = lang, k
    # Flag only clear cases: several foreign stop-words and clearly more than English ones.
    if best != "en" and best_n >= 3 and best_n >= 2 * en + 1:
        return best
    return "en"
