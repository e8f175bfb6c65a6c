"""Voices: the latest texts customers wrote in the filtered view, masked by role.

Thin: the data layer (``dashboards.data.voices``) returns the rows already masked for the
signed-in user's role; this page only lays them out.
"""

from __future__ import annotations

import dash
from dash import Input, Output, callback, dcc, html
from dash.exceptions import PreventUpdate

from dashboards import ids
from dashboards.components.cards import (
    NO_DATA_MESSAGE,
    page_header,
    unpublished_panel,
)
from dashboards.components.filter_bar import user_policy
from dashboards.data import voices as data
from dashboards.data.connection import ServingUnavailable, is_published
from dashboards.data.privacy import HIDDEN_TEXT
from dashboards.filters import Filters
from dashboards.settings import current_serving_db

dash.register_page(
    __name__, path="/voices", name="Voices", title="Voices · Customer emotion", order=1
)

ROLE_NOTES = {
    "none": "Your role sees numbers and account names, not what people wrote.",
    "masked": "E-mail addresses, phone numbers and people's names are masked for your role.",
    "own_accounts": "You see the full text of your own accounts; other accounts' texts are hidden.",
    "full": "You see full texts.",
}


def layout(**_query_args: str) -> html.Div:
    serving_db = current_serving_db()
    if not is_published(serving_db):
        return unpublished_panel(serving_db, panel_id=ids.VOICES_NO_DATA)
    policy = user_policy()
    return html.Div(
        className="page voices",
        children=[
            page_header("Voices", ROLE_NOTES[policy.text]),
            html.Div(id=ids.VOICES_SUMMARY, className="kpi-count voices-summary"),
            html.Div(className="chart-card", children=html.Div(id=ids.VOICES_TABLE)),
        ],
    )


@callback(
    Output(ids.VOICES_TABLE, "children"),
    Output(ids.VOICES_SUMMARY, "children"),
    Input(ids.FILTERS_APPLIED, "data"),
)
def update_voices(applied: dict | None) -> tuple:
    if applied is None:
        raise PreventUpdate
    filters = Filters.from_dict(applied)
    serving_db = current_serving_db()
    try:
        rows = data.latest_texts(serving_db, filters, user_policy())
        counts = data.counts(serving_db, filters)
    except ServingUnavailable:
        return html.P(NO_DATA_MESSAGE), ""
    summary = f"{counts.texts:,} customer texts in this view; the latest {len(rows)} below."
    if counts.withheld:
        summary += (
            f" {counts.withheld:,} more are from contacts who opted out of analysis: "
            "counted, never shown."
        )
    if rows.empty:
        return html.P("No customer texts in this view.", className="kpi-count"), summary
    header = html.Tr(
        [html.Th(h) for h in ("When", "Account", "Owner", "Channel", "Emotion", "Text")]
    )
    body = [
        html.Tr(
            [
                html.Td(f"{row.occurred_at:%Y-%m-%d %H:%M}"),
                html.Td(dcc.Link(row.account, href=ids.account_href(row.account_id))),
                html.Td(row.owner),
                html.Td(str(row.channel).replace("_", " ")),
                html.Td(row.emotion or ""),
                html.Td(
                    [html.Strong(row.subject), html.Br()] + [row.text]
                    if row.subject and row.subject != HIDDEN_TEXT
                    else row.text,
                    className="text-body masked" if row.text == HIDDEN_TEXT else "text-body",
                ),
            ],
            id=f"voice-{row.interaction_id}",
        )
        for row in rows.itertuples(index=False)
    ]
    return html.Table([html.Thead(header), html.Tbody(body)], className="text-table"), summary
