"""Charts of the Overview page."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboards.figures.colors import emotion_color, emotion_order
from dashboards.figures.theme import MUTED_COLOR, empty_figure, layout

NO_DATA_IN_RANGE = "No data in the selected range"
MAX_LABELLED_PERIODS = 16


def _period_label(period: object, grain: str) -> str:
    """``'1 Jan'`` for a week, ``'Jan 2024'`` for a month.

    >>> _period_label(pd.Timestamp("2024-01-01"), "week")
    '1 Jan'
    >>> _period_label(pd.Timestamp("2024-02-01"), "month")
    'Feb 2024'
    """
    day = pd.Timestamp(period)
    return f"{day.day} {day:%b}" if grain == "week" else f"{day:%b %Y}"


def emotion_mix_figure(df: pd.DataFrame, grain: str = "week") -> go.Figure:
    """100 %-stacked bars: each period's customer interactions split by emotion.

    ``df`` has ``period, emotion, interactions``. Bars show the share; hover shows the count.

    >>> df = pd.DataFrame({"period": pd.to_datetime(["2024-01-01"] * 2).date,
    ...                    "emotion": ["anger", "delight"], "interactions": [1, 3]})
    >>> fig = emotion_mix_figure(df)
    >>> [(t.name, list(t.y)) for t in fig.data]
    [('delight', [75.0]), ('anger', [25.0])]
    """
    if df.empty or df["interactions"].sum() == 0:
        return empty_figure(NO_DATA_IN_RANGE)
    pivot = (
        df.pivot_table(
            index="period", columns="emotion", values="interactions", aggfunc="sum", fill_value=0
        )
        .sort_index()
        .astype("int64")
    )
    totals = pivot.sum(axis=1)
    share = pivot.div(totals.where(totals > 0), axis=0).mul(100).fillna(0.0)
    period_word = "Week of" if grain == "week" else "Month of"
    periods = list(pivot.index)
    traces = [
        go.Bar(
            name=emotion,
            x=periods,
            y=share[emotion].round(4).tolist(),
            customdata=pivot[emotion].tolist(),
            marker={"color": emotion_color(emotion), "line": {"width": 0}},
            hovertemplate=(
                f"{period_word} %{{x|%d %b %Y}}<br>{emotion}: %{{y:.1f}}%"
                " (%{customdata:,} interactions)<extra></extra>"
            ),
        )
        for emotion in emotion_order(list(pivot.columns))
    ]
    if len(periods) <= MAX_LABELLED_PERIODS:
        # One tick per bar, on the bar: the week's Monday or the month's first day.
        xaxis = {"tickvals": periods, "ticktext": [_period_label(p, grain) for p in periods]}
    else:
        xaxis = {"tickformat": "%d %b" if grain == "week" else "%b %Y"}
    return go.Figure(
        data=traces,
        layout=layout(
            barmode="stack",
            bargap=0.15,
            legend={"traceorder": "normal"},
            xaxis=xaxis,
            yaxis={
                "title": {"text": "Share of interactions", "font": {"color": MUTED_COLOR}},
                "ticksuffix": "%",
                "range": [0, 100],
            },
        ),
    )


def csat_by_emotion_figure(df: pd.DataFrame) -> go.Figure:
    """Horizontal bars: CSAT % per emotion, in taxonomy order, labelled with value and n.

    ``df`` has ``emotion, responses, satisfied_responses, csat_pct``.

    >>> df = pd.DataFrame({"emotion": ["anger", "delight"], "responses": [4, 2],
    ...                    "satisfied_responses": [1, 2], "csat_pct": [25.0, 100.0]})
    >>> fig = csat_by_emotion_figure(df)
    >>> list(fig.data[0].y), list(fig.data[0].x)
    (['delight', 'anger'], [100.0, 25.0])
    """
    df = df[df["responses"] > 0]
    if df.empty:
        return empty_figure(NO_DATA_IN_RANGE)
    by_emotion = df.set_index("emotion")
    order = emotion_order(list(by_emotion.index))
    rows = by_emotion.loc[order]
    pct = (100 * rows["satisfied_responses"] / rows["responses"]).round(4)
    bar = go.Bar(
        orientation="h",
        y=order,
        x=pct.tolist(),
        customdata=rows["responses"].tolist(),
        text=[f"{p:.1f}%  (n={n:,})" for p, n in zip(pct, rows["responses"], strict=True)],
        textposition="outside",
        cliponaxis=False,
        marker={"color": [emotion_color(e) for e in order], "line": {"width": 0}},
        hovertemplate="%{y}: CSAT %{x:.1f}% of %{customdata:,} responses<extra></extra>",
    )
    return go.Figure(
        data=[bar],
        layout=layout(
            height=max(240, 44 * len(order) + 80),
            showlegend=False,
            margin={"l": 110, "r": 110},
            xaxis={
                "range": [0, 100],
                "ticksuffix": "%",
                "showgrid": True,
                "gridcolor": "#e5e7eb",
                "title": {
                    "text": "CSAT (share of satisfied responses)",
                    "font": {"color": MUTED_COLOR},
                },
            },
            yaxis={"autorange": "reversed", "showgrid": False, "ticksuffix": "  "},
        ),
    )
