"""Page headers, KPI cards, the segment panel, chart cards, paged tables and the no-data
message."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import plotly.graph_objects as go
from dash import dcc, html

from dashboards.metrics import NO_VALUE, segment_label

NO_DATA_MESSAGE = "No data published yet — run make pipeline"


def page_header(
    title: str,
    label: str,
    *,
    title_id: str | None = None,
    label_id: str | None = None,
    label_title: str | None = None,
    aside=None,
) -> html.Div:
    """A page's title, the line under it saying what the page's numbers cover, and what stands
    at its right (``aside``: e.g. downloads)."""
    heading = html.H1(title, **_with_id(title_id))
    extra = {"title": label_title} if label_title else {}
    said = html.Span(label, className="range-label", **_with_id(label_id), **extra)
    return html.Div(
        className="page-header",
        children=[html.Div([heading, said]), *([aside] if aside is not None else [])],
    )


def _with_id(component_id: str | None) -> dict:
    return {"id": component_id} if component_id else {}


def kpi_card(
    title: str,
    value_id: str,
    count_id: str,
    *,
    value: str = NO_VALUE,
    count: str = "",
    unit: str = "",
    hint: str = "",
) -> html.Div:
    """A headline number with its unit, the count it rests on underneath, and a short hint."""
    return html.Div(
        className="kpi-card",
        children=[
            html.Div(title, className="kpi-title"),
            html.Div(
                className="kpi-value-row",
                children=[
                    html.Span(value, id=value_id, className="kpi-value"),
                    html.Span(unit, className="kpi-unit") if unit else None,
                ],
            ),
            html.Div(count, id=count_id, className="kpi-count"),
            html.Div(hint, className="kpi-hint") if hint else None,
        ],
    )


def segment_card(
    counts: Mapping[str, int], order: Sequence[str], id_for: Callable[[str], str], *, panel_id: str
) -> html.Div:
    """Accounts per emotional segment, current state (account filters apply, dates do not)."""
    total = sum(counts.get(s, 0) for s in order)
    rows = []
    for segment in order:
        n = counts.get(segment, 0)
        share = 100 * n / total if total else 0.0
        rows.append(
            html.Div(
                className=f"segment-row segment-{segment}",
                children=[
                    html.Span(segment_label(segment), className="segment-name"),
                    html.Div(
                        className="segment-bar",
                        children=html.Div(
                            className="segment-bar-fill", style={"width": f"{share:.1f}%"}
                        ),
                    ),
                    html.Span(f"{n:,}", id=id_for(segment), className="segment-count"),
                ],
            )
        )
    return html.Div(
        id=panel_id,
        className="kpi-card segment-card",
        children=[
            html.Div(
                className="kpi-title",
                children=[
                    "Accounts by emotional segment",
                    html.Span("current · not by date", className="badge"),
                ],
            ),
            html.Div(rows, className="segment-rows"),
            html.Div(f"{total:,} accounts in total", className="kpi-count"),
        ],
    )


def chart_card(
    title: str,
    subtitle: str,
    graph_id: str,
    *,
    subtitle_id: str | None = None,
    figure: go.Figure | None = None,
) -> html.Div:
    """A titled card around one ``dcc.Graph``: its first ``figure``, later ones from a callback."""
    return html.Div(
        className="chart-card",
        children=[
            html.Div(title, className="chart-title"),
            html.Div(subtitle, id=subtitle_id, className="chart-subtitle")
            if subtitle_id
            else html.Div(subtitle, className="chart-subtitle"),
            dcc.Loading(
                dcc.Graph(
                    id=graph_id,
                    **({} if figure is None else {"figure": figure}),
                    config={"displaylogo": False, "displayModeBar": False, "responsive": True},
                ),
                type="dot",
                color="#4f8fd6",
                delay_show=300,
            ),
        ],
    )


def message_panel(message: str, detail: str = "", *, panel_id: str) -> html.Div:
    """A clear, friendly notice shown instead of the page's content."""
    return html.Div(
        id=panel_id,
        className="message-panel",
        children=[html.H2(message), html.P(detail) if detail else None],
    )


def unpublished_panel(serving_db, *, panel_id: str) -> html.Div:
    """The page's content while no snapshot has been published (every page says the same)."""
    return message_panel(
        NO_DATA_MESSAGE,
        f"The dashboard reads the published snapshot {serving_db}, which does not exist yet.",
        panel_id=panel_id,
    )


def paged_table(
    table, table_id: str, prev_id: str, label_id: str, next_id: str, *, page_label: str,
    prev_disabled: bool, next_disabled: bool, header: list | None = None,
) -> html.Div:  # fmt: skip
    """A card holding a server-paged table (under its ``header``, e.g. a title), with
    Previous / page label / Next under it."""
    return html.Div(
        className="chart-card",
        children=[
            *(header or []),
            html.Div(table, id=table_id),
            html.Div(
                className="pager",
                children=[
                    html.Button(
                        "← Previous", id=prev_id, disabled=prev_disabled, className="pager-button"
                    ),
                    html.Span(page_label, id=label_id, className="kpi-count"),
                    html.Button(
                        "Next →", id=next_id, disabled=next_disabled, className="pager-button"
                    ),
                ],
            ),
        ],
    )
