"""Runs the generator: one account at a time, every entity streamed to its own file."""

from __future__ import annotations

import random
import sys
import time
from datetime import date
from pathlib import Path

from dagster_project.lib.contract import ENTITIES
from dagster_project.lib.demo_data.arcs import LEAD_SHARE
from dagster_project.lib.demo_data.entities import AccountBuilder, AccountRows, LeadBuilder
from dagster_project.lib.demo_data.mess import blank_bodies, with_duplicates_and_malformed
from dagster_project.lib.demo_data.tags import emotion_tags
from dagster_project.lib.demo_data.world import World, make_world
from dagster_project.lib.demo_data.writers import FORMATS, EntityWriter

# Fixed so the output never depends on today's date.
DEFAULT_END_DATE = date(2026, 10, 31)
# Measured interactions per account at the default 18 months; only sizes progress and agents.
_PER_ACCOUNT_ESTIMATE = 165


def generate_demo_data(
    out_dir: Path,
    *,
    accounts: int = 300,
    months: int = 18,
    seed: int = 7,
    interactions: int | None = None,
    end_date: date = DEFAULT_END_DATE,
    progress: bool = False,
) -> dict[str, int]:
    """Write one export file per contract entity into `out_dir`; return rows written per entity.

    `interactions=None` keeps the natural count the arcs produce; an int adds accounts (same
    distribution) until at least that many interaction rows are written.
    """
    if accounts < 1 or months < 1:
        raise ValueError("accounts and months must be at least 1")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    per_account = _PER_ACCOUNT_ESTIMATE * months / 18
    planned = max(accounts, int((interactions or 0) / per_account) + 1)
    world = make_world(seed, months, end_date, planned)
    writers: dict[str, EntityWriter] = {
        name: cls(ENTITIES[name], out_dir / f"{name}.{ext}") for name, (ext, cls) in FORMATS.items()
    }
    started = time.monotonic()
    step = max(1, planned // 20)
    index = 0
    try:
        while index < accounts or (
            interactions is not None and writers["interactions"].rows < interactions
        ):
            rows = AccountBuilder(world, index).build()
            _write_account(writers, rows, world, f"{seed}:mess:{index}")
            # A lead now and then, from its own stream: the customers' stories stay as they were.
            if random.Random(f"{seed}:lead?:{index}").random() < LEAD_SHARE:
                lead = LeadBuilder(world, index).build()
                _write_account(writers, lead, world, f"{seed}:lead-mess:{index}")
            index += 1
            if progress and (index % step == 0):
                _report(index, planned, writers["interactions"].rows, interactions, started)
    finally:
        for writer in writers.values():
            writer.close()
    if progress:
        _report(index, index, writers["interactions"].rows, interactions, started)
    return {name: writer.rows for name, writer in writers.items()}


def _write_account(
    writers: dict[str, EntityWriter], rows: AccountRows, world: World, mess_seed: str
) -> None:
    """One account's rows, in time order and as messy as real exports, into every entity's file."""
    mess_rng = random.Random(mess_seed)
    order = sorted(range(len(rows.interactions)), key=lambda i: rows.interactions[i][7])
    rows.interactions = [rows.interactions[i] for i in order]
    rows.emotions = [rows.emotions[i] for i in order]
    blank_bodies(mess_rng, rows.interactions)
    tags = emotion_tags(mess_rng, rows, world)
    interaction_rows, _ = with_duplicates_and_malformed(mess_rng, rows.interactions)
    writers["accounts"].write(rows.accounts)
    writers["contacts"].write(rows.contacts)
    writers["interactions"].write(interaction_rows)
    writers["tickets"].write(rows.tickets)
    writers["surveys"].write(rows.surveys)
    writers["engagement_events"].write(rows.engagement_events)
    writers["deals"].write(rows.deals)
    writers["account_events"].write(rows.account_events)
    writers["emotion_tags"].write(tags)


def _report(
    done: int, planned: int, n_interactions: int, target: int | None, started: float
) -> None:
    share = done / max(planned, 1)
    if target:
        share = max(share, n_interactions / target) if done < planned else share
    print(
        f"demo-data: {min(share, 1.0):4.0%}  {done:,} accounts, {n_interactions:,} interactions,"
        f" {time.monotonic() - started:.1f}s",
        file=sys.stderr,
        flush=True,
    )
