"""CRM sentiment and emotion scoring: a pure library, no I/O at import.

Batch first: ``score_texts(texts)`` returns one record per text; ``score_text`` is the one-text
convenience. ``sentiment_udfs.duckdb.register(conn)`` makes the same functions callable from SQL.
"""

from sentiment_udfs.scoring import SCORER_VERSION, score_text, score_texts
from sentiment_udfs.taxonomy import EMOTIONS

__all__ = ["EMOTIONS", "SCORER_VERSION", "score_text", "score_texts"]
