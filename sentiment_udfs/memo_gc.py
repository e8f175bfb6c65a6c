"""The memos' containers kept out of the cyclic garbage collector's scans.

The engine memoizes every distinct token and sentence it meets, and a sentence keeps its
tokens, word ids, patterns and valences in lists and tuples. Scoring pauses the collector
(``score_texts``, ``Engine.score_batch``), so after a batch the first allocations pay for
the collections it skipped: scans of every tracked object the batch left alive, about 27 per
unseen text, mostly these containers (1.2 s after 51,332 unseen texts, a quarter of the
engine's time). None of them can be part of a reference cycle: they hold strings, numbers,
tuples of those, and the memo's own objects, which hold nothing that leads back. So each is
taken out of the collector's lists when it is made (``untracked``), as CPython itself does
for a tuple or dict of atoms (at a collection, or on creation). Reference counting still
frees them. Compiled only (``compiled.HOT``): as plain Python ``untracked`` changes nothing.
"""

from __future__ import annotations

try:
    import cython
except ImportError:  # pragma: no cover - installed without the build tools
    from sentiment_udfs import _no_cython as cython


def untracked(container: object) -> object:
    """``container``, no longer scanned by the cyclic garbage collector (compiled).

    Only for a container that can never be part of a reference cycle, now or after later
    additions: one holding atoms, tuples of atoms, and the engine's untracked memo objects
    (``engine.Token``, ``Written``, ``Sentence``, whose classes are never tracked)."""
    if cython.compiled:
        PyObject_GC_UnTrack(container)  # noqa: F821 - declared in memo_gc.pxd
    return container
