"""The code location loads and wires the whole graph from raw files to the serving snapshot."""

import dagster as dg


def test_graph_runs_from_inbox_to_serving(dbt_manifest):
    from dagster_project.definitions import defs

    definitions = defs()
    graph = definitions.resolve_asset_graph()
    keys = {k.to_user_string() for k in definitions.resolve_all_asset_keys()}
    for entity in ("accounts", "interactions", "surveys", "emotion_tags"):
        assert f"raw/{entity}" in keys
    assert {"scores/interaction_scores", "marts/fct_interactions", "serving/marts_snapshot"} <= keys

    upstream = graph.get(dg.AssetKey(["serving", "marts_snapshot"])).parent_keys
    assert dg.AssetKey(["marts", "agg_nps_trend"]) in upstream
    # The snapshot waits for every mart it copies, and for no seed: a nightly build keeps the
    # seeds as loaded, and waiting for one would skip the publish.
    assert upstream == {dg.AssetKey.from_user_string(k) for k in keys if k.startswith("marts/")}
    fct_parents = graph.get(dg.AssetKey(["marts", "fct_interactions"])).parent_keys
    assert any(k.path[0] == "intermediate" for k in fct_parents)
    stg = graph.get(dg.AssetKey(["staging", "stg_crm__interactions"])).parent_keys
    assert dg.AssetKey(["raw", "interactions"]) in stg
    stg_scores = graph.get(dg.AssetKey(["staging", "stg_scores__interaction_scores"])).parent_keys
    assert dg.AssetKey(["scores", "interaction_scores"]) in stg_scores

    job = definitions.resolve_job_def("warehouse_job")
    # The quarantine and the load ledger are written by every ingest asset, not one of their own.
    assert {k.to_user_string() for k in job.asset_layer.executable_asset_keys} >= keys - {
        "raw/quarantine",
        "ops/load_ledger",
    }
    assert [s.name for s in definitions.schedules] == ["nightly_warehouse"]
    assert [s.name for s in definitions.sensors] == ["inbox_sensor"]
