"""``python -m dashboards``: users are managed from the command line; no users, no server."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboards.__main__ import main
from dashboards.users import DEMO_USER, read_users_file, verify


@pytest.fixture
def warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WAREHOUSE_DIR", str(tmp_path))
    for name in ("DASHBOARD_USERS", "DASHBOARD_USERS_FILE", "SERVING_DB", "DASHBOARD_STATE_DB"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_the_server_refuses_to_start_without_users(warehouse: Path) -> None:
    with pytest.raises(SystemExit, match="refusing to start: no dashboard users"):
        main(["--port", "1"])
    assert not (warehouse / "dashboard_users.yaml").exists()


def test_users_add_stores_an_argon2_hash_only(
    warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DASHBOARD_NEW_PASSWORD", "correct horse battery")
    main(["users", "add", "sam@vendor.example", "--role", "agent"])
    users_file = warehouse / "dashboard_users.yaml"
    assert "correct horse" not in users_file.read_text()
    assert users_file.stat().st_mode & 0o777 == 0o600
    users = read_users_file(users_file)
    assert users["sam@vendor.example"].role == "agent"
    assert verify(users, "sam@vendor.example", "correct horse battery") is not None
    assert verify(users, "sam@vendor.example", "wrong") is None


def test_short_passwords_are_refused(warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_NEW_PASSWORD", "short")
    with pytest.raises(SystemExit, match="at least 8 characters"):
        main(["users", "add", "lea", "--role", "leader"])


def test_the_demo_user_is_made_once_and_its_password_printed_once(
    warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["users", "demo"])
    first = capsys.readouterr().out
    password = first.split("password:")[1].split()[0]
    users = read_users_file(warehouse / "dashboard_users.yaml")
    assert verify(users, DEMO_USER, password) is not None
    main(["users", "demo"])
    second = capsys.readouterr().out
    assert password not in second and "exists" in second
