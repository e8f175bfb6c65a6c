"""The demo pipeline, run twice on small generated data, shared by the pipeline and browser tests."""

import shutil
import zipfile
from pathlib import Path

import duckdb
import pytest

from tests.support.pipeline import (
    REMOVED_MODEL_TABLE,
    SALESFORCE_WEEKLY_EXPORT,
    PipelineRuns,
    all_scores,
    run_module,
    snapshot_marts,
)


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
    # Real vendor export shapes (written from each vendor's documentation) ride along; the
    # Salesforce objects packed as its weekly Data Export delivers them, in a ZIP.
    fixtures = Path(__file__).parent / "lib" / "fixtures"
    for fixture in sorted(fixtures.glob("*/*")):
        if fixture.suffix != ".md" and fixture.parent.name != "salesforce":
            shutil.copy(fixture, inbox / fixture.name)
    with zipfile.ZipFile(inbox / SALESFORCE_WEEKLY_EXPORT, "w", zipfile.ZIP_DEFLATED) as z:
        for fixture in sorted((fixtures / "salesforce").glob("*.csv")):
            z.write(fixture, fixture.name)
    (inbox / "surveys-broken.json").write_text('[{"response_id": "r1", oops', encoding="utf-8")

    # A warehouse that an earlier version built: a table of a model the project no longer has.
    with duckdb.connect(str(warehouse_dir / "warehouse.duckdb")) as conn:
        conn.execute("create schema intermediate")
        conn.execute(f"create table {REMOVED_MODEL_TABLE} as select 'stale' as account_id")

    first = run_module(["dagster_project", "run"], warehouse_dir)
    assert first.returncode == 0, first.stdout[-5000:] + first.stderr[-5000:]
    marts = snapshot_marts(warehouse_dir / "warehouse.duckdb")
    scores = all_scores(warehouse_dir / "warehouse.duckdb")
    second = run_module(["dagster_project", "run"], warehouse_dir)
    assert second.returncode == 0, second.stdout[-5000:] + second.stderr[-5000:]
    return PipelineRuns(warehouse_dir, first, second, marts, scores)
