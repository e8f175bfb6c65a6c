"""Overview: emotional health at a glance for a date range.

Thin by design: queries live in ``dashboards.data``, charts in ``dashboards.figures``, KPI
arithmetic and formatting in ``dashboards.metrics``. Nothing is read at import: the layout is a
function, evaluated per page load, and the callback queries per filter change.
"""

from __future__ import annotations

from datetime import date

import dash
from dash import Input, Output, callback, dcc, html

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
        segments = data.segment_counts(serving_db)
    except ServingUnavailable as exc:
        return message_panel(NO_DATA_MESSAGE, str(exc), panel_id=ids.OVERVIEW_NO_DATA)
    if first_day is None or last_day is None:
        return message_panel(
            NO_DATA_MESSAGE,
            "The published snapshot holds no interactions or survey responses yet.",
            panel_id=ids.OVERVIEW_NO_DATA,
        )

    counts = dict(zip(segments["segment"], segments["accounts"].astype(int), strict=True))
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
                    html.Div(
                        className="filter",
                        children=[
                            html.Label("Date range", htmlFor=ids.OVERVIEW_DATE_START_INPUT),
                            dcc.DatePickerRange(
                                id=ids.OVERVIEW_DATE_RANGE,
                                start_date_id=ids.OVERVIEW_DATE_START_INPUT,
                                end_date_id=ids.OVERVIEW_DATE_END_INPUT,
                                min_date_allowed=first_day,
                                max_date_allowed=last_day,
                                start_date=first_day,
                                end_date=last_day,
                                initial_visible_month=last_day,
                                display_format="YYYY-MM-DD",
                                first_day_of_week=1,
                                updatemode="bothdates",
                            ),
                        ],
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
                    segment_card(
                        counts,
                        segment_order(list(counts)),
                        ids.overview_segment_kpi,
                        panel_id=ids.OVERVIEW_SEGMENTS,
                    ),
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
    Output(ids.OVERVIEW_EMOTION_MIX_GRAPH, "figure"),
    Output(ids.OVERVIEW_CSAT_BY_EMOTION_GRAPH, "figure"),
    Output(ids.OVERVIEW_RANGE_LABEL, "children"),
    Output(ids.OVERVIEW_RANGE_LABEL, "title"),
    Input(ids.OVERVIEW_DATE_RANGE, "start_date"),
    Input(ids.OVERVIEW_DATE_RANGE, "end_date"),
)
def update_overview(start_date: str | None, end_date: str | None) -> tuple:
    start, end = _parse_day(start_date), _parse_day(end_date)
    applied = f"{start.isoformat() if start else ''}/{end.isoformat() if end else ''}"
    label = f"{format_day(start) if start else 'first day'} – {format_day(end) if end else 'today'}"
    serving_db = current_serving_db()
    try:
        kpis = overview_kpis(data.kpi_totals(serving_db, start, end))
        grain = choose_grain(start, end)
        mix = emotion_mix_figure(data.emotion_mix(serving_db, start, end, grain), grain)
        csat = csat_by_emotion_figure(data.csat_by_emotion(serving_db, start, end))
    except ServingUnavailable:
        unavailable = empty_figure(NO_DATA_MESSAGE)
        return (*[NO_VALUE, ""] * 3, unavailable, unavailable, NO_DATA_MESSAGE, applied)
    return (
        kpis.nps,
        kpis.nps_count,
        kpis.csat,
        kpis.csat_count,
        kpis.negative_share,
        kpis.negative_share_count,
        mix,
        csat,
        f"{label} · {'weekly' if grain == 'week' else 'monthly'} trend",
        applied,
    )


def _parse_day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None
