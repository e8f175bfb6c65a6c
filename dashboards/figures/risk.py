"""Charts of the risk score's backtest: lift by decile, and calibration by risk band."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboards.figures.theme import LEGEND_ABOVE, MUTED_COLOR, empty_figure, layout
from dashboards.risk_text import SCORER_LABELS

NO_BACKTEST = "No backtest rows yet"
SCORER_COLORS = {
    "churn_risk": "#c8283c",
    "naive_negative_share_90d": "#b3bac5",
    "naive_days_since_customer_message": "#6b7280",
}


def lift_by_decile_figure(backtest: pd.DataFrame) -> go.Figure:
    """Grouped bars: each scorer's churn rate per tenth of its ranking, over the average rate.

    ``backtest`` holds ``marts.agg_churn_risk_backtest`` rows; decile 1 is the riskiest tenth.

    >>> df = pd.DataFrame({"scorer": ["churn_risk"] * 2, "measure": ["decile"] * 2,
    ...                    "bucket_order": [2, 1], "lift": [0.5, 4.0]})
    >>> [(t.name, list(t.y)) for t in lift_by_decile_figure(df).data]
    [('Churn risk score', [4.0, 0.5])]
    """
    deciles = backtest[backtest["measure"] == "decile"].sort_values("bucket_order")
    if deciles.empty:
        return empty_figure(NO_BACKTEST)
    traces = []
    for scorer in SCORER_LABELS:
        rows = deciles[deciles["scorer"] == scorer]
        if rows.empty:
            continue
        traces.append(
            go.Bar(
                name=SCORER_LABELS[scorer],
                x=[f"{int(d)}" for d in rows["bucket_order"]],
                y=rows["lift"].round(3).tolist(),
                marker={"color": SCORER_COLORS[scorer], "line": {"width": 0}},
                hovertemplate="tenth %{x}: %{y:.1f}× the average churn rate<extra>"
                + SCORER_LABELS[scorer]
                + "</extra>",
            )
        )
    return go.Figure(
        data=traces,
        layout=layout(
            **LEGEND_ABOVE,
            barmode="group",
            xaxis={"title": "tenth of accounts, riskiest first"},
            yaxis={"title": "× the average churn rate"},
            shapes=[
                {
                    "type": "line",
                    "xref": "paper",
                    "x0": 0,
                    "x1": 1,
                    "y0": 1,
                    "y1": 1,
                    "line": {"color": MUTED_COLOR, "dash": "dot", "width": 1},
                }
            ],
        ),
    )


def calibration_figure(backtest: pd.DataFrame) -> go.Figure:
    """Per churn-risk band: the churn the score predicted against the churn that happened (%).

    >>> df = pd.DataFrame({"scorer": ["churn_risk"], "measure": ["calibration"], "bucket": ["high"],
    ...                    "bucket_order": [3], "predicted_rate": [0.4], "observed_rate": [0.5],
    ...                    "n_rows": [10]})
    >>> [(t.name, list(t.y)) for t in calibration_figure(df).data]
    [('predicted', [40.0]), ('happened', [50.0])]
    """
    bands = backtest[
        (backtest["measure"] == "calibration") & (backtest["scorer"] == "churn_risk")
    ].sort_values("bucket_order")
    if bands.empty:
        return empty_figure(NO_BACKTEST)
    names = [str(b) for b in bands["bucket"]]
    counts = [int(n) for n in bands["n_rows"]]
    return go.Figure(
        data=[
            go.Bar(
                name="predicted",
                x=names,
                y=(bands["predicted_rate"] * 100).round(2).tolist(),
                customdata=counts,
                marker={"color": "#b3bac5", "line": {"width": 0}},
                hovertemplate="%{x}: predicted %{y:.1f}% (%{customdata:,} rows)<extra></extra>",
            ),
            go.Bar(
                name="happened",
                x=names,
                y=(bands["observed_rate"] * 100).round(2).tolist(),
                customdata=counts,
                marker={"color": SCORER_COLORS["churn_risk"], "line": {"width": 0}},
                hovertemplate="%{x}: churned %{y:.1f}% (%{customdata:,} rows)<extra></extra>",
            ),
        ],
        layout=layout(
            **LEGEND_ABOVE,
            barmode="group",
            xaxis={"title": "churn-risk band"},
            yaxis={"title": "churn within 90 days (%)"},
        ),
    )
