"""Shared look of the charts: quiet grid, system fonts, no chart chrome."""

from __future__ import annotations

import plotly.graph_objects as go

FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
TEXT_COLOR = "#1f2937"
MUTED_COLOR = "#6b7280"
GRID_COLOR = "#e5e7eb"


def base_layout(fig: go.Figure, *, height: int = 360) -> go.Figure:
    """Apply the house style in place and return the figure."""
    fig.update_layout(
        height=height,
        margin={"l": 56, "r": 16, "t": 16, "b": 48},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        font={"family": FONT_FAMILY, "size": 13, "color": TEXT_COLOR},
        hoverlabel={"font": {"family": FONT_FAMILY}},
        legend={"orientation": "h", "yanchor": "top", "y": -0.14, "x": 0, "title": None},
    )
    fig.update_xaxes(showgrid=False, linecolor=GRID_COLOR, ticks="outside", tickcolor=GRID_COLOR)
    fig.update_yaxes(gridcolor=GRID_COLOR, zeroline=False)
    return fig


def empty_figure(message: str, *, height: int = 360) -> go.Figure:
    """A blank chart carrying a centred message (e.g. no data in the selected range).

    >>> empty_figure("No data").layout.annotations[0].text
    'No data'
    """
    fig = go.Figure()
    fig.add_annotation(
        text=message,
        showarrow=False,
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        font={"color": MUTED_COLOR, "size": 14},
    )
    base_layout(fig, height=height)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig
