"""Who may sign in: users with argon2 password hashes and a role, from a file or the environment.

The users file (``$WAREHOUSE_DIR/dashboard_users.yaml``, or ``DASHBOARD_USERS_FILE``)::

    users:
      ana:
        role: analyst
        password_hash: "$argon2id$v=19$..."
      sam@vendor.example:
        role: agent
        owner: sam@vendor.example     # the accounts' owner this agent is (default: the name)

or ``DASHBOARD_USERS="name:role:hash;name:role:hash"`` in the environment (which wins). There is
no default password anywhere: ``python -m dashboards users add NAME --role ROLE`` asks for one,
and ``python -m dashboards users demo`` makes a random one for the demo user and prints it once.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

ROLES: tuple[str, ...] = ("leader", "analyst", "agent")
DEMO_USER = "demo"
DEMO_ROLE = "analyst"

_HASHER = PasswordHasher()
# Verified against when the user name is unknown, so both cases take the same time.
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class User:
    name: str
    role: str
    password_hash: str
    owner: str  # the ``dim_accounts.owner`` value whose accounts an agent works

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"user {self.name!r}: role must be one of {ROLES}, not {self.role!r}")
        if not self.password_hash.startswith("$argon2"):
            raise ValueError(f"user {self.name!r}: password_hash must be an argon2 hash")


class UsersError(RuntimeError):
    """No usable users: the app refuses to start (outside demo mode)."""


def hash_password(password: str) -> str:
    if len(password) < 8:
        raise ValueError("a password needs at least 8 characters")
    return _HASHER.hash(password)


def verify(users: Mapping[str, User], name: str, password: str) -> User | None:
    """The user when the password matches, else None (constant work for unknown names)."""
    user = users.get(name)
    try:
        _HASHER.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    return user


def parse_env_users(value: str) -> dict[str, User]:
    """``name:role:hash`` entries separated by ``;``.

    >>> h = hash_password("correct horse")
    >>> users = parse_env_users(f"ana:analyst:{h}; bo@x.example:agent:{h}")
    >>> sorted(users), users["bo@x.example"].owner
    (['ana', 'bo@x.example'], 'bo@x.example')
    """
    users: dict[str, User] = {}
    for entry in value.split(";"):
        entry = entry.strip()
        if not entry:
            continue
        name, role, password_hash = entry.split(":", 2)
        users[name] = User(name, role, password_hash, owner=name)
    return users


def read_users_file(path: Path) -> dict[str, User]:
    if not Path(path).is_file():
        return {}
    document = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    entries = document.get("users") or {}
    return {
        str(name): User(
            str(name),
            str(entry.get("role", "")),
            str(entry.get("password_hash", "")),
            owner=str(entry.get("owner") or name),
        )
        for name, entry in entries.items()
    }


def load_users(users_file: Path, env: Mapping[str, str] | None = None) -> dict[str, User]:
    """Users from ``DASHBOARD_USERS`` when set, else from the users file."""
    env = os.environ if env is None else env
    if env.get("DASHBOARD_USERS", "").strip():
        return parse_env_users(env["DASHBOARD_USERS"])
    return read_users_file(users_file)


def write_user(path: Path, user: User) -> None:
    """Add or replace one user in the users file (written 0600, atomically)."""
    path = Path(path)
    document = {"users": {}}
    if path.is_file():
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {"users": {}}
        document.setdefault("users", {})
    entry = {"role": user.role, "password_hash": user.password_hash}
    if user.owner != user.name:
        entry["owner"] = user.owner
    document["users"][user.name] = entry
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        yaml.safe_dump(document, out, sort_keys=True)
    os.replace(tmp, path)


def ensure_demo_user(path: Path) -> str | None:
    """Create the demo user with a fresh random password; return it, or None if one exists."""
    if DEMO_USER in read_users_file(path):
        return None
    password = secrets.token_urlsafe(12)
    write_user(path, User(DEMO_USER, DEMO_ROLE, hash_password(password), owner=DEMO_USER))
    return password
