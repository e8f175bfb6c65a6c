from __future__ import annotations

from pathlib import Path

from dashboards.settings import serving_db_path


def test_serving_db_env_wins_over_warehouse_dir(tmp_path: Path) -> None:
    env = {"SERVING_DB": str(tmp_path / "snap.duckdb"), "WAREHOUSE_DIR": str(tmp_path / "wh")}
    assert serving_db_path(env) == tmp_path / "snap.duckdb"


def test_warehouse_dir_locates_serving_duckdb(tmp_path: Path) -> None:
    assert serving_db_path({"WAREHOUSE_DIR": str(tmp_path)}) == tmp_path / "serving.duckdb"


def test_default_is_relative_warehouse_folder_made_absolute(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert serving_db_path({}) == tmp_path / "warehouse" / "serving.duckdb"


def test_empty_values_fall_back_to_the_default(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    expected = tmp_path / "warehouse" / "serving.duckdb"
    assert serving_db_path({"SERVING_DB": "", "WAREHOUSE_DIR": ""}) == expected
