"""dbt project and CLI resource. The manifest is built by `make` (dbt parse), never at import."""

import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject

DBT_PROJECT_DIR = Path(__file__).resolve().parents[3] / "dbt"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


@dg.definitions
def resources() -> dg.Definitions:
    # The dbt beside this interpreter: works without an activated virtual environment.
    dbt_executable = str(Path(sys.executable).with_name("dbt"))
    return dg.Definitions(
        resources={"dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable)}
    )
