"""Shared look of the charts: quiet grid, system fonts, no chart chrome."""

from __future__ import annotations

import plotly.graph_objects as go

FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
TEXT_COLOR = "#1f2937"
MUTED_COLOR = "#6b7280"
GRID_COLOR = "#e5e7eb"


# For charts with an x-axis title: the legend goes above the plot (the default sits where the title is).
LEGEND_ABOVE: dict = {"legend": {"yanchor": "bottom", "y": 1.02}, "margin": {"t": 40}}


def layout(*, height: int = 360, **overrides: object) -> dict:
    """The house style as a layout dict, with ``overrides`` merged in (dicts merged one level).

    Figures are built in one go from such a dict: plotly's ``update_*`` calls cost tens of
    milliseconds per chart, a large share of a callback.

    >>> layout(height=200, xaxis={"range": [0, 1]})["xaxis"]["range"], layout()["height"]
    ([0, 1], 360)
    """
    base: dict = {
        "height": height,
        "margin": {"l": 56, "r": 16, "t": 16, "b": 48},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "font": {"family": FONT_FAMILY, "size": 13, "color": TEXT_COLOR},
        "hoverlabel": {"font": {"family": FONT_FAMILY}},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.14, "x": 0, "title": None},
        "xaxis": {
            "showgrid": False,
            "linecolor": GRID_COLOR,
            "ticks": "outside",
            "tickcolor": GRID_COLOR,
        },
        "yaxis": {"gridcolor": GRID_COLOR, "zeroline": False},
    }
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            base[key] = {**base[key], **value}
        else:
            base[key] = value
    return base


def base_layout(fig: go.Figure, *, height: int = 360) -> go.Figure:
    """Apply the house style in place and return the figure."""
    fig.update_layout(layout(height=height))
    return fig


def empty_figure(message: str, *, height: int = 360) -> go.Figure:
    """A blank chart carrying a centred message (e.g. no data in the selected range).

    >>> empty_figure("No data").layout.annotations[0].text
    'No data'
    """
    annotation = {
        "text": message,
        "showarrow": False,
        "xref": "paper",
        "yref": "paper",
        "x": 0.5,
        "y": 0.5,
        "font": {"color": MUTED_COLOR, "size": 14},
    }
    return go.Figure(
        layout=layout(
            height=height,
            annotations=[annotation],
            xaxis={"visible": False},
            yaxis={"visible": False},
        )
    )
