from __future__ import annotations

from pathlib import Path

import pytest

from tests.dashboards.serving_fixture import write_serving_db


@pytest.fixture
def warehouse_dir(tmp_path: Path) -> Path:
    """A warehouse folder holding a small published ``serving.duckdb``."""
    folder = tmp_path / "warehouse"
    folder.mkdir()
    write_serving_db(folder / "serving.duckdb")
    return folder


@pytest.fixture
def serving_db(warehouse_dir: Path) -> Path:
    return warehouse_dir / "serving.duckdb"
