"""The inbox folder: which files wait there, what a canonical file's name says, moving bad ones aside."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

from dagster_project.lib.contract import ENTITIES

SUPPORTED_SUFFIXES = (".csv", ".tsv", ".txt", ".json", ".ndjson", ".jsonl", ".parquet", ".xlsx")
# A user's mapping for an export sits beside it in the inbox; it is not data itself.
MAPPING_SUFFIXES = (".yaml", ".yml")


def entity_from_name(name: str) -> str | None:
    """The entity a file holds, from a name like ``interactions.csv`` or ``surveys-2026-10.ndjson``.

    >>> entity_from_name("interactions-2026-10.csv"), entity_from_name("account_events.csv")
    ('interactions', 'account_events')
    >>> entity_from_name("accounts_backup.csv") is None
    True
    """
    stem = name.split(".", 1)[0].lower()
    for entity in ENTITIES:
        if re.fullmatch(rf"{entity}(-.*)?", stem):
            return entity
    return None


def list_inbox(inbox: Path) -> list[Path]:
    """Files waiting in the inbox, in name order (hidden, partial and mapping files are skipped)."""
    if not inbox.is_dir():
        return []
    return [
        p
        for p in sorted(inbox.iterdir())
        if p.is_file()
        and not p.name.startswith((".", "~"))
        and not p.name.endswith(".part")
        and p.suffix.lower() not in MAPPING_SUFFIXES
    ]


def file_hash(path: Path) -> str:
    """sha256 of the file's bytes: the identity the load ledger keys on."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def move_aside(path: Path, folder: Path, note_suffix: str, note: str) -> Path:
    """Move a file into ``folder`` with ``<name><note_suffix>`` beside it; never overwrite."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    n = 1
    while target.exists():
        target = folder / f"{path.stem}.{n}{path.suffix}"
        n += 1
    shutil.move(str(path), target)
    target.with_name(target.name + note_suffix).write_text(note, encoding="utf-8")
    return target


def move_to_rejected(path: Path, rejected_dir: Path, reason: str) -> Path:
    """Move a file aside with a ``.error.txt`` beside it saying why; never overwrite."""
    return move_aside(path, rejected_dir, ".error.txt", reason + "\n")
