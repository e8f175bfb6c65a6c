"""Where the dashboard finds its data: one read-only snapshot, ``serving.duckdb``.

``SERVING_DB`` names the file directly; otherwise it is ``$WAREHOUSE_DIR/serving.duckdb``
with ``WAREHOUSE_DIR`` defaulting to ``./warehouse`` (as everywhere in the project).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

SERVING_DB_FILENAME = "serving.duckdb"
DEFAULT_WAREHOUSE_DIR = "warehouse"


def serving_db_path(env: Mapping[str, str] | None = None) -> Path:
    """Resolve the serving snapshot's path from the environment, as an absolute path.

    >>> serving_db_path({"SERVING_DB": "/data/snap.duckdb"}).as_posix()
    '/data/snap.duckdb'
    >>> serving_db_path({"WAREHOUSE_DIR": "/wh"}).as_posix()
    '/wh/serving.duckdb'
    >>> serving_db_path({}).name
    'serving.duckdb'
    """
    env = os.environ if env is None else env
    explicit = env.get("SERVING_DB")
    if explicit:
        return Path(explicit).expanduser().absolute()
    warehouse_dir = env.get("WAREHOUSE_DIR") or DEFAULT_WAREHOUSE_DIR
    return (Path(warehouse_dir).expanduser() / SERVING_DB_FILENAME).absolute()


def current_serving_db() -> Path:
    """The snapshot of the running app (set by ``create_app``), else the environment's."""
    import dash

    try:
        configured = dash.get_app().server.config.get("SERVING_DB")
    except Exception:  # no app yet, e.g. when a page module is used on its own
        configured = None
    return Path(configured) if configured else serving_db_path()


APP_STATE_FILENAME = "app_state.sqlite"
USERS_FILENAME = "dashboard_users.yaml"
SECRET_FILENAME = ".dashboard_secret"


def warehouse_dir(env: Mapping[str, str] | None = None) -> Path:
    """``$WAREHOUSE_DIR`` (default ``./warehouse``), absolute.

    >>> warehouse_dir({"WAREHOUSE_DIR": "/wh"}).as_posix()
    '/wh'
    """
    env = os.environ if env is None else env
    return Path(env.get("WAREHOUSE_DIR") or DEFAULT_WAREHOUSE_DIR).expanduser().absolute()


def app_state_db_path(env: Mapping[str, str] | None = None) -> Path:
    """The dashboard's own database (people's decisions, sign-ins): ``DASHBOARD_STATE_DB``, else
    ``$WAREHOUSE_DIR/app_state.sqlite``. Never the warehouse nor the snapshot.

    >>> app_state_db_path({"WAREHOUSE_DIR": "/wh"}).as_posix()
    '/wh/app_state.sqlite'
    """
    env = os.environ if env is None else env
    explicit = env.get("DASHBOARD_STATE_DB")
    if explicit:
        return Path(explicit).expanduser().absolute()
    return warehouse_dir(env) / APP_STATE_FILENAME


def users_file_path(env: Mapping[str, str] | None = None) -> Path:
    """Where users and their password hashes live: ``DASHBOARD_USERS_FILE``, else
    ``$WAREHOUSE_DIR/dashboard_users.yaml``.

    >>> users_file_path({"WAREHOUSE_DIR": "/wh"}).as_posix()
    '/wh/dashboard_users.yaml'
    """
    env = os.environ if env is None else env
    explicit = env.get("DASHBOARD_USERS_FILE")
    if explicit:
        return Path(explicit).expanduser().absolute()
    return warehouse_dir(env) / USERS_FILENAME


def int_setting(name: str, default: int, env: Mapping[str, str] | None = None) -> int:
    """An integer setting from the environment.

    >>> int_setting("X", 5, {}), int_setting("X", 5, {"X": "7"})
    (5, 7)
    """
    env = os.environ if env is None else env
    value = env.get(name, "").strip()
    return int(value) if value else default
