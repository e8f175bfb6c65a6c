"""The dbt project's emotion lists are the scorer's taxonomy (their one home:
sentiment_udfs.taxonomy), so SQL and Python never disagree on what an emotion is."""

import yaml

from sentiment_udfs.taxonomy import EMOTIONS, NEGATIVE_EMOTIONS
from tests.dbt.conftest import DBT_DIR


def test_the_emotion_vars_are_the_taxonomy() -> None:
    project_vars = yaml.safe_load((DBT_DIR / "dbt_project.yml").read_text())["vars"]
    assert tuple(project_vars["emotions"]) == EMOTIONS
    assert set(project_vars["negative_emotions"]) == NEGATIVE_EMOTIONS
