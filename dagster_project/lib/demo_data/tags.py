"""emotion_tags: people's judgement on a sample of customer interactions.

Reviewers mostly agree with the emotion the text was written with; sometimes they pick a nearby
one, as real annotators do, so "model vs human" agreement is high but not perfect.
"""

from __future__ import annotations

import random

from dagster_project.lib.demo_data.entities import AccountRows
from dagster_project.lib.demo_data.world import DAY, World

TAG_RATE = 0.035
AGREEMENT = 0.8
NEIGHBOURS: dict[str, tuple[str, ...]] = {
    "delight": ("satisfaction",),
    "satisfaction": ("delight", "neutral"),
    "curiosity": ("neutral", "confusion"),
    "neutral": ("curiosity", "satisfaction"),
    "confusion": ("curiosity", "frustration"),
    "anxiety": ("frustration", "confusion"),
    "frustration": ("anger", "disappointment"),
    "disappointment": ("frustration", "neutral"),
    "anger": ("frustration",),
}


def emotion_tags(rng: random.Random, rows: AccountRows, world: World) -> list[tuple]:
    """Tags for a sample of this account's non-blank customer interactions (contract order)."""
    out = []
    for row, emotion in zip(rows.interactions, rows.emotions, strict=True):
        if emotion is None or not row[9].strip() or rng.random() >= TAG_RATE:
            continue
        tag = emotion if rng.random() < AGREEMENT else rng.choice(NEIGHBOURS[emotion])
        tagged_by = rng.choice(world.agents).email
        account = row[1] if rng.random() < 0.5 else None
        tagged_at = min(world.end, row[7] + rng.randint(3600, 20 * DAY))
        out.append((row[0], account, tag, tagged_by, tagged_at))
    return out
