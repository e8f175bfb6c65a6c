"""The hot path: one text -> a compact result, tokenizing once and sharing the tokens.

Each whitespace token is analysed once per *distinct* token (a bounded memo): its VADER form
and lower case, whether it is ALL CAPS, whether it ends a sentence, its "!"/"?" counts, its
model feature words, and which patterns it can start (``prefilter``). A text is then a list of
those token records, shared by the VADER rules, the CRM layer, the model features, the cue and
emotion patterns, and the language guess. A regular expression runs only when one of the words
it must start with is present. Each distinct sentence's model weights are summed once into a
row of a logit table; a text's logits are then the sum of a few rows. Results are tuples (cheap
to build and to send between processes); ``scoring`` turns them into the record dicts of the
contract.
"""

from __future__ import annotations

import gc
import re
import string
import threading
from array import array
from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple

import numpy as np

try:
    import cython
except ImportError:  # pragma: no cover - installed without the build tools
    from sentiment_udfs import _no_cython as cython

from sentiment_udfs.crm_layer import (
    CLAUSE_END,
    CLOSER_START,
    COMPARATIVE,
    COURTESY,
    EXCLAIM,
    FOLD_QUOTES,
    QUESTION_START,
    SUM_SENTENCES,
    Pattern,
    aggregate,
    apply_phrases,
    crm_core,
    crm_data,
    evidence_tuple,
    mean_share,
    sentence_weight,
)
from sentiment_udfs.emotion_rules import (
    COMPOUND_PUSH_FROM,
    NEGATIVE_READING,
    POSITIVE_READING,
    RULES,
    Flags,
    pushes_on,
)
from sentiment_udfs.emotions import model
from sentiment_udfs.features import (
    NEGATORS,
    NT,
    WORD_RE,
    compound_bucket,
    sentence_features,
)
from sentiment_udfs.grams import GramTable
from sentiment_udfs.hashtags import hashtag_words
from sentiment_udfs.kernels import WordWeights, round_to, sum_rows
from sentiment_udfs.language import (
    foreign_hits,
    from_scripts,
    from_stop_words,
    script_counts,
    stop_word_hits,
)
from sentiment_udfs.lexicon import vader_rules
from sentiment_udfs.memo_gc import untracked
from sentiment_udfs.pattern_reads import pattern_uses, read_patterns
from sentiment_udfs.polarity import KEEP_STRONG, NO_FLIP, POLARITY_MARGIN, adjust
from sentiment_udfs.prefilter import Prefilter
from sentiment_udfs.readings import Prepared, Reading, SentenceValences
from sentiment_udfs.taxonomy import (
    CHURN_INTENT,
    CUE_BITS,
    CUES,
    EMOTIONS,
    NEGATIVE_THRESHOLD,
    POSITIVE_THRESHOLD,
    SARCASM,
    URGENCY,
)
from sentiment_udfs.text_cleaning import clear_memo as _clear_line_kinds
from sentiment_udfs.text_cleaning import strip_quoted
from sentiment_udfs.tokenize import replace_emojis
from sentiment_udfs.vader_core import amplifier, normalize
from sentiment_udfs.version import SCORER_VERSION

MAX_CHARS = 20_000  # longer texts are scored on their first 20,000 characters
_MAX_TOKEN_EVIDENCE = 8
_WEIGHT = itemgetter(3)  # an evidence tuple's weight
_SLICE = 2_000  # texts per pass of the model
_PUNCT = string.punctuation
_ENDERS = frozenset(".!?")
_HANDLE = re.compile(r"@[A-Za-z0-9_]")  # a social-media or chat @mention
_CLOSE = "\"')]"
_MEMO_LIMIT = 300_000  # distinct tokens kept; the memo is cleared beyond this
# Builds a NamedTuple from a tuple of its fields in order: per text, the generated __new__
# (keyword handling) cost about a tenth of the engine's time on generated text (A/B rounds).
_new = tuple.__new__


@cython.cfunc
@cython.inline
def _fields(named) -> tuple:
    """A NamedTuple as the plain tuple of its fields, to unpack them in their order: compiled,
    typed ``tuple``, the unpacking is a length check and C loads (``finish_batch``). The orders
    unpacked are pinned by test_finish_batch_unpacks_fields_in_the_order_they_are_declared."""
    return cython.cast(tuple, named)


_E = {e: i for i, e in enumerate(EMOTIONS)}
_NEUTRAL = _E["neutral"]

_ESCALATION_CUE = ("rule", "urgency", "polite escalation", 1.0)


class _Reading(NamedTuple):
    """A text's reading before the emotion is chosen."""

    compound: float
    flags: Flags
    cue_mask: int
    cue_evidence: list
    polarity_evidence: tuple
    said: list | None  # emotion cues: (emotion, push, why)


_SENT_SPLIT = re.compile(r"([.!?][\"')\]]{0,2})\s+")  # a sentence's end, then white space
_MEMO_SENTENCES = 200_000  # distinct sentences kept; the memo is cleared beyond this
_ROW_LIMIT = 300_000  # sentence rows of the logit table; all memos are cleared beyond this
_BUCKETS = 7  # the table's first rows: the compound buckets' weights plus the biases


def _letters(words: tuple) -> int:
    """How many characters ``words`` hold (the language guess's count of ASCII letters)."""
    k = 0
    for w in words:
        k += len(w)
    return k


def _is_comment(part: str) -> bool:
    """A sentence that only comments on the one before it: hashtags, emoji, or a lone 'NOT.'
    ('Awesome. #sarcasm', 'I love it. NOT.', 'Great service. 🙄')."""
    if part[0].isalnum():  # most sentences: only 'NOT.' starts with a letter
        return part[:3].lower() == "not" and part.strip(_PUNCT + " ").lower() == "not"
    return all(t[0] == "#" or not any(c.isalnum() for c in t) for t in part.split())


def _attach_comments(parts: list[str]) -> list[str]:
    """Sentences with the comments that follow them joined on, so a pattern sees both."""
    out: list[str] = []
    for part in parts:
        if out and part and _is_comment(part) and not _is_comment(out[-1]):
            out[-1] = out[-1] + " " + part
        else:
            out.append(part)
    return out


class ModelWord:
    """What the model knows of one word (memoized per distinct word): its id in the engine's
    per-word evidence table, its number in the model's pairs (``PairTable``), its negated
    feature, and its part in a negation's scope. Compiled, a C struct (engine.pxd): every
    sentence walks its words."""

    __slots__ = ("word", "evidence_id", "pair_no", "negated_id", "negator", "ends_scope")


_EMPTY_SLOT = cython.declare(cython.longlong, -1)  # a C constant where compiled


class PairTable:
    """The model's word pairs ('no reply') by the numbers of their two words: feature id of
    a pair. Compiled, an open-addressing hash table of C ints: a sentence looks up each pair
    of neighbouring words without touching a string or an int object, as a dict look-up
    does (perf: those memory stalls were about a quarter of a sentence's own time)."""

    __slots__ = ("_keys", "_values", "keys", "values", "mask")

    def __init__(self, pairs: dict[tuple[int, int], int]) -> None:
        size = 1024
        while size < 2 * len(pairs):  # at most half full: short probes
            size *= 2
        self.mask = size - 1
        self._keys = array("q", [_EMPTY_SLOT]) * size
        self._values = array("i", [0]) * size
        self.keys = self._keys
        self.values = self._values
        h: cython.Py_ssize_t
        for (first, second), feature in pairs.items():
            h = self._slot(first, second)
            while self.keys[h] != _EMPTY_SLOT:
                h = (h + 1) & self.mask
            self.keys[h] = _pair_key(first, second)
            self.values[h] = feature

    def _slot(self, first: cython.longlong, second: cython.longlong) -> cython.Py_ssize_t:
        # Word numbers are below 2**20 (checked where they are given): no overflow in C.
        return (first * 7919 + second) & self.mask

    @cython.boundscheck(False)
    @cython.wraparound(False)
    def find(self, first: cython.int, second: cython.int) -> cython.int:
        """The pair's feature id, or -1 where the model has no such pair."""
        key: cython.longlong = _pair_key(first, second)
        h: cython.Py_ssize_t = self._slot(first, second)
        while self.keys[h] != _EMPTY_SLOT:
            if self.keys[h] == key:
                return self.values[h]
            h = (h + 1) & self.mask
        return -1


def _pair_key(first: cython.longlong, second: cython.longlong) -> cython.longlong:
    return first * 1048576 + second


# The words VADER's rules name, as bits of a Token's ``rule_words``: a rule tests a bit of a
# neighbour's C field where vader_core compares its string ('no', 'kind of', 'at least').
_RULE_NO = cython.declare(cython.int, 1)
_RULE_OR_NOR = cython.declare(cython.int, 2)
_RULE_LEAST = cython.declare(cython.int, 4)
_RULE_AT_VERY = cython.declare(cython.int, 8)  # 'at least', 'very least' are no negation
_RULE_NEVER = cython.declare(cython.int, 16)
_RULE_SO_THIS = cython.declare(cython.int, 32)
_RULE_WITHOUT = cython.declare(cython.int, 64)
_RULE_DOUBT = cython.declare(cython.int, 128)
_RULE_KIND = cython.declare(cython.int, 256)
_RULE_OF = cython.declare(cython.int, 512)
_RULE_WORDS = {
    "no": _RULE_NO,
    "or": _RULE_OR_NOR,
    "nor": _RULE_OR_NOR,
    "least": _RULE_LEAST,
    "at": _RULE_AT_VERY,
    "very": _RULE_AT_VERY,
    "never": _RULE_NEVER,
    "so": _RULE_SO_THIS,
    "this": _RULE_SO_THIS,
    "without": _RULE_WITHOUT,
    "doubt": _RULE_DOUBT,
    "kind": _RULE_KIND,
    "of": _RULE_OF,
}


@cython.boundscheck(False)
@cython.wraparound(False)
def _vader_valences(core, infos: list, cap: cython.bint, scored: list, idiom_keys) -> list:
    """``VaderCore.valences`` of a sentence's tokens (no CRM phrase masking any), reading
    each token's C fields: the same rules in the same order, so the same floats to the last
    bit (``tests/sentiment_udfs/test_engine.py`` compares the two). ``scored``: the positions
    of its lexicon words that are not degree words (the others score 0); ``idiom_keys``:
    ``_idiom_key`` of each of VADER's idioms and degree phrases."""
    n: cython.Py_ssize_t = len(infos)
    i: cython.Py_ssize_t
    out: list = [0] * n
    for i in scored:
        t: Token = infos[i]
        if t.rule_words & _RULE_KIND and i < n - 1:
            after: Token = infos[i + 1]
            if after.rule_words & _RULE_OF:
                continue  # 'kind of' is a degree phrase
        if i > 2 and _idiom_near(infos, i, n, idiom_keys):
            # An idiom may set the value ('the bomb' is 3, an int): VADER's own code, on strings.
            lower = [x.lower for x in infos]
            out[i] = core._valence(i, [x.text for x in infos], lower, n, cap, None)
        else:
            out[i] = _vader_valence(core, infos, i, n, cap)
    return out


@cython.boundscheck(False)
@cython.wraparound(False)
def _vader_valence(
    core, infos: list, i: cython.Py_ssize_t, n: cython.Py_ssize_t, cap: cython.bint
) -> cython.double:
    """``VaderCore._valence`` of token ``i`` where no idiom is near it: 'no', ALL CAPS, the
    degree words and negations of the three words before it, 'least'."""
    n_scalar: cython.double = core.n_scalar
    c_incr: cython.double = core.c_incr
    t: Token = infos[i]
    base: cython.double = t.valence
    valence: cython.double = base
    before: Token
    if t.rule_words & _RULE_NO and i != n - 1:
        before = infos[i + 1]  # (the word after it)
        if before.in_lexicon:
            valence = 0.0  # "no" negates the next lexicon word instead of scoring itself
    if (
        (i > 0 and _rule_word(infos, i - 1) & _RULE_NO)
        or (i > 1 and _rule_word(infos, i - 2) & _RULE_NO)
        or (
            i > 2
            and _rule_word(infos, i - 3) & _RULE_NO
            and _rule_word(infos, i - 1) & _RULE_OR_NOR
        )
    ):
        valence = base * n_scalar
    if cap and t.is_upper:
        valence = valence + c_incr if valence > 0 else valence - c_incr
    start_i: cython.Py_ssize_t
    s: cython.double
    for start_i in range(3):
        if i <= start_i:
            break
        before = infos[i - (start_i + 1)]
        if before.in_lexicon:
            continue
        s = 0.0
        if before.is_booster:
            s = before.booster
            if valence < 0:
                s *= -1
            if cap and before.is_upper:
                s = s + c_incr if valence > 0 else s - c_incr
            if start_i == 1 and s != 0:
                s = s * 0.95
            if start_i == 2 and s != 0:
                s = s * 0.9
        valence = valence + s
        valence = _vader_negation(valence, infos, start_i, i, n_scalar)
    # "least": negation unless "at least" / "very least"
    if i > 1 and _least(infos, i - 1):
        if not _rule_word(infos, i - 2) & _RULE_AT_VERY:
            valence = valence * n_scalar
    elif i > 0 and _least(infos, i - 1):
        valence = valence * n_scalar
    return valence


def _rule_word(infos: list, j: cython.Py_ssize_t) -> cython.int:
    # cast, not a checked assignment: these helpers raise nothing (noexcept in engine.pxd)
    t: Token = cython.cast(Token, infos[j])
    return t.rule_words


def _least(infos: list, j: cython.Py_ssize_t) -> cython.bint:
    t: Token = cython.cast(Token, infos[j])
    return t.rule_words & _RULE_LEAST and not t.in_lexicon


def _vader_negation(
    valence: cython.double,
    infos: list,
    start_i: cython.Py_ssize_t,
    i: cython.Py_ssize_t,
    n_scalar: cython.double,
) -> cython.double:
    """``VaderCore._negation``: the word ``start_i + 1`` before token ``i`` negates it, or
    'never so/this' emphasizes it."""
    w1: cython.int = _rule_word(infos, i - 1)
    w2: cython.int
    w3: cython.int
    if start_i == 0:
        if _negates(infos, i - 1):
            valence = valence * n_scalar
    elif start_i == 1:
        w2 = _rule_word(infos, i - 2)
        if w2 & _RULE_NEVER and w1 & _RULE_SO_THIS:
            valence = valence * 1.25
        elif w2 & _RULE_WITHOUT and w1 & _RULE_DOUBT:
            pass
        elif _negates(infos, i - 2):
            valence = valence * n_scalar
    else:
        w2 = _rule_word(infos, i - 2)
        w3 = _rule_word(infos, i - 3)
        if (w3 & _RULE_NEVER and w2 & _RULE_SO_THIS) or w1 & _RULE_SO_THIS:
            valence = valence * 1.25
        elif w3 & _RULE_WITHOUT and (w2 & _RULE_DOUBT or w1 & _RULE_DOUBT):
            pass
        elif _negates(infos, i - 3):
            valence = valence * n_scalar
    return valence


def _negates(infos: list, j: cython.Py_ssize_t) -> cython.bint:
    t: Token = cython.cast(Token, infos[j])
    return t.vader_negated


_IDIOM_RADIX = cython.declare(cython.longlong, 1024)  # idiom word numbers are below it


def _idiom_key(first: cython.longlong, second: cython.longlong, third: cython.longlong) -> int:
    """One number for a run of up to three idiom words' numbers (0 where the run is shorter)."""
    return (first * _IDIOM_RADIX + second) * _IDIOM_RADIX + third


def _idiom_near(infos: list, i: cython.Py_ssize_t, n: cython.Py_ssize_t, keys) -> cython.bint:
    """Whether one of the runs of words ``VaderCore._idioms`` looks up around token ``i`` is
    one of VADER's idioms or degree phrases (``keys``): if none is, it changes nothing."""
    if i + 2 < n and _run_is_idiom(infos, i, 3, keys):
        return True
    if i + 1 < n and _run_is_idiom(infos, i, 2, keys):
        return True
    return (
        _run_is_idiom(infos, i - 1, 2, keys)
        or _run_is_idiom(infos, i - 2, 3, keys)
        or _run_is_idiom(infos, i - 2, 2, keys)
        or _run_is_idiom(infos, i - 3, 3, keys)
        or _run_is_idiom(infos, i - 3, 2, keys)
    )


def _run_is_idiom(infos: list, start: cython.Py_ssize_t, size: cython.int, keys) -> cython.bint:
    """Whether the ``size`` words from ``start`` are an idiom's: a set look-up only where each
    of them is an idiom word (most runs hold a word that is not)."""
    ids: cython.longlong[3] = [0, 0, 0]
    k: cython.int
    t: Token
    for k in range(size):
        t = cython.cast(Token, infos[start + k])
        if t.idiom_id == 0:
            return False
        ids[k] = t.idiom_id
    return _idiom_key(ids[0], ids[1], ids[2]) in keys


# The word kinds the CRM's negation rules name (crm_layer.negation_fixes), as bits of a
# Token's ``crm_words``, read by ``_negation_fixes`` where crm_layer compares strings.
_CRM_NOT_NEGATED = cython.declare(cython.int, 1)  # laughter, emoticons: never negated
_CRM_WEAK_NEGATOR = cython.declare(cython.int, 2)  # 'hardly', 'barely'
_CRM_NEGATOR = cython.declare(cython.int, 4)  # 'not', "isn't"
_CRM_EXCLAIM = cython.declare(cython.int, 8)  # 'so', 'such' after 'never'
_CRM_COMPARATIVE = cython.declare(cython.int, 16)
_CRM_CLAUSE_END = cython.declare(cython.int, 32)
_CRM_NEVER = cython.declare(cython.int, 64)
_CRM_BUT = cython.declare(cython.int, 128)
_CRM_CLAUSE_MARK = cython.declare(cython.int, 256)  # written with a final , ; or :


def _idiom_tables(core) -> tuple[dict[str, int], frozenset]:
    """VADER's idioms and degree phrases of several words ('kind of', 'yeah right') as keys of
    their words' numbers: each idiom word's number (from 1), and ``_idiom_key`` of each idiom
    of two or three words (the runs ``VaderCore._idioms`` joins). Only where a run of words
    around a lexicon word is one does ``_vader_valences`` build the strings it looks up."""
    phrases = [k.split(" ") for k in (*core.special, *core.boosters) if " " in k]
    ids: dict[str, int] = {}
    for words in phrases:
        for w in words:
            ids.setdefault(w, len(ids) + 1)
    if len(ids) >= _IDIOM_RADIX:  # pragma: no cover - VADER's lists are short
        raise ValueError("VADER has too many idiom words for _idiom_key")
    keys = set()
    for words in phrases:
        if len(words) <= 3:
            run = [ids[w] for w in words] + [0] * (3 - len(words))
            keys.add(_idiom_key(run[0], run[1], run[2]))
    return ids, frozenset(keys)


def _crm_word_bits(d) -> dict[str, int]:
    """The words of each kind the CRM's negation rules name, as ``_CRM_*`` bits per word."""
    out: dict[str, int] = {}
    for bit, words in (
        (_CRM_NOT_NEGATED, d.not_negated),
        (_CRM_WEAK_NEGATOR, d.weak_negators),
        (_CRM_NEGATOR, d.negators),
        (_CRM_EXCLAIM, EXCLAIM),
        (_CRM_COMPARATIVE, COMPARATIVE),
        (_CRM_CLAUSE_END, CLAUSE_END),
        (_CRM_NEVER, ("never",)),
        (_CRM_BUT, ("but",)),
    ):
        for w in words:
            out[w] = out.get(w, 0) | bit
    return out


class WordRules:
    """What VADER's and the CRM's rules know of one lower-case word, gathered once per engine
    from the lexicons and word lists (``_word_rules``), so a new token copies them after one
    look-up instead of one per list. Compiled, a C struct (engine.pxd); the fields are
    Token's of the same names."""

    __slots__ = (
        "valence",
        "in_lexicon",
        "booster",
        "is_booster",
        "vader_negated",
        "rule_words",
        "idiom_id",
        "crm_words",
        "starts_phrase",
        "is_phrase",
    )

    def __init__(self) -> None:  # a word no rule names
        self.valence = self.booster = 0.0
        self.in_lexicon = self.is_booster = self.vader_negated = False
        self.rule_words = self.idiom_id = self.crm_words = 0
        self.starts_phrase = self.is_phrase = False


def _word_rules(core, d, idiom_ids: dict, phrase_first: frozenset, phrase_words: frozenset) -> dict:
    """A WordRules per word some rule names: the CRM lexicon and degree words (VADER's
    rules), VADER's negations, rule words and idiom words, the negation rules' word kinds,
    and the first words of CRM phrases (``idiom_ids``: ``_idiom_tables``')."""
    crm_bits = _crm_word_bits(d)
    named = set(core.lexicon).union(
        core.boosters, core.negate, _RULE_WORDS, idiom_ids, crm_bits, phrase_first, phrase_words
    )
    out: dict[str, WordRules] = {}
    for w in named:
        r: WordRules = WordRules()
        valence = core.lexicon.get(w)
        r.in_lexicon = valence is not None
        r.valence = valence if valence is not None else 0.0
        booster = core.boosters.get(w)
        r.is_booster = booster is not None
        r.booster = booster if booster is not None else 0.0
        r.vader_negated = w in core.negate
        r.rule_words = _RULE_WORDS.get(w, 0)
        r.idiom_id = idiom_ids.get(w, 0)
        r.crm_words = crm_bits.get(w, 0)
        r.starts_phrase = w in phrase_first
        r.is_phrase = w in phrase_words
        out[w] = r
    return out


class NegationRules:
    """The CRM's negation settings ``_negation_fixes`` reads (once per sentence, into C
    locals): VADER's negation scalar, how much of a negated negative word is kept, and how
    far back a negation reaches within a clause."""

    __slots__ = ("n_scalar", "keep", "window")

    def __init__(self, keep: float, window: int) -> None:
        self.n_scalar = vader_rules().n_scalar
        self.keep = keep
        self.window = window


@cython.boundscheck(False)
@cython.wraparound(False)
def _negation_fixes(
    vals: list, infos: list, changed: list, ev: list, positions: list, rules: NegationRules
) -> cython.bint:
    """``crm_layer.negation_fixes`` over a sentence's Token structs, in place: the same rules
    in the same order, on the values at ``positions`` (its lexicon words; the others are 0),
    so the same floats and evidence (``tests/sentiment_udfs/test_engine.py`` compares them)."""
    n_scalar: cython.double = rules.n_scalar
    decided: cython.bint = False
    i: cython.Py_ssize_t
    j: cython.Py_ssize_t
    t: Token
    w: Token
    base: cython.double
    v: cython.double
    for i in positions:
        value = vals[i]
        if not value or changed[i]:
            continue
        t = infos[i]
        if not t.in_lexicon:
            continue
        base = t.valence
        v = value
        if t.crm_words & _CRM_NOT_NEGATED:  # laughter, emoticons: outside any negation's scope
            if (base > 0) != (v > 0):
                vals[i] = value / n_scalar
                changed[i] = decided = True
                ev.append(evidence_tuple("rule", f"'{t.text}' is not negated", vals[i]))
            continue
        if (base > 0) != (v > 0) and _never_exclaims(infos, i, 3):
            vals[i] = value / n_scalar  # VADER's negation undone
            changed[i] = decided = True
            ev.append(evidence_tuple("rule", f"'never … so/such {t.text}' exclaims", vals[i]))
            continue
        if base < 0 < v:  # VADER negated a negative word: faint praise, not strong praise
            vals[i] = value * rules.keep
            changed[i] = decided = True
            why = f"negated negative '{t.text}' (faint praise)"
            ev.append(evidence_tuple("rule", why, vals[i]))
            continue
        if base > 0 and v > 0 and _weakly_negated(infos, i):
            prev = " ".join([cython.cast(Token, x).lower for x in infos[max(0, i - 2) : i]])
            vals[i] = t.valence * n_scalar
            changed[i] = decided = True
            ev.append(evidence_tuple("rule", f"'{prev} {t.text}' negates", vals[i]))
            continue
        if (base > 0) == (v > 0) and i > 3 and not _comparative_after(infos, i):
            # Negation further back than VADER's three words, within the same clause: a comma
            # or 'but' right before the word ends the clause too ('not good but I love it').
            for j in range(i - 1, max(-1, i - rules.window - 1), -1):
                w = infos[j]
                if w.crm_words & (_CRM_CLAUSE_MARK | _CRM_BUT):
                    break
                if j > i - 4:
                    continue
                if w.crm_words & (_CRM_CLAUSE_END | _CRM_COMPARATIVE):
                    break
                if w.crm_words & _CRM_NEVER and _exclaims_between(infos, j + 1, i):
                    # 'never been treated so badly': not negated, and the evidence says why
                    why = f"'never … so/such {t.text}' exclaims"
                    ev.append(evidence_tuple("rule", why, value))
                    break
                if w.crm_words & _CRM_NEGATOR:
                    vals[i] = value * n_scalar
                    changed[i] = True
                    ev.append(evidence_tuple("rule", f"'{w.text} … {t.text}' negates", vals[i]))
                    break
    return decided


def _has_word(
    infos: list, start: cython.Py_ssize_t, stop: cython.Py_ssize_t, kind: cython.int
) -> cython.bint:
    """Whether a token from ``start`` up to (not including) ``stop`` is of ``kind``."""
    j: cython.Py_ssize_t
    for j in range(max(start, 0), min(stop, len(infos))):
        if cython.cast(Token, infos[j]).crm_words & kind:
            return True
    return False


def _never_exclaims(infos: list, i: cython.Py_ssize_t, reach: cython.Py_ssize_t) -> cython.bint:
    """crm_layer._never_exclaims: a 'never' up to ``reach`` words before token ``i`` with
    'so' or 'such' after it."""
    j: cython.Py_ssize_t
    for j in range(i - 1, max(-1, i - reach - 1), -1):
        if cython.cast(Token, infos[j]).crm_words & _CRM_NEVER:
            return _exclaims_between(infos, j + 1, i)
    return False


def _exclaims_between(
    infos: list, start: cython.Py_ssize_t, stop: cython.Py_ssize_t
) -> cython.bint:
    return _has_word(infos, start, stop, _CRM_EXCLAIM)


def _weakly_negated(infos: list, i: cython.Py_ssize_t) -> cython.bint:
    """A weak negator ('hardly') among the two words before token ``i``."""
    return _has_word(infos, i - 2, i, _CRM_WEAK_NEGATOR)


def _comparative_after(infos: list, i: cython.Py_ssize_t) -> cython.bint:
    """A comparative ('so', 'more') among the two words after token ``i``."""
    return _has_word(infos, i + 1, i + 3, _CRM_COMPARATIVE)


# Token, Written and Sentence live in the memos. Compiled, the cyclic garbage collector never
# tracks them (no_gc: nothing they hold leads back to them), and the containers they keep are
# untracked when made (memo_gc). no_gc works here, beside cclass; in engine.pxd it is ignored.
@cython.no_gc
@cython.cclass
class Token:
    """A distinct whitespace-separated piece of text, analysed once (memoized). Compiled, a C
    struct (engine.pxd): every sentence holding it reads its fields.

    text: VADER's token (punctuation stripped unless that leaves two characters or less);
    lower; is_upper (ALL CAPS); ends_sentence; words: the model's words in it (lower case,
    "n't" split off); pattern_mask: which patterns it may be part of a match of (prefilter);
    exclamations, questions: its "!" and "?"; folded: as written, lower case, quotes
    straightened (what patterns read); negates: holds a negator; model_words: a ModelWord
    per word of ``words``; scored: VADER scores it (a lexicon word, not a degree word);
    starts_phrase: a CRM phrase of several words starts with it; is_phrase: it is a CRM
    phrase of one word. What VADER's rules ask of its lower case (``_vader_valences``):
    valence and in_lexicon (the CRM lexicon), booster and is_booster (a degree word),
    vader_negated (a negation word to VADER), rule_words (which of the words the rules name
    it is: ``_RULE_*`` bits), idiom_id (its number among the words of VADER's idioms and
    degree phrases, 0 if none). What the CRM's negation rules ask of it: crm_words (which of
    the word kinds they name it is: ``_CRM_*`` bits). What the language guess counts of it as
    a whole whitespace piece: n_words, foreign, ascii_letters (as ``Written``'s). Its first
    model word's fields (most tokens are one word), copied so a sentence's walk reads them
    here, not through its tuple and ModelWord (two pointer chases, each a memory stall):
    word_id (evidence_id), pair_no, negated_id, word_negator (negator), word_ends_scope
    (ends_scope)."""

    __slots__ = (
        "text",
        "lower",
        "is_upper",
        "ends_sentence",
        "words",
        "pattern_mask",
        "exclamations",
        "questions",
        "folded",
        "negates",
        "model_words",
        "scored",
        "starts_phrase",
        "is_phrase",
        "valence",
        "in_lexicon",
        "booster",
        "is_booster",
        "vader_negated",
        "rule_words",
        "idiom_id",
        "crm_words",
        "n_words",
        "foreign",
        "ascii_letters",
        "word_id",
        "pair_no",
        "negated_id",
        "word_negator",
        "word_ends_scope",
    )


@cython.no_gc
@cython.cclass
class Written:
    """A whitespace token as written: the tokens it reads as (an emoji reads as its
    description, '#worstflightever' as three words), and what the language guess needs of
    it: language_words, scripts (letters of non-Latin scripts by language, or None),
    ascii_letters, n_words (len(language_words)) and foreign (language.foreign_hits of them:
    the stop-words by language are counted only for the rare text holding enough)."""

    __slots__ = ("tokens", "language_words", "scripts", "ascii_letters", "n_words", "foreign")


def _written(tokens: tuple, words: tuple, scripts, ascii_letters: int) -> Written:
    out: Written = Written()
    out.tokens = untracked(tokens)
    out.language_words = untracked(words)
    out.scripts = scripts
    out.ascii_letters = ascii_letters
    out.n_words = len(words)
    out.foreign = foreign_hits(words)
    return out


@cython.no_gc
@cython.cclass
class Sentence:
    """What a distinct sentence contributes, worked out once (then shared by every text
    holding it): tokens, ALL CAPS count, model features and their row of the logit table,
    its count of foreign stop-words, "!"/"?" emphasis, whether it is a courtesy closer, the
    patterns that match inside it, and (per caps setting of the whole text) the VADER + CRM
    valences of its tokens. Compiled, a C struct (engine.pxd). Its tokens' strings are read
    from ``infos`` where needed (``tokens``, ``lower``, ``written``, ``words``)."""

    __slots__ = (
        "infos",
        "n",
        "upper",
        "word_ids",
        "fids",
        "folded",
        "amp",
        "closer",
        "sarcasm",
        "escalation",
        "cues",
        "emotions",
        "by_cap",
        "text",
        "foreign",
        "n_words",
        "ascii_letters",
        "scripts",
        "special",
        "top",
        "cued",
        "row",
        "named",
        "scored",
        "phrased",
    )

    @property
    def tokens(self) -> list:
        """Its tokens as VADER reads them."""
        return [t.text for t in self.infos]

    @property
    def lower(self) -> list:
        """... in lower case."""
        return [t.lower for t in self.infos]

    @property
    def written(self) -> list:
        """Each token as written, lower case, quotes straightened."""
        return [t.folded for t in self.infos]

    @property
    def words(self) -> list:
        """The model's words, in order (``word_ids``' words)."""
        return [mw.word for t in self.infos for mw in t.model_words]


def _keep_valences(si: Sentence, cap: bool, out: SentenceValences) -> SentenceValences:
    """Memoize ``out`` as ``si``'s valences for ``cap``, its lists out of the collector's
    scans (memo_gc)."""
    untracked(out.vals)
    untracked(out.changed)
    untracked(out.rule_evidence)
    untracked(out.lexicon_evidence)
    untracked(out.token_evidence)
    untracked(out.in_text_evidence)
    si.by_cap[cap] = untracked(out)
    return out


class Engine:
    """Everything loaded once: lexicons, patterns and their triggers, the model, the memos."""

    def __init__(self) -> None:
        d = crm_data()
        self.d = d
        self.core = crm_core()
        self.phrase_first = frozenset(d.phrases)
        idiom_ids, self._idiom_keys = _idiom_tables(self.core)
        self._negation = NegationRules(d.negated_negative_keep, d.negation_window)
        # A CRM phrase can match only where its first two words stand (or its one word): the
        # cheap test that spares most sentences the phrase search (crm_layer.apply_phrases).
        self._phrase_pairs = frozenset(
            (toks[0], toks[1])
            for cands in d.phrases.values()
            for toks, _, _ in cands
            if len(toks) > 1
        )
        self._phrase_words = frozenset(
            toks[0] for cands in d.phrases.values() for toks, _, _ in cands if len(toks) == 1
        )
        # What the rules' walks over a sentence's Token structs read of its words
        # (_vader_valences, _negation_fixes): copied into each token when it is first met.
        self._word_rules = _word_rules(
            self.core, d, idiom_ids, self.phrase_first, self._phrase_words
        )
        patterns: list[str] = []

        def bits(ps):
            out = []
            for p in ps:
                # pow, not 1 << len(): compiled (compiled.py), that shift is C int arithmetic
                # and wraps past 31 patterns.
                out.append((pow(2, len(patterns)), p))
                patterns.append(p.regex.pattern)
            return tuple(out)

        self.sarcasm = bits(d.sarcasm)
        self.escalation = bits(d.escalation)
        self.cues = tuple((cue, CUE_BITS[cue], bits(ps)) for cue, ps in d.cues.items())
        self.cue_order = tuple(cue for cue, _, _ in self.cues)
        emo = []
        # Emoji first: a text's first cue per emotion pushes, and a face outweighs a word.
        for e, rx in d.emoji_patterns.items():
            ((bit, _),) = bits([Pattern(e, rx, "")])
            emo.append((bit, _E[e], rx, d.emoji_push))
        # Then a verdict on the service ('terrible service'): it outweighs the feeling words.
        for e, (rx, push) in d.verdict_patterns.items():
            ((bit, _),) = bits([Pattern(e, rx, "")])
            emo.append((bit, _E[e], rx, push))
        for e, rx in d.emotion_patterns.items():
            ((bit, _),) = bits([Pattern(e, rx, "")])
            emo.append((bit, _E[e], rx, d.emotion_push[e]))
        self.emotion_cues = tuple(emo)
        if len(patterns) > 64:  # pragma: no cover - Token.pattern_mask is a C uint64
            raise ValueError(f"{len(patterns)} patterns: a token's mask holds 64")
        # The same patterns by number, for a sentence to run those its prefilter lets through.
        self._pattern_uses = pattern_uses(
            self.sarcasm, self.escalation, self.cues, self.emotion_cues
        )
        self.pre = Prefilter(patterns)
        m = model()
        self.vocab = m.vocab
        self._grams = GramTable(m.vocab)
        self.bucket_ids = [m.vocab.get(f"<compound:{k}>", -1) for k in range(7)]
        self.pad = len(m.vocab)
        self.pol_offsets = np.array(m.decision.get("offsets", [0.0, 0.0, 0.0]))
        self.pol_margin = float(m.decision.get("margin", POLARITY_MARGIN))
        self.pol_keep_strong = float(m.decision.get("keep_strong", KEEP_STRONG))
        self.pol_no_flip = float(m.decision.get("no_flip", NO_FLIP))
        # Both heads side by side (emotion logits, then polarity); the last row is the all-zero
        # pad. A text's logits are the sum of its sentences' rows of the logit table (each
        # distinct sentence summed once, when first met) plus its compound bucket's row.
        self.w_all = np.hstack([m.emotion_w, m.polarity_w])
        bias = np.concatenate([m.emotion_b, m.polarity_b])
        self._bucket_rows = np.array(
            [bias + (self.w_all[j] if j >= 0 else 0.0) for j in self.bucket_ids]
        )
        self.lock = threading.Lock()  # one batch at a time: the memos and the table are shared
        self._reset_table()
        # Model evidence is read per word: a word's weight for an emotion is its own feature's
        # plus its character grams' ('#frus' tells a person nothing; 'frustrating' does).
        # Pairs ('no reply') are shown as themselves, negated words as "negated 'help'".
        self.emotion_cols = [m.emotion_w[:, k].tolist() for k in range(len(EMOTIONS))]
        # The features evidence names as themselves (a sentence's ``named``), by feature id.
        self.named_text: dict[int, str] = {
            j: f"negated '{f[1:]}'" if f.startswith("~") else f
            for f, j in m.vocab.items()
            if " " in f or f.startswith("~")
        }
        self._tok: dict[str, Token] = {}
        self._sent: dict[str, Sentence] = {}
        self._lines: dict[str, tuple[Sentence, ...]] = {}
        # Whitespace pieces that are not one plain ASCII token (hashtags, emoji, other
        # scripts) as Written; a plain piece is read from the token memo (``_sentence``).
        self._raws: dict[str, Written] = {}
        # What the model knows of each word met: its features and their evidence table id.
        self._words: dict[str, ModelWord] = {}
        self._word_weights = WordWeights(m.emotion_w.ravel().tolist(), len(EMOTIONS))
        # Per emotion, the last model evidence tuple built for each word (``_sentence_top``).
        self._model_ev: list[dict[str, tuple]] = [{} for _ in EMOTIONS]
        # The model's pairs by their words' numbers (each word of a pair has one).
        self._pair_words: dict[str, int] = {}
        pairs: dict[tuple[int, int], int] = {}
        for f, j in m.vocab.items():
            a, sep, b = f.partition(" ")
            if sep:
                first = self._pair_words.setdefault(a, len(self._pair_words))
                second = self._pair_words.setdefault(b, len(self._pair_words))
                pairs[first, second] = j
        if len(self._pair_words) >= 1 << 20:  # pragma: no cover - PairTable's key has 20 bits
            raise ValueError("the model has too many words in pairs for PairTable")
        self._pair_table = PairTable(pairs)

    def clear_memos(self) -> None:
        """Forget the per-token and per-sentence memos (results do not depend on them)."""
        with self.lock:  # not under a batch in another thread: its sentences' rows would go
            self._clear_memos()

    def _clear_memos(self) -> None:
        self._tok.clear()
        self._sent.clear()
        self._lines.clear()
        self._raws.clear()
        for memo in self._model_ev:
            memo.clear()
        _clear_line_kinds()
        self._reset_table()

    def _reset_table(self) -> None:
        """An empty logit table: only the bucket rows. Every memoized sentence's row is gone
        with it, so only clearing all memos calls this (between slices)."""
        self._table = np.empty((4096, self.w_all.shape[1]))
        self._table[:_BUCKETS] = self._bucket_rows
        self._n_rows = _BUCKETS

    # -- tokens and sentences ---------------------------------------------------------------
    def _token(self, raw: str) -> Token:
        key = raw
        if not raw.isascii() and (
            "\u2019" in raw or "\u2018" in raw or "\u201c" in raw or "\u201d" in raw
        ):
            # Phones and mail clients curl quotes: "doesn’t" must negate as "doesn't" does.
            raw = raw.translate(FOLD_QUOTES)
        stripped = raw.strip(_PUNCT)
        # An @handle names someone ('@united', '@SupportTeam'): kept whole, so no lexicon word
        # inside it scores (VADER strips the '@' and reads 'united' as +1.8).
        tok = raw if len(stripped) <= 2 or (raw[0] == "@" and _HANDLE.match(raw)) else stripped
        last = raw[-1]
        folded = raw.lower()  # quotes are straight already
        fw = tuple([NT.get(w, w) for w in WORD_RE.findall(folded)])
        known: dict = self._words
        model_words = []
        negates = False
        mw: ModelWord
        for w in fw:
            mw = known.get(w)
            if mw is None:
                mw = self._model_word(w)
            model_words.append(mw)
            if mw.negator:
                negates = True
        info: Token = Token()
        info.text = tok
        info.lower = tok.lower()
        info.is_upper = tok.isupper()
        info.ends_sentence = last in _ENDERS or (
            last in _CLOSE and raw.rstrip(_CLOSE)[-1:] in _ENDERS
        )
        info.words = untracked(fw)
        info.pattern_mask = self.pre.token_mask(folded)
        info.exclamations = raw.count("!") if "!" in raw else 0
        info.questions = raw.count("?") if "?" in raw else 0
        info.folded = folded
        info.negates = negates
        info.model_words = untracked(tuple(model_words))
        if model_words:
            mw = model_words[0]
            info.word_id = mw.evidence_id
            info.pair_no = mw.pair_no
            info.negated_id = mw.negated_id
            info.word_negator = mw.negator
            info.word_ends_scope = mw.ends_scope
        self._rule_fields(info)
        info.scored = info.in_lexicon and not info.is_booster
        # As a whole whitespace piece (most tokens are one), what the language guess counts.
        info.n_words = len(fw)
        info.foreign = foreign_hits(fw)
        info.ascii_letters = _letters(fw)
        if len(self._tok) > _MEMO_LIMIT:
            self._tok.clear()
        self._tok[key] = info
        return info

    def _rule_fields(self, info: Token) -> None:
        """What the rules' walks read of a new token (``_vader_valences``,
        ``_negation_fixes``): its word's WordRules, and what its own spelling adds (a negation
        written "n't", a clause ended by the comma written after it)."""
        lower = info.lower
        rules: WordRules = self._word_rules.get(lower, _PLAIN_WORD)
        info.valence = rules.valence
        info.in_lexicon = rules.in_lexicon
        info.booster = rules.booster
        info.is_booster = rules.is_booster
        info.rule_words = rules.rule_words
        info.idiom_id = rules.idiom_id
        info.starts_phrase = rules.starts_phrase
        info.is_phrase = rules.is_phrase
        info.vader_negated = rules.vader_negated
        crm_words = rules.crm_words
        if "n't" in lower:
            info.vader_negated = True
            crm_words |= _CRM_NEGATOR
        if info.folded[-1:] in ",;:":
            crm_words |= _CRM_CLAUSE_MARK
        info.crm_words = crm_words

    def _raw(self, raw: str) -> Written:
        """A whitespace token as written: its VADER tokens (emojis become their descriptions,
        as VADER does), its words for the language guess, and its non-Latin letters."""
        tags = hashtag_words(raw) if raw[0] == "#" else None
        tmemo = self._tok
        info: Token
        if tags:  # '#worstflightever' reads as 'worst flight ever'
            infos = tuple([tmemo.get(w) or self._token(w) for w in tags])
            lw = tuple([w for t in infos for w in t.words])
            out = _written(infos, lw, None, _letters(lw))
        elif raw.isascii():
            info = tmemo.get(raw)
            if info is None:
                info = self._token(raw)
            out = _written((info,), info.words, None, _letters(info.words))
        else:
            infos = tuple([tmemo.get(x) or self._token(x) for x in replace_emojis(raw).split()])
            lw = tuple(NT.get(w, w) for w in WORD_RE.findall(raw.lower().translate(FOLD_QUOTES)))
            ascii_letters = sum(len(w) for w in lw if w.isascii())
            out = _written(infos, lw, script_counts(raw) or None, ascii_letters)
        if len(self._raws) > _MEMO_LIMIT:
            self._raws.clear()
        self._raws[raw] = out
        return out

    def sentences(self, prepared: str) -> list[Sentence]:
        """The sentences of a text: split at line breaks and after . ! ? (closing quotes
        allowed) followed by white space."""
        lines: dict = self._lines
        out: list[Sentence] = []
        for line in prepared.splitlines():
            sents = lines.get(line)
            if sents is None:
                sents = self._line(line)
            out.extend(sents)
        return out

    def _line(self, line: str) -> tuple[Sentence, ...]:
        memo: dict = self._sent
        out = []
        parts = _SENT_SPLIT.split(line.strip())
        if len(parts) > 1:  # [text, end, text, end, ..., text]: the ends go back on
            parts = [parts[k] + parts[k + 1] for k in range(0, len(parts) - 1, 2)] + parts[-1:]
            parts = _attach_comments(parts)
        for part in parts:
            if part:
                si = memo.get(part)
                if si is None:
                    si = self._sentence(part)
                out.append(si)
        if len(self._lines) > _MEMO_SENTENCES:
            self._lines.clear()
        self._lines[line] = sents = untracked(tuple(out))
        return sents

    @cython.locals(
        mask=cython.ulonglong,
        upper=cython.int,
        exclamations=cython.int,
        questions=cython.int,
        n_words=cython.int,
        foreign=cython.int,
        ascii_letters=cython.int,
        scope=cython.int,
        previous=cython.int,
        j=cython.int,
        w=cython.int,
        word_id=cython.int,
        pair_no=cython.int,
        negated_id=cython.int,
        negator=cython.bint,
        ends_scope=cython.bint,
    )
    def _sentence(self, text: str) -> Sentence:
        raws: dict = self._raws
        infos: list = []
        n_words = foreign = ascii_letters = 0
        scripts: dict | None = None
        tmemo: dict = self._tok
        r: Written
        t: Token
        pieces = text.split()
        plain = True  # every piece one plain ASCII token (then folded is the pieces, lowered)
        for raw in pieces:
            if raw[0] != "#" and raw.isascii():
                # Most pieces are one plain token: read straight from the token memo (one
                # object, not a Written, its tuple and then the token: each a memory stall).
                t = tmemo.get(raw)
                if t is None:
                    t = self._token(raw)
                infos.append(t)
                n_words += t.n_words
                foreign += t.foreign
                ascii_letters += t.ascii_letters
                continue
            plain = False
            r = raws.get(raw)
            if r is None:
                r = self._raw(raw)
            infos.extend(r.tokens)
            n_words += r.n_words
            foreign += r.foreign
            ascii_letters += r.ascii_letters
            if r.scripts:
                scripts = dict(scripts or {})
                for lang, k in r.scripts.items():
                    scripts[lang] = scripts.get(lang, 0) + k
        # One pass over the tokens and their words for everything the sentence keeps of them,
        # the model's pairs and negated words included (features.sentence_features' rules).
        # It keeps numbers and flags, not the tokens' strings: touching each string of each
        # token (a list holding it writes its reference count) costs a memory stall apiece,
        # so the strings are read from ``infos`` only where a rule or evidence needs them.
        word_ids: list = []
        pairs: list = []  # feature ids of the model's pairs, in order
        negated: list = []  # ... of the words in a negation's scope ('~word'), in order
        scored: list = []  # positions of the tokens VADER scores
        phrased = False  # a CRM phrase's first two words (or its one word) stand here
        phrase_pairs = self._phrase_pairs
        before: Token = None  # the token before ``t``
        upper = exclamations = questions = 0
        mask = self.pre.always
        pair_table: PairTable = self._pair_table
        previous = -1  # the previous word's number in the model's pairs
        scope = 0  # words of a negation's scope still to come
        position: cython.Py_ssize_t
        mw: ModelWord
        for position, t in enumerate(infos):
            if t.scored:
                scored.append(position)
            if t.is_phrase or (
                before is not None
                and before.starts_phrase
                and (before.lower, t.lower) in phrase_pairs
            ):
                phrased = True
            before = t
            for w in range(t.n_words):  # its model words (n_words of them)
                if w == 0:  # copied into the token
                    word_id, pair_no, negated_id = t.word_id, t.pair_no, t.negated_id
                    negator, ends_scope = t.word_negator, t.word_ends_scope
                else:
                    mw = t.model_words[w]
                    word_id, pair_no, negated_id = mw.evidence_id, mw.pair_no, mw.negated_id
                    negator, ends_scope = mw.negator, mw.ends_scope
                word_ids.append(word_id)
                if previous >= 0 and pair_no >= 0:
                    j = pair_table.find(previous, pair_no)
                    if j >= 0:
                        pairs.append(j)
                previous = pair_no
                if negator:
                    scope = 3
                elif scope:
                    if ends_scope:
                        scope = 0
                    else:
                        if negated_id >= 0:
                            negated.append(negated_id)
                        scope -= 1
            if t.is_upper:
                upper += 1
            exclamations += t.exclamations
            questions += t.questions
            mask |= t.pattern_mask
        si: Sentence = Sentence()
        si.text = text
        si.n_words = n_words
        si.ascii_letters = ascii_letters
        si.scripts = scripts
        si.infos = infos
        si.n = len(infos)
        si.upper = upper
        si.foreign = foreign
        si.word_ids = word_ids
        si.fids, si.named = self._feature_ids(word_ids, pairs, negated)
        si.row = -1  # its row of the logit table, given by _add_rows
        si.top = [None] * len(EMOTIONS)  # per emotion, its three strongest features (lazily)
        si.scored = scored
        si.phrased = phrased
        # The tokens as written, lower case, quotes straightened, one space apart: plain
        # pieces are their own tokens (Token.folded is the piece lowered), so the sentence's
        # pieces give it without reading each token's string.
        folded = " ".join(pieces).lower() if plain else " ".join([t.folded for t in infos])
        si.folded = folded
        si.amp = amplifier(exclamations, questions)
        d = self.d
        si.closer = bool(infos and infos[0].lower in CLOSER_START and d.closer.match(folded))
        # The patterns that may match here (Python ints from now: the bits they are tested
        # against are Python ints).
        hits = self.pre.confirm(mask, folded) if mask else 0
        if not hits:
            si.sarcasm = si.escalation = si.cues = si.emotions = ()
            si.special = si.cued = False
            si.by_cap = [None, None]
            return self._keep_sentence(si)
        # Patterns are read within one sentence; a pattern runs only if its triggers are here.
        si.sarcasm, si.escalation, si.cues, si.emotions = read_patterns(
            self._pattern_uses, hits, folded, d.emoji_by_description
        )
        si.by_cap = [None, None]
        si.special = bool(si.sarcasm or si.escalation)
        si.cued = bool(si.cues or si.emotions)
        return self._keep_sentence(si)

    def _keep_sentence(self, si: Sentence) -> Sentence:
        """Memoize a new sentence, its containers out of the collector's scans (memo_gc)."""
        untracked(si.infos)
        untracked(si.word_ids)
        untracked(si.fids)
        untracked(si.named)
        untracked(si.scored)
        untracked(si.by_cap)  # filled later with untracked valences (_keep_valences)
        untracked(si.top)  # ... with untracked tuples of evidence (_sentence_top)
        untracked(si.sarcasm)
        untracked(si.escalation)
        untracked(si.cues)
        untracked(si.emotions)
        if len(self._sent) > _MEMO_SENTENCES:
            self._sent.clear()
        self._sent[si.text] = si
        return si

    def _model_word(self, w: str) -> ModelWord:
        """What the model knows of a word it has not met before (then memoized)."""
        vocab = self.vocab
        found = []  # its own feature and its character grams', where the model has them
        j = vocab.get(w)
        if j is not None:
            found.append(j)
        self._grams.add_ids(w, found)  # word_grams(w) in the vocabulary (grams.py)
        feature_ids = tuple(found)
        out: ModelWord = ModelWord()
        out.word = w
        out.evidence_id = self._word_weights.add(feature_ids, w)
        out.pair_no = self._pair_words.get(w, -1)
        out.negated_id = vocab.get("~" + w, -1)
        out.negator = w in NEGATORS or w.endswith("n't")
        out.ends_scope = w in ("!", "?", "but")
        self._words[w] = out
        return out

    def _feature_ids(self, word_ids: list, pairs: list, negated: list) -> tuple:
        """Ids of ``features.sentence_features`` of a sentence's words in the model's
        vocabulary (an array, each id once: its words' own features and character grams from
        ``word_ids``, then its pairs, then its negated words), and those of them that evidence
        names as themselves (the pairs and negated words, each once, in that order)."""
        return self._word_weights.features(word_ids, pairs, negated)  # ordered: the logit sums

    def _valences(self, si: Sentence, cap: bool) -> SentenceValences:
        """VADER's rules with the CRM lexicon, phrases and negation fixes, then "but", over one
        sentence: (vals, changed, rule evidence, lexicon evidence, token evidence, sum, CRM
        spoke, any negative)."""
        if not si.scored and not si.phrased:
            return self._no_valences(si, cap)
        d = self.d
        infos: list = si.infos
        n = si.n
        ev: list[tuple] = []
        changed = [False] * n
        found = []
        if si.phrased:  # CRM phrases are found in the tokens' strings
            tokens, lower = si.tokens, si.lower
            masked, found = apply_phrases(lower, tokens, d, changed, ev)
        if found:  # a CRM phrase masks its words: VADER's rules over the masked strings
            vals = self.core.valences(tokens, masked, None, cap, si.scored)
        else:  # most sentences: the same rules over the tokens' C fields
            vals = _vader_valences(self.core, infos, cap, si.scored, self._idiom_keys)
        for i, valence in found:
            vals[i] = valence
        negation_rule = _negation_fixes(vals, infos, changed, ev, si.scored, self._negation)
        t: Token = infos[0]
        asks = t.lower in QUESTION_START and infos[-1].questions > 0  # ends with '?'
        if asks and any(v > 0 for v in vals):
            for i, v in enumerate(vals):
                if v > 0:
                    vals[i] = 0.0
                    changed[i] = True
                    t = infos[i]
                    why = f"{t.text} (in a question: asks, does not praise)"
                    ev.append(("rule", "sentiment", why, round(-v, 4)))
        negative = any(v < 0 for v in vals)
        contrast = False
        bi = -1  # the first 'but'
        for j in range(n):
            t = infos[j]
            if t.crm_words & _CRM_BUT:
                bi = j
                break
        if bi >= 0:  # VADER's contrast rule, by position, within the sentence
            before = sum(vals[:bi])
            vals = [v * 0.5 if j < bi else v * 1.5 if j > bi else v for j, v in enumerate(vals)]
            # 'X is great but Y ...': the clause after 'but' carries the complaint.
            contrast = before > 0 and sum(vals) < 0
            if contrast:
                why = "contrast: the complaint after 'but' outweighs the praise before it"
                ev.append(("rule", "sentiment", why, round(sum(vals) - before, 4)))
        lex_ev, tok_ev, strong = self._token_evidence(si, vals, changed)
        # The CRM spoke (and the polarity model will not overrule it) where a phrase or a clear
        # word override gives sentiment, or a word-level negation rule applied ('not bad' is
        # faint praise, 'hardly helpful'), or the sentence is an information question (its
        # reading is the CRM's), or a complaint after 'but' outweighs the praise before it
        # ('The app is great but the billing is a mess'); not for neutralizing phrases ('feel like' scores 0), nor for a
        # negation read beyond VADER's three words (a guess at its scope).
        crm = strong or negation_rule or asks or contrast or any(v for _, v in found)
        total = float(sum(vals))
        single = total
        if total:
            single = total + si.amp if total > 0 else total - si.amp
        multi, multi_ev = single, ev + lex_ev  # in a text of several sentences
        if single > 0 and si.closer:
            multi = single * d.closer_keep
            why = f"courtesy closer '{si.folded[:40]}'"
            multi_ev = [*ev, ("rule", "sentiment", why, round(multi - single, 4)), *lex_ev]
        c = normalize(multi)
        w = sentence_weight(c)
        out = _new(  # SentenceValences, in its field order
            SentenceValences,
            (
                vals,
                changed,
                ev,
                lex_ev,
                tok_ev,
                total,
                crm,
                negative,
                single,
                multi,
                multi_ev,
                w,
                w * c,
                contrast,
            ),
        )
        return _keep_valences(si, cap, out)

    def _no_valences(self, si: Sentence, cap: bool) -> SentenceValences:
        """``_valences`` of a sentence with no lexicon word and no CRM phrase (a third of
        them): every value is 0, so no rule changes one and no evidence is given; only the
        question rule still speaks (an information question's reading is the CRM's)."""
        first: Token = si.infos[0]
        asks = first.lower in QUESTION_START and si.infos[-1].questions > 0  # ends with '?'
        out = _new(  # SentenceValences, in its field order
            SentenceValences,
            (
                [0] * si.n,
                [False] * si.n,
                [],
                [],
                [],
                0.0,
                asks,
                False,
                0.0,
                0.0,
                [],
                _ZERO_WEIGHT,
                0.0,
                False,
            ),
        )
        return _keep_valences(si, cap, out)

    def _token_evidence(self, si: Sentence, vals: list, changed: list) -> tuple:
        reasons = self.d.word_reasons
        lex_ev: list[tuple] = []
        tok_ev: list[tuple] = []
        strong = False
        infos: list = si.infos
        t: Token
        for i, v in enumerate(vals):
            if v and not changed[i]:
                t = infos[i]
                reason = reasons.get(t.lower)
                if reason:
                    lex_ev.append(("lexicon", "sentiment", f"{t.text} ({reason})", round_to(v, 4)))
                    if abs(v) >= 0.8:
                        strong = True
                else:
                    tok_ev.append(("token", "sentiment", t.text, round_to(v, 4)))
        return lex_ev, tok_ev, strong

    def sentiment(
        self, sents: list[Sentence], cap: bool | None = None, special: bool = True
    ) -> Reading:
        """CRM-aware compound of a text's sentences: (compound, rule and lexicon evidence,
        token evidence, sarcasm evidence, escalation evidence, CRM spoke).

        ``cap``: some but not all tokens of the text are ALL CAPS (computed when None);
        ``special``: a sentence holds sarcasm or escalation (False only when known)."""
        d = self.d
        if cap is None:
            n = up = 0
            for si in sents:
                n += si.n
                up += si.upper
            cap = 0 < n - up < n
        vs = [si.by_cap[cap] or self._valences(si, cap) for si in sents]
        if not special or not any(si.special for si in sents):  # all precomputed
            if len(vs) == 1:
                v = vs[0]
                ev = v.rule_evidence + v.lexicon_evidence
                return _new(
                    Reading,
                    (
                        round_to(normalize(v.alone), 4),
                        ev,
                        v.token_evidence,
                        [],
                        [],
                        v.crm_spoke,
                        v.contrast,
                    ),
                )
            sums = [v.in_text for v in vs]
            compound = normalize(sum(sums))
            if len(sums) > SUM_SENTENCES:  # as crm_layer.aggregate, weights precomputed
                den = sum([v.weight for v in vs])
                mean = sum([v.weighted for v in vs]) / den if den else 0.0
                share = mean_share(len(sums))
                compound = (1 - share) * compound + share * mean
            ev = [e for v in vs for e in v.in_text_evidence]
            if len(sums) > SUM_SENTENCES:
                why = f"{len(sums)} sentences: length-aware aggregation"
                ev.append(("rule", "sentiment", why, round(compound, 4)))
            tok_ev = [e for v in vs for e in v.token_evidence]
            crm = any(v.crm_spoke for v in vs)
            contrast = any(v.contrast for v in vs)
            return _new(Reading, (round_to(compound, 4), ev, tok_ev, [], [], crm, contrast))
        negative = any(v.negative for v in vs)
        ev: list[tuple] = []
        tok_ev: list[tuple] = []
        sarcasm: list[tuple] = []
        escalation: list[tuple] = []
        sums: list[float] = []
        crm = False
        multi = len(sents) > 1
        for si, v in zip(sents, vs):  # noqa: B905 - one per sentence
            vals, changed, sev, lev, tev, total, crm_s = v[:7]  # SentenceValences' first
            ev.extend(sev)
            crm = crm or crm_s
            extra = 0.0
            if si.sarcasm or si.escalation:
                fire = [e for needs_negative, e in si.sarcasm if negative or not needs_negative]
                vals2 = None
                if fire:
                    sarcasm.extend(fire)
                    vals2 = list(vals)
                    changed = list(changed)
                    flipped = False
                    for i, x in enumerate(vals2):
                        if x > 0:
                            vals2[i] = -x
                            changed[i] = flipped = True
                            why = f"{si.tokens[i]} (sarcastic: sign flipped)"
                            ev.append(("pattern", "sentiment", why, round(-x, 4)))
                    if not flipped and not any(x < 0 for x in vals2):
                        extra -= 1.5  # irony with no positive word to flip ('yeah right')
                for valence, e in si.escalation:
                    extra += valence
                    escalation.append(e)
                    if vals2 is None:
                        vals2 = list(vals)
                    for i, x in enumerate(vals2):  # courtesy in an escalation is no praise
                        if x > 0 and si.lower[i] in COURTESY:
                            vals2[i] = 0
                if vals2 is not None:
                    crm = True
                    total = float(sum(vals2))
                    lev, tev, _ = self._token_evidence(si, vals2, changed)
            s = total + extra
            if s:
                s = s + si.amp if s > 0 else s - si.amp
                if multi and s > 0 and si.closer:
                    why = f"courtesy closer '{si.folded[:40]}'"
                    ev.append(("rule", "sentiment", why, round(s * d.closer_keep - s, 4)))
                    s *= d.closer_keep
            sums.append(s)
            ev.extend(lev)
            tok_ev.extend(tev)
        if len(sums) == 1:
            compound = normalize(sums[0])
        elif sums:
            compound = aggregate(sums, [normalize(s) for s in sums])
        else:
            compound = 0.0
        if len(sums) > SUM_SENTENCES:
            why = f"{len(sums)} sentences: length-aware aggregation"
            ev.append(("rule", "sentiment", why, round(compound, 4)))
        contrast = any(v.contrast for v in vs)
        reading = (round_to(compound, 4), ev, tok_ev, sarcasm, escalation, crm, contrast)
        return _new(Reading, reading)

    def feature_names(self, text: str) -> list[str]:
        """The model's features of a cleaned text by name (for training): each sentence's
        words, pairs and negated words (a feature counts once per sentence that has it), and
        the CRM compound's bucket."""
        sents = self.sentences(text.strip())
        names = [f for si in sents for f in sentence_features(si.words)]
        compound = self.sentiment(sents).compound if sents else 0.0
        names.append(f"<compound:{compound_bucket(compound)}>")
        return names

    # -- one text, then a batch ---------------------------------------------------------------
    def prepare(self, text: str):
        """First pass over one text: everything but the model. Returns either a compact
        result (empty / not English) and None, or the state for ``finish_batch`` and the
        compound's bucket."""
        truncated = len(text) > MAX_CHARS
        if truncated:
            text = text[:MAX_CHARS]
        if "\x00" in text:
            text = text.replace("\x00", " ")
        stripped_text = text.strip()
        if not stripped_text:
            return EMPTY, None
        cleaned = strip_quoted(text) or stripped_text if "\n" in stripped_text else stripped_text
        sents = self.sentences(cleaned)
        n = up = n_words = foreign = 0
        special = scripted = cued = False
        for si in sents:
            n += si.n
            up += si.upper
            n_words += si.n_words
            foreign += si.foreign
            if si.special:
                special = True
            if si.scripts:
                scripted = True
            if si.cued:
                cued = True
        language = None
        if scripted:
            scripts: dict[str, int] = {}
            for si in sents:
                if si.scripts:
                    for lang, k in si.scripts.items():
                        scripts[lang] = scripts.get(lang, 0) + k
            language = from_scripts(scripts, sum(si.ascii_letters for si in sents))
        if language is None:
            if n_words >= 4:
                language = "en"
                if foreign >= 3:  # else no language can win
                    raws = self._raws
                    words = [
                        w
                        for si in sents
                        for raw in si.text.split()
                        for w in (raws.get(raw) or self._raw(raw)).language_words
                    ]
                    language = from_stop_words(n_words, stop_word_hits(words))
            elif n_words:
                language = "en"
            else:
                language = "en" if any(ch.isalpha() for ch in cleaned) else "unknown"
        if language not in ("en", "unknown"):
            return _empty(language, f"language '{language}': not scored in English"), None
        reading = self.sentiment(sents, 0 < n - up < n, special) if sents else _NO_READING
        stripped = cleaned != stripped_text
        state = _new(Prepared, (sents, language, reading, truncated, stripped, cued))
        return state, compound_bucket(reading.compound)

    def finish_batch(self, states: list, buckets: list[int]) -> list[tuple]:
        """Model, rules and evidence for prepared texts: the arithmetic for the whole batch in
        numpy (softmaxes, the rules' pushes, the choice), the evidence per text."""
        emo, pol = self.logits([state.sentences for state in states], buckets)
        pol = pol + self.pol_offsets
        pe = np.exp(pol - pol.max(axis=1, keepdims=True))
        pp = pe / pe.sum(axis=1, keepdims=True)
        p_top = pp.argmax(axis=1).tolist()
        p_max = pp.max(axis=1).tolist()
        texts: list[_Reading] = []
        said_rows: list[int] = []
        said_cols: list[int] = []
        said_amounts: list[float] = []
        cue_order = self.cue_order
        margin, keep_strong, no_flip = self.pol_margin, self.pol_keep_strong, self.pol_no_flip
        # Per rule (Flags' order), the texts it fires on: most texts fire none, so lists of
        # rows cost less than a (texts x rules) array made from every text's Flags.
        fired_rows: list[list[int]] = [[] for _ in RULES]
        for r, (state, top, p) in enumerate(zip(states, p_top, p_max)):  # noqa: B905
            # Fields by unpacking, in their classes' order (see _fields): compiled, a C load
            # each, where a NamedTuple's field read by name is a type look-up and a descriptor
            # call (perf: about a twentieth of a batch's time, ~25 reads per text).
            sents, _, reading, _, _, cued = _fields(state)  # Prepared
            compound0, _, _, sarcasm, escalation, crm_said, contrast = _fields(reading)  # Reading
            compound, pol_ev = adjust(compound0, top, p, crm_said, margin, keep_strong, no_flip)
            # Cues: each sentence's first matching pattern per cue; the first sentence wins.
            cue_mask = 0
            found: dict[str, tuple] = {}
            pushes = None
            said = 0
            for si in sents if cued else ():
                for cue, cbit, e in si.cues:
                    if not cue_mask & cbit:
                        if cue == "praise" and (sarcasm or compound < 0.05):
                            continue  # praise said in irony, or next to a complaint, is not
                        cue_mask |= cbit
                        found[cue] = e
                for e, amount, why in si.emotions:
                    if not said & (1 << e):
                        said |= 1 << e
                        if pushes is None:
                            pushes = []
                        pushes.append((e, amount, why))
                        said_rows.append(r)
                        said_cols.append(e)
                        said_amounts.append(amount)
            cue_ev = [found[c] for c in cue_order if c in found] if found else []
            if sarcasm:
                cue_mask |= SARCASM
            if escalation:
                cue_mask |= URGENCY
                cue_ev.append(_ESCALATION_CUE)
            flags = _new(  # Flags, in its field order
                Flags,
                (
                    bool(sarcasm),
                    bool(escalation),
                    bool(cue_mask & CHURN_INTENT) and compound < 0.05,  # churn
                    bool(cue_mask & URGENCY) and compound < -0.05,  # urgent
                    contrast and compound <= -0.05,
                    bool(crm_said) and compound <= -0.05,  # the CRM layer read a problem
                ),
            )
            if any(flags):
                for k, on in enumerate(flags):
                    if on:
                        fired_rows[k].append(r)
            texts.append(_new(_Reading, (compound, flags, cue_mask, cue_ev, pol_ev, pushes)))
        # The rules' pushes on the emotion logits (emotion_rules: the same table gives evidence).
        z = emo
        comp = np.array([t.compound for t in texts])
        for side, table in (
            (comp <= -COMPOUND_PUSH_FROM, NEGATIVE_READING),
            (comp >= COMPOUND_PUSH_FROM, POSITIVE_READING),
        ):
            size = np.abs(comp[side])
            for e, amount in table.items():
                z[side, _E[e]] += amount * size
        for rows, rule in zip(fired_rows, RULES.values()):  # noqa: B905 - one list per rule
            if rows:
                for e, amount in rule.pushes.items():
                    z[rows, e] += amount
        if said_rows:
            np.add.at(z, (np.array(said_rows), np.array(said_cols)), np.array(said_amounts))
        ze = np.exp(z - z.max(axis=1, keepdims=True))
        scores = ze / ze.sum(axis=1, keepdims=True)
        chosen = scores.argmax(axis=1).tolist()
        best = scores.max(axis=1).tolist()
        rounded = np.round(scores, 4).tolist()
        out = []
        for state, t, emotion, b, scored in zip(states, texts, chosen, best, rounded):  # noqa: B905
            sents, language, reading, truncated, stripped, _ = _fields(state)  # Prepared
            _, sev, tok_ev, sarcasm, escalation, _, _ = _fields(reading)  # Reading
            compound, flags, cue_mask, cue_ev, pol_ev, pushes = _fields(t)  # _Reading
            ac = abs(compound)
            inten = 0.0 if emotion == _NEUTRAL else round_to(min(1.0, 0.5 * b + 0.5 * ac), 4)
            # Evidence: the rules and patterns first, then the words that weighed most.
            evidence = list(sev)
            if sarcasm:
                evidence.extend(sarcasm)
            if escalation:
                evidence.extend(escalation)
            if tok_ev:
                if len(tok_ev) > 1:
                    tok_ev = sorted(tok_ev, key=_neg_abs_weight)
                evidence.extend(tok_ev[:_MAX_TOKEN_EVIDENCE])
            if stripped:
                evidence.append(_STRIPPED)
            if truncated:
                evidence.append(_TRUNCATED)
            evidence.extend(pol_ev)
            evidence.extend(cue_ev)
            evidence.extend(self._model_evidence(sents, emotion))
            if ac >= COMPOUND_PUSH_FROM or any(flags):
                evidence.extend(pushes_on(emotion, compound, flags))
            if pushes:
                target = EMOTIONS[emotion]
                for e, amount, why in pushes:
                    if e == emotion:
                        evidence.append(("rule", target, why, round(amount, 3)))
            out.append(
                (
                    compound,
                    emotion,
                    inten,
                    tuple(scored),
                    cue_mask,
                    tuple(evidence),
                    language,
                    False,
                )
            )
        return out

    def _model_evidence(self, sents: list[Sentence], emotion: int) -> list[tuple]:
        """The (at most three) words or pairs of the text that weigh most for ``emotion``,
        among those weighing over 0.05 (each sentence's best three are worked out once, as
        shared evidence tuples)."""
        if len(sents) == 1:  # most texts: the sentence's own three
            si = sents[0]
            t = si.top[emotion]
            if t is None:
                t = self._sentence_top(si, emotion)
            return list(t)
        tops = []
        for si in sents:
            t = si.top[emotion]
            if t is None:
                t = self._sentence_top(si, emotion)
            if t:
                tops.append(t)
        if not tops:
            return []
        if len(tops) == 1:
            return list(tops[0])
        out: list[tuple] = []
        seen = set()
        for e in sorted([e for t in tops for e in t], key=_WEIGHT, reverse=True):
            if e[2] not in seen:  # a word in several sentences is one piece of evidence
                seen.add(e[2])
                out.append(e)
                if len(out) == 3:
                    break
        return out

    def _sentence_top(self, si: Sentence, emotion: int) -> tuple:
        """A sentence's three heaviest evidence tuples for ``emotion`` (memoized in ``si.top``):
        each word with its character grams (a gram two words share counts for the first, as
        the model counts it once) and its pairs and negated words, chosen together in C by
        ``WordWeights.top``. Ties go as ``sorted`` orders (weight, text) pairs."""
        found = self._word_weights.top(si.word_ids, si.named, self.named_text, emotion, 0.05)
        memo = self._model_ev[emotion]
        target = EMOTIONS[emotion]
        out = []
        for weight, text in found:
            # One tuple per word and weight, shared by every text that shows it (a worker's
            # pickled results hold it once); keyed by the word alone, as a str hashes once.
            e = memo.get(text)
            if e is None or e[3] != weight:
                e = memo[text] = untracked(("model", target, text, weight))
            out.append(e)
        si.top[emotion] = t = untracked(tuple(out))
        return t

    def score_batch(self, texts: list[str]) -> list[tuple]:
        """Compact results for str texts (distinct ones, ideally).

        Texts go through in slices (few live objects at a time), with the cyclic garbage
        collector paused: scoring creates no reference cycles, and its repeated scans of the
        growing results would cost time. The memos stay out of its scans (memo_gc), so its
        catch-up after the batch is small.
        """
        paused = gc.isenabled()
        if paused:
            gc.disable()
        try:
            out: list[tuple] = []
            with self.lock:
                for i in range(0, len(texts), _SLICE):
                    if self._n_rows > _ROW_LIMIT:
                        self._clear_memos()
                    out.extend(self._score_slice(texts[i : i + _SLICE]))
            return out
        finally:
            if paused:
                gc.enable()

    def _score_slice(self, texts: list[str]) -> list[tuple]:
        out: list = [None] * len(texts)
        pending_pos: list[int] = []
        pending_state: list = []
        pending_buckets: list[int] = []
        prepare = self.prepare
        for pos, text in enumerate(texts):
            state, bucket = prepare(text)
            if bucket is None:
                out[pos] = state
            else:
                pending_pos.append(pos)
                pending_state.append(state)
                pending_buckets.append(bucket)
        if pending_pos:
            for pos, c in zip(  # noqa: B905 - equal lengths by construction
                pending_pos, self.finish_batch(pending_state, pending_buckets)
            ):
                out[pos] = c
        return out

    def logits(self, texts: list[list[Sentence]], buckets: list[int]):
        """Emotion (N, 9) and polarity (N, 3) logits of many texts (their sentences and
        compound buckets): each new sentence's features are summed into its table row once,
        then a text's logits are the sum of its rows."""
        new = {si: None for sents in texts for si in sents if si.row < 0}  # once each, in order
        if new:
            self._add_rows(list(new))
        flat: list[int] = []
        starts: list[int] = []
        for sents, bucket in zip(texts, buckets):  # noqa: B905 - one bucket per text
            starts.append(len(flat))
            flat.extend([si.row for si in sents])
            flat.append(bucket)  # every text has one: no segment is empty
        z = np.add.reduceat(self._table.take(flat, axis=0), starts, axis=0)
        k = len(EMOTIONS)
        return z[:, :k], z[:, k:]

    def _add_rows(self, sentences: list[Sentence]) -> None:
        """Give each sentence its table row: the sum of its features' weights (both heads)."""
        n = len(sentences)
        first = self._n_rows
        need = first + n
        if need > len(self._table):
            grown = np.empty((max(need, 2 * len(self._table)), self._table.shape[1]))
            grown[:first] = self._table[:first]
            self._table = grown
        sum_rows(self.w_all, [si.fids for si in sentences], self._table, first, self.pad)
        self._n_rows = need
        for row, si in enumerate(sentences, first):
            si.row = row


def _neg_abs_weight(e: tuple) -> float:
    return -abs(e[3])


_STRIPPED = ("rule", "sentiment", "quoted reply/signature removed", 0.0)
_PLAIN_WORD = WordRules()  # the WordRules of a word no rule names
_ZERO_WEIGHT = sentence_weight(0.0)  # a sentence scoring 0 in a long text's mean
_NO_READING = Reading(0.0, [], [], [], [], False, False)
_TRUNCATED = ("rule", "sentiment", "scored first 20,000 characters", 0.0)


def _empty(language: str = "unknown", why: str = "empty text") -> tuple:
    return (
        0.0,
        _NEUTRAL,
        0.0,
        tuple(float(e == "neutral") for e in EMOTIONS),
        0,
        (("rule", "sentiment", why, 0.0),),
        language,
        language == "unknown" and why == "empty text",
    )


EMPTY = _empty()


@lru_cache(maxsize=1)
def engine() -> Engine:
    return Engine()


def score_sentiment(text: str) -> tuple[float, list[dict]]:
    """The CRM-aware compound of an already cleaned text and the evidence that moved it (rules,
    lexicon, tokens, sarcasm, escalation), before the polarity model: for reading one rule's
    effect.

    >>> score_sentiment("Great, another outage. Just what we needed.")[0] < 0
    True
    >>> score_sentiment("Thanks for nothing.")[0] < 0
    True
    """
    eng = engine()
    sents = eng.sentences(text.strip())
    if not sents:
        return 0.0, []
    r = eng.sentiment(sents)
    return r.compound, [
        {"kind": k, "target": t, "text": x, "weight": float(w)}
        for k, t, x, w in (*r.evidence, *r.token_evidence, *r.sarcasm, *r.escalation)
    ]


# -- compact result -> the record of the contract ----------------------------------------------
_LABELS = ("negative", "neutral", "positive")
_CUE_DICTS = [{c: bool(m >> i & 1) for i, c in enumerate(CUES)} for m in range(1 << len(CUES))]


def record(c: tuple) -> dict:
    """The warehouse's record for one compact result (fresh dicts: callers may mutate them)."""
    compound, emotion, inten, scores, cue_mask, evidence, language, is_empty = c
    (
        delight,
        satisfaction,
        curiosity,
        neutral,
        confusion,
        anxiety,
        frustration,
        disappointed,
        anger,
    ) = scores
    return {
        "compound": compound,
        "sentiment_label": "positive"
        if compound >= POSITIVE_THRESHOLD
        else "negative"
        if compound <= NEGATIVE_THRESHOLD
        else "neutral",
        "emotion": EMOTIONS[emotion],
        "emotion_intensity": inten,
        # A literal (twice as fast as dict(zip(...))), checked against the taxonomy below.
        "emotion_scores": {
            "delight": delight,
            "satisfaction": satisfaction,
            "curiosity": curiosity,
            "neutral": neutral,
            "confusion": confusion,
            "anxiety": anxiety,
            "frustration": frustration,
            "disappointment": disappointed,
            "anger": anger,
        },
        "cues": _CUE_DICTS[cue_mask].copy(),
        "evidence": [{"kind": k, "target": t, "text": x, "weight": w} for k, t, x, w in evidence],
        "language": language,
        "is_empty": is_empty,
        "scorer_version": SCORER_VERSION,
    }


if tuple(record(EMPTY)["emotion_scores"]) != EMOTIONS:  # pragma: no cover - taxonomy changed
    raise ImportError("engine.record must list the taxonomy's emotions in order")
