"""CRM sentiment and emotion scoring: a pure library, no I/O at import.

Batch first: ``score_texts(texts)`` returns one record per text; ``score_text`` is the one-text
convenience. ``sentiment_udfs.duckdb.register(conn)`` makes the same functions callable from SQL,
and ``python -m sentiment_udfs score`` is the CSV command line.
"""

from sentiment_udfs.scoring import score_text, score_texts
from sentiment_udfs.taxonomy import EMOTIONS
from sentiment_udfs.version import SCORER_VERSION

__all__ = ["EMOTIONS", "SCORER_VERSION", "score_text", "score_texts"]
