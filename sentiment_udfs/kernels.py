"""Typed inner loops of the engine, in Cython's pure-Python mode.

One source, two ways to run: as Python (``SENTIMENT_UDFS_PURE=1``, or where no compiler is)
the ``cython`` declarations are no-ops and this is ordinary code; compiled (``compiled.py``)
the same loops run in C over int and double arrays instead of sets and dicts. Both add the
same floats in the same order, so they give the same numbers to the last bit
(``tests/sentiment_udfs/test_compiled.py`` compares them).
"""

from __future__ import annotations

from array import array
from itertools import chain

import numpy as np

try:
    import cython
except ImportError:  # pragma: no cover - installed without the build tools
    from sentiment_udfs import _no_cython as cython

_STAMP_LIMIT = 2_000_000_000  # stamps restart from zero before a C int would overflow
TOP = 3  # evidence shows a sentence's three heaviest words per emotion


@cython.cclass
class WordWeights:
    """The model's emotion weight of each word of a sentence, as the evidence reads it: the
    word's own feature plus its character grams, where a feature an earlier word of the
    sentence holds counts for that word only (the model counts each feature once).

    Each known word (an id from ``add``) is a slice of one flat array of feature ids; each
    feature has its row of emotion weights and a stamp: a feature holding the current stamp is
    one an earlier word of the sentence has (the typed form of a per-sentence 'seen' set).
    """

    n_emotions: cython.int
    n_words: cython.int
    n_flat: cython.int
    current: cython.int
    flat: cython.int[:]
    starts: cython.int[:]
    ends: cython.int[:]
    stamp: cython.int[:]
    weights: cython.double[:]
    _flat: object  # the arrays behind the views above (replaced, never resized, to grow)
    _starts: object
    _ends: object
    _stamp: object
    # Per word, its weight for each emotion when no feature of it is held yet (most words of a
    # sentence): summed once in ``add``, in the order ``_word_weight`` sums, so one load from
    # this word-major row replaces a load from each feature's row, scattered in memory.
    word_sums: cython.double[:]
    _word_sums: object
    found: cython.int[:]  # scratch for ``features``
    _found: object
    # ``top``'s three slots, heaviest first: C arrays of weights and of what each shows (a
    # word's id, or -1 - j for named feature j), so keeping the best three of a sentence makes
    # no tuple per candidate and reads a candidate's text only to break a tie (only the three
    # kept become tuples).
    top_weight: cython.double[:]
    top_ref: cython.int[:]
    texts: list  # each word's text, by id (what ``top`` shows)

    def __init__(self, emotion_weights: list, n_emotions: int) -> None:
        """``emotion_weights``: feature j's weight for emotion e at ``j * n_emotions + e``."""
        self.n_emotions = n_emotions
        self.weights = array("d", emotion_weights)
        self._stamp = array("i", bytes(4 * (len(emotion_weights) // n_emotions)))
        self.stamp = self._stamp
        self._flat = array("i", bytes(4 * 4096))
        self.flat = self._flat
        self._starts = array("i", bytes(4 * 1024))
        self.starts = self._starts
        self._ends = array("i", bytes(4 * 1024))
        self.ends = self._ends
        self._word_sums = array("d", bytes(8 * 1024 * n_emotions))
        self.word_sums = self._word_sums
        self._found = array("i", bytes(4 * 1024))
        self.found = self._found
        self.top_weight = array("d", bytes(8 * TOP))
        self.top_ref = array("i", bytes(4 * TOP))
        self.texts = []
        self.n_words = 0
        self.n_flat = 0
        self.current = 0

    @cython.locals(n=cython.int, k=cython.int, wid=cython.int, e=cython.int, acc=cython.double)
    def add(self, feature_ids: tuple, text: str = "") -> int:
        """A new word (``text``) with these feature ids; returns its id."""
        n = len(feature_ids)
        if self.n_flat + n > len(self._flat):
            self._flat = _grown(self._flat, self.n_flat + n)
            self.flat = self._flat
        if self.n_words == len(self._starts):
            self._starts = _grown(self._starts, self.n_words + 1)
            self.starts = self._starts
            self._ends = _grown(self._ends, self.n_words + 1)
            self.ends = self._ends
        if (self.n_words + 1) * self.n_emotions > len(self._word_sums):
            self._word_sums = _grown(self._word_sums, (self.n_words + 1) * self.n_emotions)
            self.word_sums = self._word_sums
        for k in range(n):
            self.flat[self.n_flat + k] = feature_ids[k]
        wid = self.n_words
        self.starts[wid] = self.n_flat
        self.ends[wid] = self.n_flat + n
        for e in range(self.n_emotions):
            acc = 0.0
            for k in range(n):
                acc += self.weights[self.flat[self.n_flat + k] * self.n_emotions + e]
            self.word_sums[wid * self.n_emotions + e] = acc
        self.n_flat += n
        self.n_words += 1
        self.texts.append(text)
        return wid

    @cython.cfunc
    @cython.inline
    @cython.boundscheck(False)
    @cython.wraparound(False)
    @cython.locals(
        k=cython.int, j=cython.int, stride=cython.int, acc=cython.double, held=cython.bint
    )
    def _word_weight(self, w: cython.int, emotion: cython.int, cur: cython.int) -> cython.double:
        """Word ``w``'s weight for ``emotion`` from the features no earlier word of the sentence
        holds (stamp ``cur``), which it then marks as held."""
        stride = self.n_emotions
        held = False
        for k in range(self.starts[w], self.ends[w]):
            if self.stamp[self.flat[k]] == cur:
                held = True
                break
        if held:
            acc = 0.0
            for k in range(self.starts[w], self.ends[w]):
                j = self.flat[k]
                if self.stamp[j] != cur:
                    acc += self.weights[j * stride + emotion]
        else:
            acc = self.word_sums[w * stride + emotion]  # the same sum, made in ``add``
        # Marked after the sum: a gram twice inside one word counts twice, as before.
        for k in range(self.starts[w], self.ends[w]):
            self.stamp[self.flat[k]] = cur
        return acc

    @cython.locals(i=cython.Py_ssize_t, cur=cython.int, acc=cython.double)
    def heavy(self, word_ids: list, emotion: cython.int, floor: cython.double) -> list:
        """(position, weight) of the words of one sentence (``word_ids`` in order) whose
        weight for ``emotion`` is over ``floor``."""
        cur = self._next_stamp()
        out = []
        for i in range(len(word_ids)):
            acc = self._word_weight(word_ids[i], emotion, cur)
            if acc > floor:
                out.append((i, acc))
        return out

    @cython.boundscheck(False)
    @cython.wraparound(False)
    @cython.locals(
        i=cython.Py_ssize_t,
        j=cython.int,
        wid=cython.int,
        cur=cython.int,
        n=cython.int,
        acc=cython.double,
    )
    def top(
        self,
        word_ids: list,
        named: tuple,
        named_text: dict,
        emotion: cython.int,
        floor: cython.double,
    ) -> list:
        """The (at most ``TOP``) heaviest pieces of evidence of one sentence for ``emotion`` as
        (weight rounded to 3 places, text), heaviest first and, at equal weight, the larger
        text first: its words (``heavy``, each shown as its text from ``add``), then the features
        it names as themselves (``named``: pairs and negated words, each feature's own weight,
        shown as ``named_text[feature id]``). That is
        ``sorted(words' pairs + named pairs over floor, reverse=True)[:TOP]``, without a tuple
        per candidate or a sort."""
        if not cython.compiled:  # as Python, the sort is quicker than the slots
            texts = self.texts
            found = [
                (round(w, 3), texts[word_ids[i]]) for i, w in self.heavy(word_ids, emotion, floor)
            ]
            stride = self.n_emotions
            for j in named:
                w = self.weights[j * stride + emotion]
                if w > floor:
                    found.append((round(w, 3), named_text[j]))
            return sorted(found, reverse=True)[:TOP]
        cur = self._next_stamp()
        n = 0
        for i in range(len(word_ids)):
            wid = word_ids[i]
            acc = self._word_weight(wid, emotion, cur)
            if acc > floor:
                n = self._keep(n, _round3(acc), wid, named_text)
        for i in range(len(named)):
            j = named[i]
            acc = self.weights[j * self.n_emotions + emotion]
            if acc > floor:
                n = self._keep(n, _round3(acc), -1 - j, named_text)
        return [(self.top_weight[i], self._text(self.top_ref[i], named_text)) for i in range(n)]

    @cython.cfunc
    @cython.boundscheck(False)
    @cython.wraparound(False)
    @cython.locals(k=cython.int, j=cython.int, kept=cython.double)
    def _keep(
        self, n: cython.int, weight: cython.double, ref: cython.int, named_text: dict
    ) -> cython.int:
        """Insertion of a candidate (``weight``, what ``ref`` shows) into ``top``'s ``n`` kept
        slots, where a reverse sort of (weight, text) pairs puts it (if among the first
        ``TOP``); returns the slots now held."""
        k = n
        while k > 0:
            kept = self.top_weight[k - 1]
            if weight < kept or (
                weight == kept
                and self._text(ref, named_text) <= self._text(self.top_ref[k - 1], named_text)
            ):
                break
            k -= 1
        if k >= TOP:
            return n
        if n < TOP:
            n += 1
        for j in range(n - 1, k, -1):
            self.top_weight[j] = self.top_weight[j - 1]
            self.top_ref[j] = self.top_ref[j - 1]
        self.top_weight[k] = weight
        self.top_ref[k] = ref
        return n

    @cython.cfunc
    def _text(self, ref: cython.int, named_text: dict) -> str:
        """What a kept piece shows: word ``ref``'s text, or named feature ``-1 - ref``'s."""
        return self.texts[ref] if ref >= 0 else named_text[-1 - ref]

    @cython.boundscheck(False)
    @cython.wraparound(False)
    @cython.locals(i=cython.Py_ssize_t, k=cython.int, j=cython.int, w=cython.int, cur=cython.int)
    @cython.locals(n=cython.int)
    def features(self, word_ids: list, pairs: list, negated: list) -> tuple:
        """A sentence's model features, each once (the model counts a feature once per
        sentence): its words' own features and character grams in the order the words bring
        them, then its pairs, then its negated words. The typed form of a set's union, in an
        order that does not depend on a set's layout. With them, the features evidence names
        as themselves: the pairs and negated words, each once, in that order (a pair 'a b' or a
        negated '~a' is never a word's own feature or gram, so one 'seen' set serves both)."""
        cur = self._next_stamp()
        need = len(pairs) + len(negated)
        for i in range(len(word_ids)):
            w = word_ids[i]
            need += self.ends[w] - self.starts[w]
        if need > len(self._found):
            self._found = _grown(self._found, need)
            self.found = self._found
        n = 0
        for i in range(len(word_ids)):
            w = word_ids[i]
            for k in range(self.starts[w], self.ends[w]):
                j = self.flat[k]
                if self.stamp[j] != cur:
                    self.stamp[j] = cur
                    self.found[n] = j
                    n += 1
        named = n
        for ids in (pairs, negated):
            for i in range(len(ids)):
                j = ids[i]
                if self.stamp[j] != cur:
                    self.stamp[j] = cur
                    self.found[n] = j
                    n += 1
        return self._found[:n], tuple(self._found[named:n]) if n > named else ()

    @cython.cfunc
    @cython.locals(k=cython.Py_ssize_t)
    def _next_stamp(self) -> cython.int:
        """A stamp no feature holds yet (a fresh 'seen' set)."""
        if self.current >= _STAMP_LIMIT:
            for k in range(len(self._stamp)):
                self.stamp[k] = 0
            self.current = 0
        self.current += 1
        return self.current


def _grown(old: array, need: int) -> array:
    """A copy of ``old`` with room for at least ``need`` items."""
    size = len(old)
    while size < need:
        size *= 2
    new = array(old.typecode, bytes(old.itemsize * size))
    new[: len(old)] = old
    return new


def sum_rows(weights, fids: list, out, first: int, pad: int) -> None:
    """Row ``first + s`` of ``out`` := the sum of the rows of ``weights`` listed in ``fids[s]``
    (an array of row numbers; ``pad``: an all-zero row), exactly as numpy's ``add.reduceat``
    adds them, which is how the logit table has always been summed.

    As Python, that ``add.reduceat``; compiled, a C loop that adds in numpy's order (its
    pairwise summation, ``_pairwise``), so both give the same bits."""
    if cython.compiled:
        _sum_rows(weights, fids, out, first)
    else:
        _reduceat(weights, fids, out, first, pad)


def _reduceat(weights, fids: list, out, first: int, pad: int) -> None:
    n = len(fids)
    lengths = np.fromiter(map(len, fids), dtype=np.int64, count=n) + 1
    starts = np.cumsum(lengths) - lengths
    flat = np.full(int(lengths.sum()), pad, dtype=np.int64)
    # Each segment starts with the all-zero pad row, so none is empty for reduceat.
    body = np.ones(len(flat), dtype=bool)
    body[starts] = False
    flat[body] = np.fromiter(chain.from_iterable(fids), dtype=np.int64, count=len(flat) - n)
    out[first : first + n] = np.add.reduceat(weights[flat], starts, axis=0)


@cython.boundscheck(False)
@cython.wraparound(False)
@cython.locals(s=cython.Py_ssize_t, c=cython.Py_ssize_t)
def _sum_rows(
    weights: cython.double[:, ::1],
    fids: list,
    out: cython.double[:, ::1],
    first: cython.Py_ssize_t,
):
    ids: cython.int[::1]
    for s in range(len(fids)):
        ids = fids[s]  # an array of C ints (``WordWeights.features``)
        for c in range(weights.shape[1]):
            # reduceat: the pad row (0.0) plus the pairwise sum of the rest
            out[first + s, c] = 0.0 + _pairwise(weights, ids, 0, ids.shape[0], c)


@cython.cfunc
@cython.boundscheck(False)
@cython.wraparound(False)
@cython.locals(i=cython.Py_ssize_t, j=cython.Py_ssize_t, half=cython.Py_ssize_t, res=cython.double)
def _pairwise(
    w: cython.double[:, ::1],
    ids: cython.int[::1],
    lo: cython.Py_ssize_t,
    n: cython.Py_ssize_t,
    c: cython.Py_ssize_t,
) -> cython.double:
    """Column ``c`` of rows ``ids[lo:lo + n]`` summed as numpy's pairwise_sum does: one by one
    below 8, eight running sums up to 128, halves (at a multiple of 8) beyond."""
    r = cython.declare(cython.double[8])
    if n < 8:
        res = 0.0
        for i in range(n):
            res += w[ids[lo + i], c]
        return res
    if n <= 128:
        for j in range(8):
            r[j] = w[ids[lo + j], c]
        i = 8
        while i < n - n % 8:
            for j in range(8):
                r[j] += w[ids[lo + i + j], c]
            i += 8
        res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        while i < n:
            res += w[ids[lo + i], c]
            i += 1
        return res
    half = n // 2
    half -= half % 8
    return _pairwise(w, ids, lo, half, c) + _pairwise(w, ids, lo + half, n - half, c)


def round_to(x: cython.double, digits: cython.int) -> float:
    """``round(x, digits)``, to the bit, for 0 <= digits <= 4 (the evidence's weights).

    ``round`` goes through a decimal string and costs about 3,000 instructions; compiled, this
    is a few (``_round_c``). Where a long double is no wider than a double, or the value is
    large or not finite, ``round`` itself answers."""
    if not cython.compiled or cython.sizeof(cython.longdouble) <= 8:
        # float(): compiled, x arrives as a C double, so an int valence (-2) reads -2.0 there
        # too, and a record is the same JSON either way.
        return round(float(x), digits)
    if x == 0.0 or not -1e9 < x < 1e9 or not 0 <= digits <= 4:
        return round(x, digits)  # zeros keep their sign; large, inf and nan as round does
    return _round_c(x, digits)


@cython.cfunc
def _round3(x: cython.double) -> cython.double:
    """``round_to(x, 3)`` for a weight over the evidence floor, called from C without boxing."""
    if not cython.compiled or cython.sizeof(cython.longdouble) <= 8 or not x < 1e9:
        return round(x, 3)
    return _round_c(x, 3)


@cython.cfunc
@cython.locals(
    scale=cython.longdouble,
    y=cython.longdouble,
    frac=cython.longdouble,
    whole=cython.longlong,
    r=cython.double,
)
def _round_c(x: cython.double, digits: cython.int) -> cython.double:
    """Compiled only, for a non-zero finite x below 1e9 and 0 <= digits <= 4: with 64 mantissa
    bits, ``x * 10**digits`` is exact in a long double (53 + 14 bits), so rounding it half to
    even and dividing by ``10**digits`` (correctly rounded) gives the double nearest the rounded
    decimal, as ``round`` does."""
    scale = 10**digits
    y = x * scale if x > 0.0 else -x * scale
    whole = cython.cast(cython.longlong, y)
    frac = y - whole
    if frac > 0.5 or (frac == 0.5 and whole & 1):
        whole += 1
    r = cython.cast(cython.double, whole) / cython.cast(cython.double, scale)
    return r if x > 0.0 else -r
