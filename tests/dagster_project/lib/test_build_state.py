import duckdb

from dagster_project.lib.build_state import (
    input_fingerprint,
    last_fingerprint,
    project_fingerprint,
    record_build,
)
from dagster_project.lib.warehouse_schema import ensure_schema


def test_fingerprint_changes_with_loads_scores_and_the_dbt_project(tmp_path):
    manifest = tmp_path / "manifest.json"
    manifest.write_text('{"nodes": {}}')
    conn = duckdb.connect()
    ensure_schema(conn)
    first = input_fingerprint(conn, manifest)
    assert input_fingerprint(conn, manifest) == first

    conn.execute(
        "insert into ops.load_ledger (file_hash, file_name, status, loaded_at) "
        "values ('h1', 'a.csv', 'loaded', '2026-01-01')"
    )
    after_load = input_fingerprint(conn, manifest)
    assert after_load != first

    conn.execute(
        "insert into scores.interaction_scores (interaction_id, text_hash, scorer_version, compound, "
        "sentiment_label, emotion, emotion_intensity, churn_intent, billing_concern, urgency, praise, "
        "sarcasm, question, is_empty, scored_at) values ('i1', 'h', 'v', 0, 'neutral', 'neutral', 0, "
        "false, false, false, false, false, false, false, '2026-01-01')"
    )
    after_scores = input_fingerprint(conn, manifest)
    assert after_scores != after_load

    manifest.write_text('{"nodes": {"model.x": {}}}')
    assert input_fingerprint(conn, manifest) != after_scores


def test_recorded_fingerprint_is_replaced(tmp_path):
    conn = duckdb.connect()
    ensure_schema(conn)
    assert last_fingerprint(conn, "published_marts") is None
    record_build(conn, "published_marts", "a")
    record_build(conn, "published_marts", "b")
    assert last_fingerprint(conn, "published_marts") == "b"


def test_project_fingerprint_follows_the_manifest(tmp_path):
    manifest = tmp_path / "manifest.json"
    manifest.write_text('{"nodes": {}}')
    first = project_fingerprint(manifest)
    assert project_fingerprint(manifest) == first
    manifest.write_text('{"nodes": {"model.x": {}}}')
    assert project_fingerprint(manifest) != first
