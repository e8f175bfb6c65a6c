"""Score texts: CRM-aware sentiment, a primary emotion with intensity, cues, and evidence.

Batch first. ``score_texts`` scores each *distinct* text once (``engine.Engine.score_batch``:
per-text rules, then the emotion model for the whole batch in one numpy pass), as compact
tuples, and builds one record per input text from them (``engine.record``, the warehouse's
contract). With ``processes > 1`` on a platform that can fork, a standard
``ProcessPoolExecutor``'s workers inherit the loaded lexicons, model and the batch itself
(nothing is pickled on the way in); the parent scores chunks alongside them, chunks are handed
out from a shared counter, and workers leave each chunk's compact tuples in a temporary file and
send only its number.
"""

from __future__ import annotations

import gc
import math
import multiprocessing as mp
import os
import pickle
import tempfile
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed

from sentiment_udfs.engine import MAX_CHARS, engine, record
from sentiment_udfs.polarity import polarity_adjust

__all__ = ["MAX_CHARS", "polarity_adjust", "score_text", "score_texts"]

_CHUNK = 1_000  # at most this many texts per unit of work handed to a process
_CHUNKS_PER_PROCESS = 8  # at least (where chunks of _MIN_CHUNK allow): no process idles long
_MIN_CHUNK = 100
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
# Set in the parent just before the pool forks; a forked worker reads the batch from here.
_SHARED: list[str] = []
_SIZE = _CHUNK  # texts per chunk of the batch being scored
_COUNTER = None
_RESULTS = ""  # the folder where workers leave each chunk's results
_IN_WORKER = False  # set in a forked worker once it has its own engine lock


def _next_chunk() -> int:
    with _COUNTER.get_lock():
        k = _COUNTER.value
        _COUNTER.value = k + 1
    return k


def _chunk_file(k: int) -> str:
    return os.path.join(_RESULTS, f"{k}.pickle")


def _score_next_chunk() -> int | None:
    """In a forked worker: score the next chunk nobody has taken, leave its results in a file
    and return its number (None when every chunk is taken). Only the number goes back through
    the pool's pipe: the parent reads that pipe only between its own chunks (compiled code
    holds the GIL), and a worker blocked on a full pipe would wait for it."""
    global _IN_WORKER
    eng = engine()
    if not _IN_WORKER:
        eng.lock = threading.Lock()  # forked while the parent held it
        _IN_WORKER = True
    k = _next_chunk()
    if k * _SIZE >= len(_SHARED):
        return None
    part = eng.score_batch(_SHARED[k * _SIZE : (k + 1) * _SIZE])
    with open(_chunk_file(k), "wb") as f:
        pickle.dump(part, f, protocol=pickle.HIGHEST_PROTOCOL)
    return k


def _fork_context():
    try:
        return mp.get_context("fork")
    except ValueError:  # pragma: no cover - platforms without fork
        return None


def chunk_size(n_texts: int, processes: int) -> int:
    """Texts per chunk: at most _CHUNK, and small enough that each process gets several
    (with 5,000 texts in chunks of 1,000 one of two processes would score three, the other
    two, and wait).

    >>> chunk_size(100_000, 2), chunk_size(5_000, 2), chunk_size(500, 2)
    (1000, 313, 100)
    """
    return max(_MIN_CHUNK, min(_CHUNK, -(-n_texts // (_CHUNKS_PER_PROCESS * processes))))


def _parallel(unique: list[str], processes: int, done) -> None:
    """Score ``unique`` on ``processes`` processes (this one included), calling
    ``done(start, compact_results)`` in this process for each chunk (``start``: the position
    of its first text) as it arrives.

    A standard ``ProcessPoolExecutor`` over fork: workers inherit the loaded engine and the
    batch (nothing is pickled on the way in). Chunks are handed out from a shared counter, so
    this process scores chunks too and takes in the workers' between its own."""
    global _SHARED, _SIZE, _COUNTER, _RESULTS
    ctx = _fork_context()
    size = chunk_size(len(unique), processes)
    n_chunks = -(-len(unique) // size)
    if ctx is None:  # pragma: no cover - spawn: pickle chunks of texts both ways
        chunks = [unique[i : i + size] for i in range(0, len(unique), size)]
        with ProcessPoolExecutor(max_workers=processes) as pool:
            for k, part in enumerate(pool.map(_compact, chunks)):
                done(k * size, part)
        return
    eng = engine()  # loaded before the fork: workers inherit it
    finished = False
    with tempfile.TemporaryDirectory(prefix="sentiment_udfs-") as results:
        _SHARED, _SIZE, _COUNTER, _RESULTS = unique, size, ctx.Value("l", 0), results
        pool = ProcessPoolExecutor(max_workers=processes - 1, mp_context=ctx)
        try:
            with eng.lock:  # no other thread is halfway through a batch when workers fork
                pending = {pool.submit(_score_next_chunk)}  # forks every worker
            pending |= {pool.submit(_score_next_chunk) for _ in range(n_chunks - 1)}

            def take_in(future) -> None:
                try:
                    k = future.result()
                except Exception as exc:
                    raise RuntimeError(f"scoring worker failed: {exc!r}") from exc
                if k is not None:
                    with open(_chunk_file(k), "rb") as f:
                        part = pickle.load(f)
                    os.remove(_chunk_file(k))
                    done(k * size, part)

            while (k := _next_chunk()) < n_chunks:
                done(k * size, _compact(unique[k * size : (k + 1) * size]))
                ready = {f for f in pending if f.done()}
                pending -= ready
                for future in ready:
                    take_in(future)
            for future in as_completed(pending):
                take_in(future)
            finished = True
        finally:
            _SHARED, _SIZE, _COUNTER, _RESULTS = [], _CHUNK, None, ""
            # Workers that are done exit on their own (tearing down a large forked heap takes
            # a while; the pool reaps them in the background). After a failure, they are
            # waited for before their folder goes.
            pool.shutdown(wait=not finished, cancel_futures=True)


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
        first: list[int] = []  # per distinct text, where it first occurs
        repeats: dict[int, list[int]] = {}  # distinct text -> where it occurs again
        for pos, raw in enumerate(texts):
            text = raw if type(raw) is str else _as_text(raw)
            k = index.get(text)
            if k is None:
                index[text] = len(unique)
                unique.append(text)
                first.append(pos)
            else:
                repeats.setdefault(k, []).append(pos)
        out: list = [None] * (len(first) + sum(map(len, repeats.values())))

        def done(start: int, part: list[tuple]) -> None:
            """Records for a chunk's results (``start``: the position of its first distinct
            text); a repeated text gets a fresh copy."""
            for k, c in enumerate(part, start):
                out[first[k]] = record(c)
                for pos in repeats.get(k, ()):
                    out[pos] = record(c)

        if processes > 1 and len(unique) >= _MIN_PARALLEL:
            _parallel(unique, processes, done)
        else:
            done(0, _compact(unique))  # one chunk: all of them
        return out
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
