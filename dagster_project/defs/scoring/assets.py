"""Scoring asset: every interaction text scored once per scorer version (sentiment_udfs)."""

from functools import partial

import dagster as dg

import sentiment_udfs
from dagster_project.defs.warehouse.resources import WarehouseResource
from dagster_project.lib.score_interactions import score_pending
from dagster_project.lib.settings import scoring_processes


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["scores", "interaction_scores"],
            deps=[["raw", "interactions"], ["raw", "contacts"]],
            group_name="scoring",
            kinds={"python", "duckdb"},
            description="Sentiment, emotion, intensity and cues per interaction and scorer version.",
        ),
        dg.AssetSpec(
            ["scores", "interaction_evidence"],
            deps=[["raw", "interactions"]],
            group_name="scoring",
            kinds={"python", "duckdb"},
            description="What moved each score: words, rules and patterns, per interaction.",
        ),
    ]
)
def interaction_scores(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    processes = scoring_processes()
    with warehouse.connect() as conn:
        stats = score_pending(
            conn,
            scorer_version=sentiment_udfs.SCORER_VERSION,
            score_fn=partial(sentiment_udfs.score_texts, processes=processes),
            log=context.log.info,
        )
    context.log.info(f"{stats} with {processes} processes")
    metadata = {
        "scorer_version": sentiment_udfs.SCORER_VERSION,
        "interactions_scored": stats.interactions_scored,
        "texts_scored": stats.texts_scored,
        "texts_reused": stats.texts_reused,
        "opted_out_skipped": stats.opted_out_skipped,
    }
    yield dg.MaterializeResult(asset_key=["scores", "interaction_scores"], metadata=metadata)
    yield dg.MaterializeResult(asset_key=["scores", "interaction_evidence"])
