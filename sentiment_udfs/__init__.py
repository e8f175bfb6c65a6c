"""CRM sentiment and emotion scoring: a pure library (at import it only checks which compiled
modules are fresh; see ``compiled.py``).

Batch first: ``score_texts(texts)`` returns one record per text; ``score_text`` is the one-text
convenience. ``sentiment_udfs.duckdb.register(conn)`` makes the same functions callable from SQL,
and ``python -m sentiment_udfs score`` is the CSV command line.

The scoring functions load on first use (PEP 562), so ``import sentiment_udfs.taxonomy`` (as the
dashboard does) loads no engine, lexicon or model.
"""

from sentiment_udfs import compiled

compiled.install()  # before the first import of a hot module: see compiled.py

from sentiment_udfs.taxonomy import EMOTIONS  # noqa: E402
from sentiment_udfs.version import SCORER_VERSION  # noqa: E402

__all__ = ["EMOTIONS", "SCORER_VERSION", "score_text", "score_texts"]


def __getattr__(name: str):
    if name in ("score_text", "score_texts"):
        from sentiment_udfs import scoring

        return getattr(scoring, name)
    raise AttributeError(f"module 'sentiment_udfs' has no attribute {name!r}")
