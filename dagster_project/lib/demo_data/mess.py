"""The mess real exports carry, added on purpose so loaders must survive it.

Rates are per interaction row: ~1% blank or whitespace-only bodies, ~0.5% exact duplicate rows
and ~0.1% extra malformed rows (bad timestamps, missing ids, unknown enum values) that a loader
must quarantine. Malformed rows are extra rows with their own ids, so nothing else points at them.
"""

from __future__ import annotations

import random

BLANK_RATE = 0.01
DUPLICATE_RATE = 0.005
MALFORMED_RATE = 0.001

_BLANKS = ("", " ", "   ", "\n", "\t", " \n ", "\u00a0")
# Column positions in the interactions contract order.
_ID, _ACCOUNT, _CHANNEL, _OCCURRED, _BODY = 0, 1, 4, 7, 9


def blank_bodies(rng: random.Random, rows: list[list]) -> None:
    """Empty some bodies in place (exports drop text, attachments-only messages, etc.)."""
    for row in rows:
        if rng.random() < BLANK_RATE:
            row[_BODY] = rng.choice(_BLANKS)


def _malformed(rng: random.Random, row: list) -> list:
    bad = list(row)
    bad[_ID] = row[_ID] + "-X"
    kind = rng.randrange(5)
    if kind == 0:
        bad[_OCCURRED] = "not a date"
    elif kind == 1:
        bad[_ID] = ""
    elif kind == 2:
        bad[_OCCURRED] = "2026-02-30 25:61:00"
    elif kind == 3:
        bad[_CHANNEL] = "fax"
    else:
        bad[_ACCOUNT] = ""
    return bad


def with_duplicates_and_malformed(rng: random.Random, rows: list[list]) -> tuple[list[tuple], int]:
    """Rows to write: each row, sometimes again verbatim, sometimes followed by a broken one.

    Returns the rows and how many of them are malformed.
    """
    out: list[tuple] = []
    malformed = 0
    for row in rows:
        out.append(tuple(row))
        r = rng.random()
        if r < DUPLICATE_RATE:
            out.append(tuple(row))
        elif r < DUPLICATE_RATE + MALFORMED_RATE:
            out.append(tuple(_malformed(rng, row)))
            malformed += 1
    return out, malformed
