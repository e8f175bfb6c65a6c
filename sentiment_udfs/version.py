"""The scorer's version: stored with every score, so a change re-scores everything.

Bump ``RULES_VERSION`` when code changes scores; ``DATA_SHA`` is the hash of ``data/`` and a test
fails when the data files change without it (and so the version) being updated.
"""

RULES_VERSION = "3.13.1"
DATA_SHA = "f5ac9770e720"
SCORER_VERSION = f"{RULES_VERSION}+{DATA_SHA}"
