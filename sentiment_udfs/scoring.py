"""Score texts: CRM-aware sentiment, a primary emotion with intensity, cues, and evidence.

Batch first. ``score_texts`` scores each *distinct* text once (``engine.Engine.score_batch``:
per-text rules, then the emotion model for the whole batch in one numpy pass), as compact
tuples, and builds one record per input text from them (``engine.record``, the warehouse's
contract). With ``processes > 1`` on a platform that can fork, worker processes inherit the
loaded lexicons, model and the batch itself (nothing is pickled on the way in); the parent
scores chunks alongside them, chunks are handed out from a shared counter, and workers send
back only the compact tuples.
"""

from __future__ import annotations

import gc
import math
import multiprocessing as mp
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor

from sentiment_udfs.engine import MAX_CHARS, engine, polarity_adjust, record

__all__ = ["MAX_CHARS", "polarity_adjust", "score_text", "score_texts"]

_CHUNK = 1_000  # texts per unit of work handed to a process
_MIN_PARALLEL = 4_000  # fewer distinct texts than this are scored in this process


def _as_text(text: object) -> str:
    """Any input as a str: None/NaN -> '', bytes decoded leniently, anything else str()."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    if isinstance(text, bytes | bytearray):
        return bytes(text).decode("utf-8", errors="replace")
    if isinstance(text, float) and math.isnan(text):
        return ""
    return str(text)


def _compact(texts: Sequence[str]) -> list[tuple]:
    """Compact results for distinct non-empty str texts."""
    return engine().score_batch(list(texts))


# -- processes ----------------------------------------------------------------------------------
# Set in the parent just before forking; a forked worker reads the batch from here.
_SHARED: list[str] = []
_COUNTER = None


def _next_chunk() -> int:
    with _COUNTER.get_lock():
        k = _COUNTER.value
        _COUNTER.value = k + 1
    return k


def _drain(_: int = 0) -> list[tuple[int, list[tuple]]]:
    """In a worker: score chunks from the shared counter until none is left."""
    texts = _SHARED
    n_chunks = -(-len(texts) // _CHUNK)
    done = []
    while (k := _next_chunk()) < n_chunks:
        done.append((k, _compact(texts[k * _CHUNK : (k + 1) * _CHUNK])))
    return done


def _fork_context():
    try:
        return mp.get_context("fork")
    except ValueError:  # pragma: no cover - platforms without fork
        return None


def _parallel(unique: list[str], processes: int) -> list[tuple]:
    global _SHARED, _COUNTER
    ctx = _fork_context()
    if ctx is None:  # pragma: no cover - spawn: pickle chunks of texts both ways
        size = max(_CHUNK, -(-len(unique) // (processes * 4)))
        chunks = [unique[i : i + size] for i in range(0, len(unique), size)]
        out: list[tuple] = []
        with ProcessPoolExecutor(max_workers=processes) as pool:
            for part in pool.map(_compact, chunks):
                out.extend(part)
        return out
    engine()  # loaded before the fork: workers inherit it
    _SHARED = unique
    _COUNTER = ctx.Value("l", 0)
    results: list[list[tuple] | None] = [None] * -(-len(unique) // _CHUNK)
    try:
        with ctx.Pool(processes - 1) as pool:
            pending = pool.map_async(_drain, range(processes - 1))
            for k, part in _drain():  # the parent works too
                results[k] = part
            for done in pending.get():
                for k, part in done:
                    results[k] = part
    finally:
        _SHARED = []
        _COUNTER = None
    return [c for part in results for c in part]  # type: ignore[union-attr]


def score_texts(texts: Iterable[object], processes: int = 1) -> list[dict]:
    """Score many texts; one record per text, in order.

    Identical texts in a batch are scored once (their records are equal, but separate dicts).

    >>> [r["sentiment_label"] for r in score_texts(["Love it!", "", "Thanks for nothing."])]
    ['positive', 'neutral', 'negative']
    """
    # The cyclic garbage collector is paused while scoring: nothing here makes reference
    # cycles, and its scans of the growing result lists would cost a quarter of the time.
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        index: dict[str, int] = {}
        unique: list[str] = []
        slots: list[int] = []
        for raw in texts:
            text = raw if type(raw) is str else _as_text(raw)
            k = index.get(text)
            if k is None:
                k = index[text] = len(unique)
                unique.append(text)
            slots.append(k)
        if processes > 1 and len(unique) >= _MIN_PARALLEL:
            compact = _parallel(unique, processes)
        else:
            compact = _compact(unique)
        return [record(compact[k]) for k in slots]
    finally:
        if paused:
            gc.enable()


def score_text(text: object) -> dict:
    """Score one text. An empty or missing text is neutral and flagged ``is_empty``.

    >>> r = score_text("I want to cancel, this is unacceptable!")
    >>> r["sentiment_label"], r["cues"]["churn_intent"]
    ('negative', True)
    """
    return score_texts([text])[0]
