"""Exports that arrive packed (archives.py): a ZIP or a gzip'd file loads as its files do, what
no adapter reads stays packed with the reason, a rerun adds nothing, a broken archive is
rejected whole with the reason."""

import gzip
import shutil
import zipfile
from pathlib import Path

import duckdb
import pytest

from dagster_project.lib.archives import unpack_inbox
from dagster_project.lib.contract import ENTITIES
from dagster_project.lib.ingest import ingest_entity, triage_inbox
from dagster_project.lib.settings import WarehousePaths
from dagster_project.lib.warehouse_schema import ensure_schema

FIXTURES = Path(__file__).parent / "fixtures"
ORDER = ("accounts", "contacts", "tickets", "interactions", "surveys", "deals")
# Salesforce's weekly Data Export: ZIP files named for the org, a CSV per object, flat.
WEEKLY = "WE_00D5g000004XyZ_1.ZIP"
# An object the warehouse does not read, as an org backup holds hundreds of.
USER_ROLE = '"Id","Name","ParentRoleId"\n"00E5e000000ROLE","CEO",""\n'


@pytest.fixture
def warehouse(tmp_path):
    def make(name: str) -> tuple[duckdb.DuckDBPyConnection, WarehousePaths]:
        paths = WarehousePaths(tmp_path / name)
        paths.inbox.mkdir(parents=True)
        conn = duckdb.connect()
        ensure_schema(conn)
        opened.append(conn)
        return conn, paths

    opened: list[duckdb.DuckDBPyConnection] = []
    yield make
    for conn in opened:
        conn.close()


def run(conn, paths: WarehousePaths) -> tuple[dict, list[str]]:
    """One ingest run as the Dagster job does it: triage, then each entity in order."""
    log: list[str] = []
    rejected = triage_inbox(conn, paths, log.append, note=log.append)
    for entity in ORDER:
        rejected.update(ingest_entity(conn, paths, entity, log.append).rejected)
    return rejected, log


def stored(conn) -> dict[str, list[tuple]]:
    """Every raw table's rows, without the columns that name the file or the load."""
    out = {}
    for entity in ENTITIES:
        columns = [
            c
            for (c,) in conn.execute(
                "select column_name from information_schema.columns "
                "where table_schema = 'raw' and table_name = ? order by ordinal_position",
                [entity],
            ).fetchall()
            if not c.startswith("_")
        ]
        select = ", ".join(f'"{c}"' for c in columns)
        out[entity] = conn.execute(f"select {select} from raw.{entity} order by all").fetchall()
    return out


def write_weekly_export(folder: Path) -> Path:
    archive = folder / WEEKLY
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("attachments/"), b"")  # a folder entry
        for csv in sorted((FIXTURES / "salesforce").glob("*.csv")):
            z.write(csv, csv.name)
        z.writestr("UserRole.csv", USER_ROLE)
        z.writestr("__MACOSX/._Account.csv", b"\x00\x05\x16\x07")
        z.writestr("README.pdf", b"%PDF-1.4")
    return archive


def test_a_salesforce_weekly_export_loads_as_its_csv_files_do(warehouse):
    plain_conn, plain = warehouse("plain")
    shutil.copytree(FIXTURES / "salesforce", plain.inbox, dirs_exist_ok=True)
    assert run(plain_conn, plain)[0] == {}

    conn, paths = warehouse("zipped")
    write_weekly_export(paths.inbox)
    rejected, log = run(conn, paths)

    assert rejected == {}
    loaded = stored(conn)
    assert sum(map(len, loaded.values())) > 0
    assert loaded == stored(plain_conn)
    # Each object's CSV waits in the inbox under its own name and the archive's.
    objects = sorted(p.name for p in (FIXTURES / "salesforce").glob("*.csv"))
    stem = WEEKLY.split(".")[0]
    assert sorted(p.name for p in paths.inbox.iterdir()) == sorted(
        f"{Path(o).stem}.{stem}.csv" for o in objects
    )
    assert f"{WEEKLY}: unpacked {len(objects)} file(s), 2 left packed (see archives/)" in log
    # The archive is kept with what became of every member; nothing was lost or left behind.
    assert sorted(p.name for p in paths.archives.iterdir()) == [WEEKLY, f"{WEEKLY}.contents.txt"]
    contents = (paths.archives / f"{WEEKLY}.contents.txt").read_text().splitlines()
    assert len(contents) == len(objects) + 2  # resource forks are not members
    assert f"Account.csv: unpacked as inbox/Account.{stem}.csv (salesforce/account)" in contents
    role = next(line for line in contents if line.startswith("UserRole.csv: left packed: "))
    assert "ParentRoleId" in role  # the reason shows the columns it found
    assert "README.pdf: left packed: not a type the loader reads" in contents
    assert not (paths.root / "rejected").exists()


def test_the_same_archive_again_adds_nothing(warehouse):
    conn, paths = warehouse("w")
    write_weekly_export(paths.inbox)
    run(conn, paths)
    before = stored(conn)
    ledger = conn.execute("select count(*) from ops.load_ledger").fetchall()

    write_weekly_export(paths.inbox)  # delivered twice: same name, same bytes
    rejected, _ = run(conn, paths)

    assert rejected == {}
    assert stored(conn) == before
    assert conn.execute("select count(*) from ops.load_ledger").fetchall() == ledger
    assert len(list(paths.inbox.iterdir())) == len(list((FIXTURES / "salesforce").glob("*.csv")))
    kept = sorted(p.name for p in paths.archives.iterdir() if not p.name.endswith(".txt"))
    assert kept == sorted([WEEKLY, WEEKLY.replace(".ZIP", ".1.ZIP")])


def test_a_different_file_of_the_same_name_is_never_overwritten(warehouse):
    _, paths = warehouse("w")
    waiting = paths.inbox / "interactions.crm.csv"
    waiting.write_text("not the archive's file\n")
    with zipfile.ZipFile(paths.inbox / "crm.zip", "w") as z:
        z.write(FIXTURES / "salesforce" / "Task.csv", "interactions.csv")
        z.write(FIXTURES / "salesforce" / "EmailMessage.csv", "more/interactions.csv")
    unpacked, failed = unpack_inbox(paths.inbox, paths.archives, None)

    assert failed == {}
    assert unpacked[0].files == ["interactions.crm.2.csv", "interactions.crm.3.csv"]
    assert waiting.read_text() == "not the archive's file\n"
    assert (paths.inbox / "interactions.crm.3.csv").read_bytes() == (
        FIXTURES / "salesforce" / "EmailMessage.csv"
    ).read_bytes()


def test_a_member_named_outside_the_inbox_lands_inside_it(warehouse):
    _, paths = warehouse("w")
    with zipfile.ZipFile(paths.inbox / "crm.zip", "w") as z:
        z.write(FIXTURES / "salesforce" / "Account.csv", "../../outside/Account.csv")
    unpack_inbox(paths.inbox, paths.archives, None)

    assert (paths.inbox / "Account.crm.csv").is_file()
    assert not (paths.root.parent / "outside").exists()


def test_a_gzipped_export_loads_as_the_file_does(warehouse):
    plain_conn, plain = warehouse("plain")
    shutil.copytree(FIXTURES / "zendesk", plain.inbox, dirs_exist_ok=True)
    run(plain_conn, plain)

    conn, paths = warehouse("gz")
    for export in (FIXTURES / "zendesk").iterdir():
        with gzip.open(paths.inbox / f"{export.name}.gz", "wb") as out:
            out.write(export.read_bytes())
    rejected, _ = run(conn, paths)

    assert rejected == {}
    assert sorted(p.name for p in paths.inbox.iterdir()) == sorted(
        p.name for p in (FIXTURES / "zendesk").iterdir()
    )
    loaded = stored(conn)
    assert len(loaded["interactions"]) > 0
    assert loaded == stored(plain_conn)


def flag_encrypted(path: Path, member: str) -> None:
    """Set the 'encrypted' bit of one member's local and central headers (Python's zipfile
    writes no encrypted archives)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        local = z.getinfo(member).header_offset
    data[local + 6] |= 0x1
    central = data.find(b"PK\x01\x02")
    while central != -1:
        if data[central + 46 : central + 46 + len(member)] == member.encode():
            data[central + 8] |= 0x1
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("name", "write", "why"),
    [
        ("broken.zip", lambda p: p.write_bytes(b"PK\x03\x04 not really"), "cannot be unpacked"),
        (
            "truncated.csv.gz",
            lambda p: p.write_bytes(gzip.compress(b"interaction_id,text\n1,hi\n" * 50)[:40]),
            "cannot be unpacked",
        ),
        ("locked.zip", None, "Account.csv is encrypted; export it without a password"),
    ],
)
def test_an_archive_that_cannot_be_unpacked_is_rejected_whole_with_the_reason(
    warehouse, name, write, why
):
    conn, paths = warehouse("w")
    path = paths.inbox / name
    if write:
        write(path)
    else:  # one member flagged encrypted, as a password-protected export's are
        with zipfile.ZipFile(path, "w") as z:
            z.write(FIXTURES / "salesforce" / "Contact.csv", "Contact.csv")
            z.write(FIXTURES / "salesforce" / "Account.csv", "Account.csv")
        flag_encrypted(path, "Account.csv")
    rejected, log = run(conn, paths)

    assert list(rejected) == [name]
    assert rejected[name].startswith(f"{name}: ") and why in rejected[name]
    assert rejected[name] in log
    assert list(paths.inbox.iterdir()) == []  # nothing of it unpacked, no staging left
    assert (paths.rejected / name).is_file()
    assert (paths.rejected / f"{name}.error.txt").read_text().strip() == rejected[name]
    assert conn.execute(
        "select file_name, status from ops.load_ledger where status <> 'loaded'"
    ).fetchall() == [(name, "rejected")]
    assert all(rows == [] for rows in stored(conn).values())
