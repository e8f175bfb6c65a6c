"""Overview: emotional health at a glance for a date range.

Thin by design: queries live in ``dashboards.data``, charts in ``dashboards.figures``, KPI
arithmetic and formatting in ``dashboards.metrics``. Nothing is read at import: the layout is a
function, evaluated per page load, and the callback queries per filter change.
"""

from __future__ import annotations

import dash
from dash import Input, Output, callback, html
from dash.exceptions import PreventUpdate

from dashboards import ids
from dashboards.components.cards import (
    NO_DATA_MESSAGE,
    chart_card,
    kpi_card,
    message_panel,
    segment_card,
)
from dashboards.data import overview as data
from dashboards.data.connection import ServingUnavailable, is_published
from dashboards.figures.overview import csat_by_emotion_figure, emotion_mix_figure
from dashboards.figures.theme import empty_figure
from dashboards.filters import Filters
from dashboards.metrics import (
    NO_VALUE,
    choose_grain,
    format_day,
    overview_kpis,
    segment_order,
)
from dashboards.settings import current_serving_db

dash.register_page(
    __name__, path="/", name="Overview", title="Overview · Customer emotion", order=0
)


def layout(**_query_args: str) -> html.Div:
    serving_db = current_serving_db()
    if not is_published(serving_db):
        return message_panel(
            NO_DATA_MESSAGE,
            f"The dashboard reads the published snapshot {serving_db}, which does not exist yet.",
            panel_id=ids.OVERVIEW_NO_DATA,
        )
    try:
        first_day, last_day = data.date_bounds(serving_db)
    except ServingUnavailable as exc:
        return message_panel(NO_DATA_MESSAGE, str(exc), panel_id=ids.OVERVIEW_NO_DATA)
    if first_day is None or last_day is None:
        return message_panel(
            NO_DATA_MESSAGE,
            "The published snapshot holds no interactions or survey responses yet.",
            panel_id=ids.OVERVIEW_NO_DATA,
        )

    return html.Div(
        className="page overview",
        children=[
            html.Div(
                className="page-header",
                children=[
                    html.Div(
                        [
                            html.H1("Overview"),
                            html.Span(id=ids.OVERVIEW_RANGE_LABEL, className="range-label"),
                        ]
                    ),
                ],
            ),
            html.Div(
                className="kpi-grid",
                children=[
                    kpi_card(
                        "Net Promoter Score",
                        ids.OVERVIEW_KPI_NPS,
                        ids.OVERVIEW_KPI_NPS_COUNT,
                        hint="% promoters (9–10) − % detractors (0–6)",
                    ),
                    kpi_card(
                        "CSAT",
                        ids.OVERVIEW_KPI_CSAT,
                        ids.OVERVIEW_KPI_CSAT_COUNT,
                        unit="%",
                        hint="share of satisfied survey responses",
                    ),
                    kpi_card(
                        "Negative interactions",
                        ids.OVERVIEW_KPI_NEGATIVE_SHARE,
                        ids.OVERVIEW_KPI_NEGATIVE_SHARE_COUNT,
                        unit="%",
                        hint="share of customer interactions scored negative",
                    ),
                    html.Div(id=ids.OVERVIEW_SEGMENTS_HOLDER, className="segment-holder"),
                ],
            ),
            html.Div(
                className="chart-grid",
                children=[
                    chart_card(
                        "Emotion mix over time",
                        "Share of customer interactions by primary emotion",
                        ids.OVERVIEW_EMOTION_MIX_GRAPH,
                    ),
                    chart_card(
                        "CSAT by emotion",
                        "Share of satisfied responses, by the customer's emotion",
                        ids.OVERVIEW_CSAT_BY_EMOTION_GRAPH,
                    ),
                ],
            ),
        ],
    )


@callback(
    Output(ids.OVERVIEW_KPI_NPS, "children"),
    Output(ids.OVERVIEW_KPI_NPS_COUNT, "children"),
    Output(ids.OVERVIEW_KPI_CSAT, "children"),
    Output(ids.OVERVIEW_KPI_CSAT_COUNT, "children"),
    Output(ids.OVERVIEW_KPI_NEGATIVE_SHARE, "children"),
    Output(ids.OVERVIEW_KPI_NEGATIVE_SHARE_COUNT, "children"),
    Output(ids.OVERVIEW_SEGMENTS_HOLDER, "children"),
    Output(ids.OVERVIEW_EMOTION_MIX_GRAPH, "figure"),
    Output(ids.OVERVIEW_CSAT_BY_EMOTION_GRAPH, "figure"),
    Output(ids.OVERVIEW_RANGE_LABEL, "children"),
    Output(ids.OVERVIEW_RANGE_LABEL, "title"),
    Input(ids.FILTERS_APPLIED, "data"),
)
def update_overview(applied: dict | None) -> tuple:
    if applied is None:  # the shared filters have not been resolved yet
        raise PreventUpdate
    filters = Filters.from_dict(applied)
    start, end = filters.start, filters.end
    range_title = f"{start.isoformat() if start else ''}/{end.isoformat() if end else ''}"
    label = f"{format_day(start) if start else 'first day'} – {format_day(end) if end else 'today'}"
    serving_db = current_serving_db()
    try:
        kpis = overview_kpis(data.kpi_totals(serving_db, filters))
        segments = data.segment_counts(serving_db, filters)
        grain = choose_grain(start, end)
        mix = emotion_mix_figure(data.emotion_mix(serving_db, filters, grain), grain)
        csat = csat_by_emotion_figure(data.csat_by_emotion(serving_db, filters))
    except ServingUnavailable:
        unavailable = empty_figure(NO_DATA_MESSAGE)
        return (
            *[NO_VALUE, ""] * 3,
            None,
            unavailable,
            unavailable,
            NO_DATA_MESSAGE,
            range_title,
        )
    counts = dict(zip(segments["segment"], segments["accounts"].astype(int), strict=True))
    return (
        kpis.nps,
        kpis.nps_count,
        kpis.csat,
        kpis.csat_count,
        kpis.negative_share,
        kpis.negative_share_count,
        segment_card(
            counts,
            segment_order(list(counts)),
            ids.overview_segment_kpi,
            panel_id=ids.OVERVIEW_SEGMENTS,
        ),
        mix,
        csat,
        f"{label} · {'weekly' if grain == 'week' else 'monthly'} trend",
        range_title,
    )
