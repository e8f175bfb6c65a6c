"""CRM sentiment and emotion scoring: a pure library (at import it only checks which compiled
modules are fresh; see ``compiled.py``).

Batch first: ``score_texts(texts)`` returns one record per text; ``score_text`` is the one-text
convenience. ``sentiment_udfs.duckdb.register(conn)`` makes the same functions callable from SQL,
and ``python -m sentiment_udfs score`` is the CSV command line.
"""

from sentiment_udfs import compiled

compiled.install()  # before the first import of a hot module: see compiled.py

from sentiment_udfs.scoring import score_text, score_texts  # noqa: E402
from sentiment_udfs.taxonomy import EMOTIONS  # noqa: E402
from sentiment_udfs.version import SCORER_VERSION  # noqa: E402

__all__ = ["EMOTIONS", "SCORER_VERSION", "score_text", "score_texts"]
