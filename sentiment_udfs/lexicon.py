"""Lexicons, loaded lazily and cached: VADER's own files from the installed package, and ours.

VADER's word list, emoji descriptions and rule constants come from the installed ``vaderSentiment``
(the oracle the core must match), so an upgrade of that package cannot silently diverge from it.
Nothing here reads a file at import.
"""

from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class VaderRules:
    """VADER's constants, taken from the installed module so they cannot drift from the oracle."""

    b_incr: float
    c_incr: float
    n_scalar: float
    negate: frozenset[str]
    boosters: dict[str, float]
    special_cases: dict[str, float]


def _vader_dir() -> Path:
    spec = importlib.util.find_spec("vaderSentiment.vaderSentiment")
    if spec is None or spec.origin is None:  # pragma: no cover - it is a locked dependency
        raise RuntimeError("vaderSentiment is not installed")
    return Path(spec.origin).parent


@lru_cache(maxsize=1)
def vader_rules() -> VaderRules:
    from vaderSentiment import vaderSentiment as v

    return VaderRules(
        b_incr=v.B_INCR,
        c_incr=v.C_INCR,
        n_scalar=v.N_SCALAR,
        negate=frozenset(v.NEGATE),
        boosters=dict(v.BOOSTER_DICT),
        special_cases=dict(v.SPECIAL_CASES),
    )


@lru_cache(maxsize=1)
def vader_lexicon() -> dict[str, float]:
    """word -> valence, parsed exactly as ``SentimentIntensityAnalyzer.make_lex_dict`` does."""
    raw = (_vader_dir() / "vader_lexicon.txt").read_text(encoding="utf-8")
    lexicon: dict[str, float] = {}
    for line in raw.rstrip("\n").split("\n"):
        if not line:
            continue
        word, measure = line.strip().split("\t")[0:2]
        lexicon[word] = float(measure)
    return lexicon


@lru_cache(maxsize=1)
def emoji_descriptions() -> dict[str, str]:
    """Single-character emoji -> description (VADER looks emojis up one character at a time)."""
    raw = (_vader_dir() / "emoji_utf8_lexicon.txt").read_text(encoding="utf-8")
    emojis: dict[str, str] = {}
    for line in raw.rstrip("\n").split("\n"):
        emoji, description = line.strip().split("\t")[0:2]
        emojis[emoji] = description
    # Multi-character keys can never match a single character, exactly as in VADER.
    return {k: v for k, v in emojis.items() if len(k) == 1}


def data_files() -> list[Path]:
    """Every data file that shapes a score; their hash is checked against SCORER_VERSION."""
    return sorted(p for p in DATA_DIR.rglob("*") if p.is_file() and not p.name.startswith("."))


def data_fingerprint() -> str:
    """sha256 over the data files' names and bytes (12 hex digits).

    >>> len(data_fingerprint())
    12
    """
    h = hashlib.sha256()
    for p in data_files():
        h.update(p.relative_to(DATA_DIR).as_posix().encode())
        h.update(b"\0")
        h.update(p.read_bytes())
    return h.hexdigest()[:12]
