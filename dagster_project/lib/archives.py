"""Exports that arrive packed: a ZIP archive or one gzip'd file, unpacked into the inbox.

Vendors deliver exports packed: Salesforce's weekly Data Export is a set of ZIP files with one CSV
per object, HubSpot zips an export of several objects, Zendesk and Intercom zip their data
exports. Triage unpacks every archive in the inbox before it looks at anything else:

- each member whose shape an adapter recognizes is written into the inbox, named for the member
  and the archive (``Account.csv`` of ``WE_00D_1.ZIP`` → ``Account.WE_00D_1.csv``), so two weeks'
  ``Account.csv`` never meet; the member's own name still leads, as recognition by name expects;
- a member no adapter recognizes stays in the archive: a Salesforce org backup holds hundreds of
  objects the warehouse does not read, and each would otherwise sit in ``rejected/``;
- the archive moves to ``$WAREHOUSE_DIR/archives/`` with ``<archive>.contents.txt`` beside it:
  every member and what became of it (unpacked as which file, or why not). Nothing is lost.

An archive that cannot be read (corrupt, encrypted, too large for the free disk) is rejected as a
whole, with the reason. A member is written in a hidden staging folder and renamed into the
inbox when complete, so nothing reads half a file; unpacking again after a crash writes the same
bytes under the same names, which the load ledger already knows.
"""

from __future__ import annotations

import gzip
import shutil
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from dagster_project.lib.adapters import recognize
from dagster_project.lib.inbox import SUPPORTED_SUFFIXES, move_aside

ARCHIVE_SUFFIXES = (".zip", ".gz")
# Entries an archiver adds that are not exports (macOS resource forks, Finder and Windows files).
_JUNK = ("__MACOSX/", ".DS_Store", "Thumbs.db", "desktop.ini")


class ArchiveError(Exception):
    """An archive that cannot be unpacked; the message names the file and why."""


@dataclass
class Unpacked:
    archive: str
    files: list[str] = field(default_factory=list)  # written into the inbox
    contents: dict[str, str] = field(default_factory=dict)  # member -> what became of it

    @property
    def left_packed(self) -> int:
        return len(self.contents) - len(self.files)

    def summary(self) -> str:
        packed = f", {self.left_packed} left packed" if self.left_packed else ""
        return f"{self.archive}: unpacked {len(self.files)} file(s){packed} (see archives/)"


def is_archive(path: Path) -> bool:
    return path.suffix.lower() in ARCHIVE_SUFFIXES


def unpacked_name(member: str, archive: str) -> str:
    """The inbox name of an archive's member: the member's stem, the archive's, the member's type.

    >>> unpacked_name("Account.csv", "WE_00D5g_1.ZIP")
    'Account.WE_00D5g_1.csv'
    >>> unpacked_name("exports/interactions-2026-10.csv", "crm.zip")
    'interactions-2026-10.crm.csv'
    >>> unpacked_name("contacts.csv", "contacts.csv.gz")
    'contacts.csv'
    >>> unpacked_name("export\\\\Case.csv", "crm.zip")  # an archive written on Windows
    'Case.crm.csv'
    """
    stem, _, types = PurePosixPath(member.replace("\\", "/")).name.partition(".")
    archive_stem = archive.split(".", 1)[0]
    if stem == archive_stem:
        return f"{stem}.{types}"
    return f"{stem}.{Path(archive).stem.removesuffix(f'.{types}')}.{types}"


def _inbox_name(inbox: Path, wanted: str, staged: Path, taken: set[str]) -> str:
    """``wanted``, or ``<stem>.<n><suffix>`` when another member took it or a different file of
    that name waits in the inbox (the same bytes there: unpacked before, and the name is kept)."""
    name, n = wanted, 2
    while name in taken or ((inbox / name).exists() and not _same_bytes(staged, inbox / name)):
        name = f"{Path(wanted).stem}.{n}{Path(wanted).suffix}"
        n += 1
    return name


@dataclass(frozen=True)
class _Member:
    name: str  # its path inside the archive
    size: int  # uncompressed bytes; -1 when the archive does not say (gzip)
    open: Callable[[], BinaryIO]


@contextmanager
def _opened(path: Path) -> Iterator[list[_Member]]:
    """The files the archive holds, readable while the context is open."""
    if path.suffix.lower() == ".gz":
        yield [_Member(path.name[: -len(".gz")], -1, partial(gzip.open, path, "rb"))]
        return
    with zipfile.ZipFile(path) as archive:
        members = []
        for info in archive.infolist():
            if info.is_dir() or any(j in info.filename for j in _JUNK):
                continue
            if info.flag_bits & 0x1:
                raise ArchiveError(
                    f"{path.name}: {info.filename} is encrypted; export it without a password"
                )
            members.append(_Member(info.filename, info.file_size, partial(archive.open, info)))
        yield members


def _copy(source: BinaryIO, target: Path) -> None:
    with target.open("wb") as out:
        shutil.copyfileobj(source, out, 1 << 20)


def _same_bytes(a: Path, b: Path) -> bool:
    if a.stat().st_size != b.stat().st_size:
        return False
    with a.open("rb") as fa, b.open("rb") as fb:
        while chunk := fa.read(1 << 20):
            if chunk != fb.read(len(chunk)):
                return False
    return True


def _check_space(path: Path, members: list[_Member], inbox: Path) -> None:
    needed = sum(m.size for m in members if m.size > 0)
    free = shutil.disk_usage(inbox).free
    if needed > free:
        raise ArchiveError(
            f"{path.name}: unpacked it needs {needed / 1e9:.1f} GB, the disk has "
            f"{free / 1e9:.1f} GB free"
        )


def unpack(path: Path, inbox: Path, archives: Path, mappings_dir: Path | None) -> Unpacked:
    """Unpack one archive into ``inbox`` (see the module's docstring), then move it to
    ``archives`` with its contents note. Raises ArchiveError when it cannot be read."""
    report = Unpacked(path.name)
    # Staged inside the inbox (same disk, so the final rename is atomic); a folder, which
    # nothing that lists the inbox reads.
    staging = inbox / f".unpacking-{path.name}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        with _opened(path) as members:
            _check_space(path, members, inbox)
            taken: set[str] = set()
            for member in members:
                if Path(member.name).suffix.lower() not in SUPPORTED_SUFFIXES:
                    report.contents[member.name] = "left packed: not a type the loader reads"
                    continue
                staged = staging / unpacked_name(member.name, path.name)
                with member.open() as source:
                    _copy(source, staged)
                try:
                    plan = recognize(staged, mappings_dir)
                except Exception as exc:  # unknown shape or unreadable: it stays packed, with why
                    report.contents[member.name] = f"left packed: {exc}"
                    continue
                name = _inbox_name(inbox, staged.name, staged, taken)
                taken.add(name)
                if not (inbox / name).exists():
                    staged.replace(inbox / name)
                report.files.append(name)
                report.contents[member.name] = f"unpacked as inbox/{name} ({plan.source})"
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ArchiveError(f"{path.name}: cannot be unpacked ({exc})") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    # Kept, never overwritten, with what became of each member.
    contents = "".join(f"{member}: {what}\n" for member, what in sorted(report.contents.items()))
    move_aside(path, archives, ".contents.txt", contents)
    return report


def unpack_inbox(
    inbox: Path, archives: Path, mappings_dir: Path | None
) -> tuple[list[Unpacked], dict[Path, str]]:
    """Unpack every archive waiting in the inbox; returns what each gave, and the archives that
    could not be unpacked, with why (they stay where they are, for the caller to reject)."""
    done, failed = [], {}
    for path in sorted(p for p in inbox.iterdir() if p.is_file() and is_archive(p)):
        if path.name.startswith((".", "~")):
            continue
        try:
            done.append(unpack(path, inbox, archives, mappings_dir))
        except ArchiveError as exc:
            failed[path] = str(exc)
    return done, failed
