"""The model's character 4-grams ('#frus') by packed integer keys: what ``Engine._model_word``
looks up for each word it meets for the first time (about one gram per letter).

A gram as a string is made and hashed per look-up, then found in the vocabulary, a dict of
some 52,000 features whose entries and key strings are out of cache on unseen text (perf:
about 4% of the engine's time). Here a gram's four characters, each below U+8000, pack into
one 60-bit int, and the grams are an open-addressing table of C ints (compiled): a look-up is
a few shifts and a probe or two in arrays small enough to stay in cache. A gram with another
character is looked up by its string, so the ids are those of ``features.word_grams`` found
in the vocabulary, in its order.
"""

from __future__ import annotations

from array import array

try:
    import cython
except ImportError:  # pragma: no cover - installed without the build tools
    from sentiment_udfs import _no_cython as cython

_EMPTY = cython.declare(cython.longlong, -1)  # a slot without a gram
_CHAR_BITS = cython.declare(cython.int, 15)  # per character: below U+8000 packs
_MIX = cython.declare(cython.ulonglong, 0x2545_F491_4F6C_DD1D)


@cython.cfunc
@cython.locals(k=cython.Py_ssize_t, c=cython.longlong, key=cython.longlong)
def _pack(text: str, start: cython.Py_ssize_t) -> cython.longlong:
    """``text[start:start + 4]`` as one int, or -1 where a character does not pack."""
    key = 0
    for k in range(start, start + 4):
        c = ord(text[k])
        if c >= 1 << _CHAR_BITS:
            return -1
        key = (key << _CHAR_BITS) | c
    return key


@cython.cclass
class GramTable:
    """Feature id of each 4-gram of the vocabulary (``#`` and four characters) by its packed
    characters."""

    keys: cython.longlong[:]  # a gram's packed key, or -1 for an empty slot
    values: cython.int[:]  # ... its feature id
    _keys: object  # the arrays behind the views above
    _values: object
    mask: cython.Py_ssize_t
    shift: cython.int  # 64 less the table's bits: a key's slot is its mix's top bits
    vocab: dict  # for the grams that do not pack

    def __init__(self, vocab: dict) -> None:
        self.vocab = vocab
        grams = {}
        for feature, j in vocab.items():
            if len(feature) == 5 and feature[0] == "#":
                key = _pack(feature, 1)
                if key >= 0:
                    grams[key] = j
        size, self.shift = 1024, 54
        while size < 2 * len(grams):  # at most half full: short probes
            size, self.shift = size * 2, self.shift - 1
        self.mask = size - 1
        self._keys = array("q", [_EMPTY]) * size
        self._values = array("i", [0]) * size
        self.keys = self._keys
        self.values = self._values
        h: cython.Py_ssize_t
        for key, j in grams.items():
            h = self._slot(key)
            while self.keys[h] != _EMPTY:
                h = (h + 1) & self.mask
            self.keys[h] = key
            self.values[h] = j

    @cython.cfunc
    @cython.locals(mixed=cython.ulonglong)
    def _slot(self, key: cython.longlong) -> cython.Py_ssize_t:
        # The top bits of the key times an odd 64-bit constant (most grams differ only in
        # the low bits of each character: the key's own bits would crowd a few slots).
        mixed = key
        mixed = mixed * _MIX
        if not cython.compiled:  # C arithmetic wraps at 64 bits; Python's must be told
            mixed &= 0xFFFF_FFFF_FFFF_FFFF
        return mixed >> self.shift

    @cython.boundscheck(False)
    @cython.wraparound(False)
    @cython.locals(i=cython.Py_ssize_t, h=cython.Py_ssize_t, key=cython.longlong, j=cython.int)
    def add_ids(self, word: str, found: list) -> None:
        """Appends to ``found`` the ids of ``word_grams(word)`` in the vocabulary, in order."""
        if len(word) < 4:
            return
        marked = "<" + word + ">"
        for i in range(len(marked) - 3):
            key = _pack(marked, i)
            if key < 0:
                j = self.vocab.get("#" + marked[i : i + 4], -1)
            else:
                j = -1
                h = self._slot(key)
                while self.keys[h] != _EMPTY:
                    if self.keys[h] == key:
                        j = self.values[h]
                        break
                    h = (h + 1) & self.mask
            if j >= 0:
                found.append(j)
