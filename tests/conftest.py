"""Shared fixtures: dbt's manifest (dagster-dbt reads it when the code location loads)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
DBT_DIR = REPO_ROOT / "dbt"


@pytest.fixture(scope="session")
def dbt_manifest(tmp_path_factory) -> Path:
    """Parse the dbt project once per session, as `make` does before the pipeline runs."""
    env = {**os.environ, "WAREHOUSE_DIR": str(tmp_path_factory.mktemp("parse-warehouse"))}
    subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), "parse", "--quiet", "--profiles-dir", "."],
        cwd=DBT_DIR,
        env=env,
        check=True,
    )
    return DBT_DIR / "target" / "manifest.json"
