"""Overview: emotional health at a glance for a date range.

Thin by design: queries live in ``dashboards.data``, charts in ``dashboards.figures``, KPI
arithmetic and formatting in ``dashboards.metrics``. Nothing is read at import. The layout renders
the view the URL's filters ask for, so the numbers arrive with the page; the callback renders it
again only when the applied filters differ from what is shown.
"""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import urlencode

import dash
import plotly.graph_objects as go
from dash import Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from dashboards import ids
from dashboards.components.cards import (
    NO_DATA_MESSAGE,
    chart_card,
    kpi_card,
    message_panel,
    page_header,
    segment_card,
    unpublished_panel,
)
from dashboards.components.filter_bar import filters_for_url
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


def layout(**query_args: str) -> html.Div:
    serving_db = current_serving_db()
    if not is_published(serving_db):
        return unpublished_panel(serving_db, panel_id=ids.OVERVIEW_NO_DATA)
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

    view = _view(filters_for_url("?" + urlencode(query_args, doseq=True)))
    return html.Div(
        className="page overview",
        children=[
            dcc.Store(id=ids.OVERVIEW_SHOWN_FILTERS, data=view.filters),
            page_header(
                "Overview",
                view.range_label,
                label_id=ids.OVERVIEW_RANGE_LABEL,
                label_title=view.range_title,
            ),
            html.Div(
                className="kpi-grid",
                children=[
                    kpi_card(
                        "Net Promoter Score",
                        ids.OVERVIEW_KPI_NPS,
                        ids.OVERVIEW_KPI_NPS_COUNT,
                        value=view.nps,
                        count=view.nps_count,
                        hint="% promoters (9–10) − % detractors (0–6)",
                    ),
                    kpi_card(
                        "CSAT",
                        ids.OVERVIEW_KPI_CSAT,
                        ids.OVERVIEW_KPI_CSAT_COUNT,
                        value=view.csat,
                        count=view.csat_count,
                        unit="%",
                        hint="share of satisfied survey responses",
                    ),
                    kpi_card(
                        "Negative interactions",
                        ids.OVERVIEW_KPI_NEGATIVE_SHARE,
                        ids.OVERVIEW_KPI_NEGATIVE_SHARE_COUNT,
                        value=view.negative_share,
                        count=view.negative_share_count,
                        unit="%",
                        hint="share of customer interactions scored negative",
                    ),
                    html.Div(
                        view.segments, id=ids.OVERVIEW_SEGMENTS_HOLDER, className="segment-holder"
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
                        figure=view.emotion_mix,
                    ),
                    chart_card(
                        "CSAT by emotion",
                        "Share of satisfied responses, by the customer's emotion",
                        ids.OVERVIEW_CSAT_BY_EMOTION_GRAPH,
                        figure=view.csat_by_emotion,
                    ),
                ],
            ),
        ],
    )


class OverviewView(NamedTuple):
    """Everything the Overview shows for one set of applied filters, in the callback's order."""

    filters: dict  # Filters.as_dict() of what the numbers use
    nps: str
    nps_count: str
    csat: str
    csat_count: str
    negative_share: str
    negative_share_count: str
    segments: html.Div | None
    emotion_mix: go.Figure
    csat_by_emotion: go.Figure
    range_label: str
    range_title: str


def _view(filters: Filters) -> OverviewView:
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
        return OverviewView(
            filters.as_dict(),
            *[NO_VALUE, ""] * 3,
            None,
            unavailable,
            unavailable,
            NO_DATA_MESSAGE,
            range_title,
        )
    counts = dict(zip(segments["segment"], segments["accounts"].astype(int), strict=True))
    return OverviewView(
        filters=filters.as_dict(),
        nps=kpis.nps,
        nps_count=kpis.nps_count,
        csat=kpis.csat,
        csat_count=kpis.csat_count,
        negative_share=kpis.negative_share,
        negative_share_count=kpis.negative_share_count,
        segments=segment_card(
            counts,
            segment_order(list(counts)),
            ids.overview_segment_kpi,
            panel_id=ids.OVERVIEW_SEGMENTS,
        ),
        emotion_mix=mix,
        csat_by_emotion=csat,
        range_label=f"{label} · {'weekly' if grain == 'week' else 'monthly'} trend",
        range_title=range_title,
    )


@callback(
    Output(ids.OVERVIEW_SHOWN_FILTERS, "data"),
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
    State(ids.OVERVIEW_SHOWN_FILTERS, "data"),
)
def update_overview(applied: dict | None, shown: dict | None) -> tuple:
    # None: the shared filters are not resolved yet; equal: the layout already shows them.
    if applied is None or Filters.from_dict(applied) == Filters.from_dict(shown):
        raise PreventUpdate
    return _view(Filters.from_dict(applied))
