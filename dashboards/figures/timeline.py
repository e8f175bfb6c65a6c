"""One account's emotional timeline: weekly sentiment with emotion-coloured markers, and the
events of the same weeks (surveys, tickets, demos, stage changes) in lanes underneath.

Pure: the weekly rows and events (``dashboards.data.account.timeline``) in, a plotly figure out,
as a plain dict: plotly's validating objects cost a page ~100 ms per chart; a dict costs none.
The session pack draws the same picture as static SVG (``figures.timeline_svg``) from the same
:func:`points` and :data:`EVENT_LANES`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboards.figures.colors import emotion_color, emotion_order
from dashboards.figures.theme import MUTED_COLOR, empty_figure, layout

# Event lanes, top to bottom, with the marker each uses.
EVENT_LANES = {
    "survey": ("Surveys", "diamond", "#4f8fd6"),
    "ticket": ("Tickets", "square", "#e8743b"),
    "demo": ("Demos", "star", "#1a9e77"),
    "stage": ("Stage", "triangle-right", "#1f3a5f"),
}
NO_TIMELINE = "No weekly timeline for this account yet"
# Days shown before the first week with messages: an account's stage history often goes back
# years before the messages a CRM export holds, and would squeeze them into a corner.
LEAD_IN_DAYS = 28


@dataclass(frozen=True)
class WeekPoint:
    week_start: pd.Timestamp
    sentiment: float
    emotion: str
    messages: int
    hover: str


def points(weeks: pd.DataFrame) -> list[WeekPoint]:
    """The weeks with a mean sentiment, each with its dominant emotion and what it rests on.

    >>> frame = pd.DataFrame({"week_start": [pd.Timestamp("2024-03-04")], "mean_sentiment": [-0.4],
    ...     "dominant_emotion": ["frustration"], "customer_messages": [3],
    ...     "dominant_source": ["human"], "dominant_confidence": [3], "trajectory": [None]})
    >>> p = points(frame)[0]; (p.emotion, p.messages, "tagged by a person" in p.hover)
    ('frustration', 3, True)
    """
    out = []
    if weeks.empty or "mean_sentiment" not in weeks:
        return out
    for row in weeks.itertuples(index=False):
        sentiment = getattr(row, "mean_sentiment", None)
        if sentiment is None or pd.isna(sentiment):
            continue
        emotion = getattr(row, "dominant_emotion", None) or "neutral"
        messages = int(getattr(row, "customer_messages", 0) or 0)
        source = getattr(row, "dominant_source", None)
        confidence = getattr(row, "dominant_confidence", None)
        trajectory = getattr(row, "trajectory", None)
        week = pd.Timestamp(row.week_start)
        lines = [
            f"week of {week:%-d %b %Y}",
            f"{emotion}"
            + (" · tagged by a person" if source == "human" else "")
            + (f" · rests on {int(confidence)} messages" if _present(confidence) else ""),
            f"mean sentiment {float(sentiment):+.2f} · {messages} customer messages",
        ]
        if _present(trajectory):
            lines.append(str(trajectory))
        out.append(WeekPoint(week, float(sentiment), emotion, messages, "<br>".join(lines)))
    return out


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value))


def marker_size(messages: int) -> float:
    """Bigger markers for weeks with more messages (6 px for one, 16 px from 20 on).

    >>> marker_size(1), marker_size(50)
    (6.5, 16.0)
    """
    return min(16.0, 6.0 + messages * 0.5)


def _iso(stamp: object) -> str:
    return pd.Timestamp(stamp).isoformat()


def shown_window(
    week_points: list[WeekPoint], events: pd.DataFrame
) -> tuple[list[str] | None, int]:
    """The time axis's first view: from a little before the first week with messages to the
    latest week or event, and how many events lie before it (a double click shows them all).
    None (the whole span) when there are no weeks.

    >>> weeks = [WeekPoint(pd.Timestamp("2025-05-05"), 0.1, "neutral", 1, "")]
    >>> events = pd.DataFrame({"at": pd.to_datetime(["2022-09-08", "2025-09-23", "2025-10-01"])})
    >>> shown_window(weeks, events)
    (['2025-04-07T00:00:00', '2025-10-08T00:00:00'], 1)
    """
    if not week_points:
        return None, 0
    start = min(p.week_start for p in week_points) - pd.Timedelta(days=LEAD_IN_DAYS)
    at = pd.to_datetime(events["at"]) if not events.empty else pd.Series(dtype="datetime64[ns]")
    end = max([max(p.week_start for p in week_points), *at]) + pd.Timedelta(days=7)
    return [_iso(start), _iso(end)], int((at < start).sum())


def timeline_figure(weeks: pd.DataFrame, events: pd.DataFrame, *, height: int = 420) -> dict:
    """Sentiment per week (top) and the events (bottom lanes) on one shared time axis."""
    week_points = points(weeks)
    if not week_points and events.empty:
        return empty_figure(NO_TIMELINE, height=height).to_dict()
    window, earlier = shown_window(week_points, events)
    traces: list[dict] = []
    if week_points:
        traces.append(
            dict(
                type="scatter",
                x=[_iso(p.week_start) for p in week_points],
                y=[p.sentiment for p in week_points],
                mode="lines",
                line={"color": "#9ca3af", "width": 1.5},
                name="mean sentiment",
                hoverinfo="skip",
                showlegend=False,
            )
        )
        for emotion in emotion_order([p.emotion for p in week_points]):
            chosen = [p for p in week_points if p.emotion == emotion]
            traces.append(
                dict(
                    type="scatter",
                    x=[_iso(p.week_start) for p in chosen],
                    y=[p.sentiment for p in chosen],
                    mode="markers",
                    name=emotion,
                    marker={
                        "color": emotion_color(emotion),
                        "size": [marker_size(p.messages) for p in chosen],
                        "line": {"color": "#ffffff", "width": 1},
                    },
                    text=[p.hover for p in chosen],
                    hovertemplate="%{text}<extra></extra>",
                )
            )
    for kind, (lane, symbol, color) in EVENT_LANES.items():
        chosen = events[events["kind"] == kind] if not events.empty else events
        if chosen.empty:
            continue
        traces.append(
            dict(
                type="scatter",
                x=[_iso(at) for at in chosen["at"]],
                y=[lane] * len(chosen),
                yaxis="y2",
                mode="markers",
                name=lane.lower(),
                showlegend=False,
                marker={"symbol": symbol, "size": 11, "color": color},
                text=list(chosen["label"]),
                hovertemplate="%{x|%-d %b %Y}: %{text}<extra></extra>",
            )
        )
    stage_lines = [
        {
            "type": "line",
            "xref": "x",
            "yref": "paper",
            "x0": _iso(at),
            "x1": _iso(at),
            "y0": 0,
            "y1": 1,
            "line": {"color": MUTED_COLOR, "width": 1, "dash": "dot"},
        }
        for at in (events.loc[events["kind"] == "stage", "at"] if not events.empty else [])
    ]
    return dict(
        data=traces,
        layout=layout(
            height=height,
            margin={"l": 64, "r": 16, "t": 8, "b": 40},
            xaxis={"anchor": "y2", "type": "date", **({"range": window} if window else {})},
            yaxis={
                "domain": [0.36, 1.0],
                "range": [-1.05, 1.05],
                "title": {"text": "sentiment"},
                "zeroline": True,
                "zerolinecolor": "#d1d5db",
            },
            yaxis2={
                "domain": [0.0, 0.26],
                "type": "category",
                "categoryorder": "array",
                "categoryarray": [lane for lane, _, _ in reversed(EVENT_LANES.values())],
                "range": [-0.5, len(EVENT_LANES) - 0.5],
                "showgrid": True,
                "gridcolor": "#f3f4f6",
            },
            legend={"orientation": "h", "y": 1.08, "yanchor": "bottom", "x": 0},
            shapes=stage_lines,
            annotations=[_earlier_note(earlier)] if earlier else [],
            hovermode="closest",
        ),
    )


def _earlier_note(earlier: int) -> dict:
    return {
        "text": f"← {earlier} earlier event{'' if earlier == 1 else 's'} (double-click to see all)",
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": 0.3,
        "xanchor": "left",
        "showarrow": False,
        "font": {"size": 11, "color": MUTED_COLOR},
    }
