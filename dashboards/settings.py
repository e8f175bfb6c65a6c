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
