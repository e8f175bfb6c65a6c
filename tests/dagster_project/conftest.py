"""The demo pipeline, run twice on small generated data, shared by the pipeline and browser tests."""

import shutil
from pathlib import Path

import pytest

from tests.support.pipeline import PipelineRuns, all_scores, run_module, snapshot_marts


@pytest.fixture(scope="session")
def pipeline_runs(tmp_path_factory, dbt_manifest) -> PipelineRuns:
    warehouse_dir = tmp_path_factory.mktemp("warehouse")
    inbox = warehouse_dir / "inbox"
    generated = run_module(
        [
            "dagster_project.lib.demo_data",
            "--out",
            str(inbox),
            "--accounts",
            "40",
            "--months",
            "6",
            "--quiet",
        ],
        warehouse_dir,
    )
    assert generated.returncode == 0, generated.stderr
    # Real vendor export shapes (written from each vendor's documentation) ride along.
    for fixture in sorted((Path(__file__).parent / "lib" / "fixtures").glob("*/*")):
        if fixture.suffix != ".md":
            shutil.copy(fixture, inbox / fixture.name)
    (inbox / "surveys-broken.json").write_text('[{"response_id": "r1", oops', encoding="utf-8")

    first = run_module(["dagster_project", "run"], warehouse_dir)
    assert first.returncode == 0, first.stdout[-5000:] + first.stderr[-5000:]
    marts = snapshot_marts(warehouse_dir / "warehouse.duckdb")
    scores = all_scores(warehouse_dir / "warehouse.duckdb")
    second = run_module(["dagster_project", "run"], warehouse_dir)
    assert second.returncode == 0, second.stdout[-5000:] + second.stderr[-5000:]
    return PipelineRuns(warehouse_dir, first, second, marts, scores)
