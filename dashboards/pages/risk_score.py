"""How good is the risk score: its backtest next to two simple rules, in plain words.

The backtest (``marts.agg_churn_risk_backtest``) scored every account on the first of each past
month with only the data before it, and compared with who churned in the next 90 days. It covers
all accounts: the shared filters do not apply. Nothing here is personal, so every role sees it.
Everything comes from the snapshot at page load; there is no callback.
"""

from __future__ import annotations

import dash
import pandas as pd
from dash import html

from dashboards import ids
from dashboards.components.cards import (
    NO_DATA_MESSAGE,
    chart_card,
    message_panel,
    page_header,
    unpublished_panel,
)
from dashboards.data import risk as data
from dashboards.data.connection import ServingUnavailable, is_published
from dashboards.figures.risk import calibration_figure, lift_by_decile_figure
from dashboards.metrics import NO_VALUE
from dashboards.risk_text import SCORER_LABELS, ScorerFigures, backtest_sentences, scorer_figures
from dashboards.settings import current_serving_db

dash.register_page(
    __name__,
    path="/risk-score",
    name="Risk score",
    title="How good is the risk score · Customer emotion",
    order=4,
    filtered=False,  # the backtest covers all accounts: the shared filter bar folds away
)


def layout(**_query_args: str) -> html.Div:
    serving_db = current_serving_db()
    if not is_published(serving_db):
        return unpublished_panel(serving_db, panel_id=ids.RISK_SCORE_NO_DATA)
    try:
        backtest = data.backtest(serving_db)
        span = data.backtest_span(serving_db)
    except ServingUnavailable as exc:
        return message_panel(NO_DATA_MESSAGE, str(exc), panel_id=ids.RISK_SCORE_NO_DATA)
    figures = scorer_figures(backtest)
    return html.Div(
        className="page risk-score",
        children=[
            page_header("How good is the risk score", _span_words(span)),
            html.Div(
                id=ids.RISK_SCORE_SUMMARY,
                className="chart-card backtest-summary",
                children=[html.P(s) for s in backtest_sentences(figures)],
            ),
            html.Div(
                className="chart-card",
                children=[
                    html.Div("The score next to two simple rules", className="chart-title"),
                    html.Div(
                        "Same accounts, same dates; higher is better in every column.",
                        className="chart-subtitle",
                    ),
                    _table(figures),
                ],
            ),
            html.Div(
                className="chart-grid",
                children=[
                    chart_card(
                        "Churn by tenth of the ranking",
                        "Each tenth's churn rate as a multiple of the average, riskiest first",
                        ids.RISK_SCORE_LIFT_GRAPH,
                        figure=lift_by_decile_figure(backtest),
                    ),
                    chart_card(
                        "Does the score mean what it says?",
                        "Per risk band: the churn the score predicted against the churn that "
                        "happened",
                        ids.RISK_SCORE_CALIBRATION_GRAPH,
                        figure=calibration_figure(backtest),
                    ),
                ],
            ),
        ],
    )


def _span_words(span: pd.Series) -> str:
    if not span["rows"]:
        return "No backtest rows yet."
    return (
        f"Backtest: {int(span['accounts']):,} accounts scored on the first of each month from "
        f"{pd.Timestamp(span['first_date']):%b %Y} to {pd.Timestamp(span['last_date']):%b %Y} "
        f"({int(span['rows']):,} scores), each with only the data before that day."
    )


def _cell(value: float | None, fmt: str) -> str:
    return NO_VALUE if value is None else format(value, fmt)


def _table(figures: dict[str, ScorerFigures]) -> html.Table:
    header = html.Tr(
        [
            html.Th(h)
            for h in (
                "",
                "AUC (0.5 = a coin)",
                "AUC, renewals due",
                "Churned in the riskiest tenth",
                "Lift of that tenth",
            )
        ]
    )
    body = []
    for scorer in SCORER_LABELS:
        f = figures.get(scorer)
        if f is None:
            continue
        body.append(
            html.Tr(
                id=f"risk-score-row-{scorer}",
                className="risk-score-model" if scorer == "churn_risk" else None,
                children=[
                    html.Td(f.label),
                    html.Td(_cell(f.auc, ".3f"), className="number"),
                    html.Td(_cell(f.auc_renewal_due, ".3f"), className="number"),
                    html.Td(
                        NO_VALUE
                        if f.top_decile_precision is None
                        else f"{100 * f.top_decile_precision:.1f}%",
                        className="number",
                    ),
                    html.Td(
                        NO_VALUE if f.top_decile_lift is None else f"{f.top_decile_lift:.1f}×",
                        className="number",
                    ),
                ],
            )
        )
    return html.Table([html.Thead(header), html.Tbody(body)], className="text-table")
