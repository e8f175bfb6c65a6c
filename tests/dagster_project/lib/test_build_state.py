import duckdb

from dagster_project.lib.build_state import (
    input_fingerprint,
    last_fingerprint,
    project_fingerprint,
    record_build,
)
from dagster_project.lib.warehouse_schema import ensure_schema


def _project(root):
    """A small dbt project: a model, a seed, settings, and what dbt itself writes."""
    (root / "models").mkdir(parents=True)
    (root / "models" / "m.sql").write_text("select 1 as x")
    (root / "seeds").mkdir()
    (root / "seeds" / "thresholds.csv").write_text("cue,threshold\nlogins_drop,0.5\n")
    (root / "dbt_project.yml").write_text("name: p\n")
    (root / "target").mkdir()
    (root / "target" / "manifest.json").write_text('{"nodes": {}}')
    return root


def test_fingerprint_changes_with_loads_scores_and_the_dbt_project(tmp_path):
    project = _project(tmp_path / "dbt")
    conn = duckdb.connect()
    ensure_schema(conn)
    first = input_fingerprint(conn, project_fingerprint(project))
    assert input_fingerprint(conn, project_fingerprint(project)) == first

    conn.execute(
        "insert into ops.load_ledger (file_hash, file_name, status, loaded_at) "
        "values ('h1', 'a.csv', 'loaded', '2026-01-01')"
    )
    after_load = input_fingerprint(conn, project_fingerprint(project))
    assert after_load != first

    conn.execute(
        "insert into scores.interaction_scores (interaction_id, text_hash, scorer_version, compound, "
        "sentiment_label, emotion, emotion_intensity, churn_intent, billing_concern, urgency, praise, "
        "sarcasm, question, is_empty, scored_at) values ('i1', 'h', 'v', 0, 'neutral', 'neutral', 0, "
        "false, false, false, false, false, false, false, '2026-01-01')"
    )
    after_scores = input_fingerprint(conn, project_fingerprint(project))
    assert after_scores != after_load

    (project / "models" / "m.sql").write_text("select 2 as x")
    assert input_fingerprint(conn, project_fingerprint(project)) != after_scores


def test_recorded_fingerprint_is_replaced(tmp_path):
    conn = duckdb.connect()
    ensure_schema(conn)
    assert last_fingerprint(conn, "published_marts") is None
    record_build(conn, "published_marts", "a")
    record_build(conn, "published_marts", "b")
    assert last_fingerprint(conn, "published_marts") == "b"


def test_project_fingerprint_follows_models_and_seeds_edited_without_a_parse(tmp_path):
    project = _project(tmp_path / "dbt")
    first = project_fingerprint(project)
    assert project_fingerprint(project) == first

    # What dbt writes (a re-parse, logs) and hidden files are not the project.
    (project / "target" / "manifest.json").write_text('{"nodes": {"model.x": {}}}')
    (project / "logs").mkdir()
    (project / "logs" / "dbt.log").write_text("ran")
    (project / ".user.yml").write_text("id: 1")
    assert project_fingerprint(project) == first

    # An analyst edits a threshold: the manifest is untouched, the project is not.
    (project / "seeds" / "thresholds.csv").write_text("cue,threshold\nlogins_drop,0.6\n")
    after_seed = project_fingerprint(project)
    assert after_seed != first

    (project / "models" / "new.sql").write_text("select 1 as y")
    assert project_fingerprint(project) != after_seed
