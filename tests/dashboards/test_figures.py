"""Figures are pure: DataFrame in, plotly Figure out."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboards.data import overview
from dashboards.figures.colors import EMOTION_COLORS, emotion_color, emotion_order
from dashboards.figures.overview import (
    NO_DATA_IN_RANGE,
    csat_by_emotion_figure,
    emotion_mix_figure,
)
from sentiment_udfs.taxonomy import EMOTIONS


def _mix(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["period", "emotion", "interactions"]).assign(
        period=lambda df: pd.to_datetime(df["period"])
    )


def test_every_emotion_has_one_distinct_colour() -> None:
    assert list(EMOTION_COLORS) == list(EMOTIONS)
    assert len(set(EMOTION_COLORS.values())) == len(EMOTIONS)


def test_emotion_order_follows_the_taxonomy() -> None:
    assert emotion_order(["anger", "neutral", "delight"]) == ["delight", "neutral", "anger"]


def test_emotion_mix_shares_add_up_per_period_and_keep_counts() -> None:
    fig = emotion_mix_figure(
        _mix([("2024-01-01", "anger", 1), ("2024-01-01", "delight", 3), ("2024-01-08", "anger", 2)])
    )
    by_name = {trace.name: trace for trace in fig.data}
    assert [t.name for t in fig.data] == ["delight", "anger"]
    assert list(by_name["delight"].y) == [75.0, 0.0]
    assert list(by_name["anger"].y) == [25.0, 100.0]
    assert list(by_name["anger"].customdata) == [1, 2]
    assert fig.layout.barmode == "stack"
    for trace in fig.data:
        assert trace.marker.color == EMOTION_COLORS[trace.name]


def test_emotion_mix_labels_each_period() -> None:
    fig = emotion_mix_figure(
        _mix([("2024-01-01", "neutral", 1), ("2024-02-01", "neutral", 1)]), grain="month"
    )
    assert list(fig.layout.xaxis.ticktext) == ["Jan 2024", "Feb 2024"]


def test_charts_use_the_same_colour_per_emotion(serving_db: Path) -> None:
    mix = emotion_mix_figure(overview.emotion_mix(serving_db))
    csat = csat_by_emotion_figure(overview.csat_by_emotion(serving_db))
    mix_colours = {trace.name: trace.marker.color for trace in mix.data}
    csat_colours = dict(zip(csat.data[0].y, csat.data[0].marker.color, strict=True))
    for emotion in set(mix_colours) & set(csat_colours):
        assert mix_colours[emotion] == csat_colours[emotion] == emotion_color(emotion)
    assert len(set(mix_colours) & set(csat_colours)) >= 4


def test_csat_by_emotion_recomputes_from_counts_in_taxonomy_order() -> None:
    df = pd.DataFrame(
        {
            "emotion": ["anger", "delight", "neutral"],
            "responses": [4, 3, 0],
            "satisfied_responses": [1, 2, 0],
            "csat_pct": [99.0, 99.0, None],  # ignored: the figure divides the counts itself
        }
    )
    fig = csat_by_emotion_figure(df)
    bar = fig.data[0]
    assert list(bar.y) == ["delight", "anger"]  # no responses → no bar
    assert list(bar.x) == pytest.approx([200 / 3, 25.0])
    assert list(bar.text) == ["66.7%  (n=3)", "25.0%  (n=4)"]


@pytest.mark.parametrize("figure", [emotion_mix_figure, csat_by_emotion_figure])
def test_empty_data_gives_a_message_not_an_error(figure) -> None:
    columns = ["period", "emotion", "interactions", "responses", "satisfied_responses", "csat_pct"]
    fig = figure(pd.DataFrame({c: [] for c in columns}))
    assert not fig.data
    assert fig.layout.annotations[0].text == NO_DATA_IN_RANGE


def test_unknown_emotion_is_drawn_in_grey_not_dropped() -> None:
    fig = emotion_mix_figure(_mix([("2024-01-01", "boredom", 2), ("2024-01-01", "anger", 2)]))
    assert [t.name for t in fig.data] == ["anger", "boredom"]
    assert fig.data[1].marker.color == emotion_color("boredom")


def test_the_timeline_opens_on_the_weeks_with_messages_not_on_years_of_stage_history() -> None:
    from dashboards.figures.timeline import timeline_figure

    weeks = pd.DataFrame(
        {
            "week_start": pd.to_datetime(["2025-05-05", "2025-05-12", "2026-10-26"]),
            "mean_sentiment": [0.2, -0.4, -0.1],
            "dominant_emotion": ["satisfaction", "frustration", "neutral"],
            "customer_messages": [2, 3, 1],
        }
    )
    stages = ["2022-09-08", "2022-11-22", "2023-02-20", "2025-09-23"]
    events = pd.DataFrame(
        {"at": pd.to_datetime(stages), "kind": ["stage"] * 4, "label": ["stage: x"] * 4}
    )
    figure = timeline_figure(weeks, events)
    start, end = (pd.Timestamp(x) for x in figure["layout"]["xaxis"]["range"])
    assert pd.Timestamp("2025-03-01") < start < pd.Timestamp("2025-05-05")
    assert end > pd.Timestamp("2026-10-26")
    # The three older stages are still drawn (a double click shows them), and the chart says so.
    stage_trace = next(t for t in figure["data"] if t.get("name") == "stage")
    assert len(stage_trace["x"]) == 4
    assert [a["text"] for a in figure["layout"]["annotations"]] == [
        "← 3 earlier events (double-click to see all)"
    ]
    alone = timeline_figure(weeks, events.iloc[3:])
    assert alone["layout"]["annotations"] == []
