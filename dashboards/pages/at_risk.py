"""At risk: accounts ranked by churn risk, why, what they are worth, and what to do next.

Thin: the rows come sorted, paged and masked from ``dashboards.data.risk``; this page lays them
out. The shared account filters (segment, plan, region, lifecycle stage, owner) apply and live in
the URL; the list is the current state, so the date range and channel do not apply. Sorting and
the page number are the page's own (``at-risk-view`` store, which also holds the filters shown),
reset when the filters change. The layout renders the URL's view, so the numbers arrive with the
page; the callback renders again only on a click or when the applied filters differ.
"""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import urlencode

import dash
import flask
import pandas as pd
from dash import ALL, Input, Output, State, callback, ctx, dcc, html
from dash.exceptions import PreventUpdate

from dashboards import ids
from dashboards.components.cards import (
    NO_DATA_MESSAGE,
    kpi_card,
    page_header,
    paged_table,
    unpublished_panel,
)
from dashboards.components.filter_bar import filters_for_url, user_policy
from dashboards.data import risk as data
from dashboards.data.connection import ServingUnavailable, is_published
from dashboards.filters import Filters
from dashboards.metrics import NO_VALUE, format_count
from dashboards.risk_text import format_money
from dashboards.settings import current_serving_db
from dashboards.table_view import NEXT, PREVIOUS, next_view

dash.register_page(
    __name__, path="/at-risk", name="At risk", title="At risk · Customer emotion", order=2
)

# (sort key or None, header) in display order; a key makes the header a sort button.
HEADERS = (
    ("account", "Account"),
    ("risk", "Churn risk"),
    (None, "Why"),
    ("health", "Health"),
    ("mrr", "MRR"),
    ("renewal", "Renewal"),
    (None, "Owner"),
    (None, "Emotion now"),
    (None, "Recommended action"),
)
DEFAULT_VIEW = {"sort": data.DEFAULT_SORT[0], "descending": data.DEFAULT_SORT[1], "page": 0}


STARTING_WEIGHTS_NOTE = (
    "These risks come from the starting weights that people set (dbt seed "
    "churn_risk_prior_weights): this warehouse does not yet hold enough churned accounts with a "
    "known outcome for the model to learn its own. Once it does, the score is fitted on your "
    "history and checked on the Risk score page."
)


def layout(**query_args: str) -> html.Div:
    serving_db = current_serving_db()
    if not is_published(serving_db):
        return unpublished_panel(serving_db, panel_id=ids.AT_RISK_NO_DATA)
    own = user_policy().only_owner is not None
    shown = _render(filters_for_url("?" + urlencode(query_args, doseq=True)), DEFAULT_VIEW)
    return html.Div(
        className="page at-risk",
        children=[
            page_header(
                "At risk",
                "Current state: account filters apply; the date range and channel do not."
                + (" Your own accounts only." if own else ""),
            ),
            html.Div(
                className="kpi-grid",
                children=[
                    kpi_card(
                        "At-risk MRR",
                        ids.AT_RISK_MRR,
                        ids.AT_RISK_MRR_COUNT,
                        value=shown.at_risk_mrr,
                        count=shown.at_risk_mrr_count,
                        hint="monthly revenue of the accounts in the high churn-risk band",
                    ),
                    kpi_card(
                        "Accounts at high risk",
                        ids.AT_RISK_ACCOUNTS,
                        ids.AT_RISK_ACCOUNTS_COUNT,
                        value=shown.at_risk_accounts,
                        count=shown.accounts_count,
                        hint="churn within 90 days likely enough to act now",
                    ),
                ],
            ),
            html.P(shown.model_note, id=ids.AT_RISK_MODEL_NOTE, className="filter-notice"),
            dcc.Store(id=ids.AT_RISK_VIEW, data=shown.view),
            paged_table(
                shown.table,
                ids.AT_RISK_TABLE,
                ids.AT_RISK_PREV,
                ids.AT_RISK_PAGE_LABEL,
                ids.AT_RISK_NEXT,
                page_label=shown.page_label,
                prev_disabled=shown.prev_disabled,
                next_disabled=shown.next_disabled,
            ),
        ],
    )


class AtRiskView(NamedTuple):
    """Everything the page shows for one view, in the callback's output order."""

    table: html.Table | html.P
    at_risk_mrr: str
    at_risk_mrr_count: str
    at_risk_accounts: str
    accounts_count: str
    page_label: str
    prev_disabled: bool
    next_disabled: bool
    model_note: str
    view: dict  # sort, descending, page, and the filters shown (Filters.as_dict())


def _render(filters: Filters, view: dict) -> AtRiskView:
    view = {**view, "filters": filters.as_dict()}
    try:
        result = data.at_risk_page(
            current_serving_db(),
            flask.current_app.config["APP_STATE_DB"],
            filters,
            user_policy(),
            sort=view["sort"],
            descending=view["descending"],
            page=view["page"],
        )
    except ServingUnavailable:
        return AtRiskView(
            html.P(NO_DATA_MESSAGE), NO_VALUE, "", NO_VALUE, "", "", True, True, "", view
        )
    view = {**view, "page": result.page}
    summary = result.summary
    share = 100 * summary.at_risk_mrr / summary.mrr if summary.mrr else 0.0
    return AtRiskView(
        table=_table(result.rows, view),
        at_risk_mrr=format_money(summary.at_risk_mrr),
        at_risk_mrr_count=f"{share:.1f}% of {format_money(summary.mrr)} MRR in this view",
        at_risk_accounts=f"{summary.at_risk_accounts:,}",
        accounts_count=f"of {format_count(summary.accounts, 'account')} in this view",
        page_label=f"Page {result.page + 1} of {result.pages}",
        prev_disabled=result.page == 0,
        next_disabled=result.page >= result.pages - 1,
        model_note=STARTING_WEIGHTS_NOTE if summary.starting_weights else "",
        view=view,
    )


@callback(
    Output(ids.AT_RISK_TABLE, "children"),
    Output(ids.AT_RISK_MRR, "children"),
    Output(ids.AT_RISK_MRR_COUNT, "children"),
    Output(ids.AT_RISK_ACCOUNTS, "children"),
    Output(ids.AT_RISK_ACCOUNTS_COUNT, "children"),
    Output(ids.AT_RISK_PAGE_LABEL, "children"),
    Output(ids.AT_RISK_PREV, "disabled"),
    Output(ids.AT_RISK_NEXT, "disabled"),
    Output(ids.AT_RISK_MODEL_NOTE, "children"),
    Output(ids.AT_RISK_VIEW, "data"),
    Input(ids.FILTERS_APPLIED, "data"),
    Input({"type": ids.AT_RISK_SORT, "column": ALL}, "n_clicks"),
    Input(ids.AT_RISK_PREV, "n_clicks"),
    Input(ids.AT_RISK_NEXT, "n_clicks"),
    State(ids.AT_RISK_VIEW, "data"),
)
def update_at_risk(applied: dict | None, _sorts, _prev, _next, view: dict | None) -> tuple:
    if applied is None:
        raise PreventUpdate
    view = {**DEFAULT_VIEW, **(view or {})}
    filters = Filters.from_dict(applied)
    trigger = ctx.triggered_id
    if isinstance(trigger, dict):
        if not ctx.triggered[0]["value"]:
            raise PreventUpdate  # a header button was (re)drawn, not clicked
        clicked = trigger.get("column")
    else:
        clicked = {ids.AT_RISK_NEXT: NEXT, ids.AT_RISK_PREV: PREVIOUS}.get(trigger)
        if clicked is None and filters == Filters.from_dict(view.get("filters")):
            raise PreventUpdate  # the layout already shows these filters
    return _render(filters, next_view(view, clicked, data.SORTS, ascending_first=("account",)))


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, list) and bool(pd.isna(value)))


def _header(key: str | None, label: str, view: dict) -> html.Th:
    if key is None:
        return html.Th(label)
    arrow = ""
    if view["sort"] == key:
        arrow = " ↓" if view["descending"] else " ↑"
    return html.Th(
        html.Button(
            label + arrow,
            id={"type": ids.AT_RISK_SORT, "column": key},
            className="sort-button active" if arrow else "sort-button",
            title=f"Sort by {label.lower()}",
        )
    )


def _health_cell(row) -> html.Td:
    """The health applied; a person's override is marked, and its details are on the Account page."""
    if _missing(row.health):
        return html.Td(NO_VALUE)
    shown = f"{row.health:.0f} · {str(row.health_band).replace('_', ' ')}"
    if not row.health_overridden:
        return html.Td(shown)
    return html.Td(
        [shown, html.Span(" overridden", className="badge")],
        title="Set by a person; the computed score and why are on the Account page",
    )


def _table(rows, view: dict) -> html.Table | html.P:
    if rows.empty:
        return html.P("No accounts in this view.", className="kpi-count")
    header = html.Tr([_header(key, label, view) for key, label in HEADERS])
    body = []
    for row in rows.itertuples(index=False):
        body.append(
            html.Tr(
                id=f"at-risk-row-{row.account_id}",
                className=f"risk-{row.churn_risk_band}",
                children=[
                    html.Td(dcc.Link(row.account, href=ids.account_href(row.account_id))),
                    html.Td(
                        [
                            html.Span(f"{row.churn_risk:.0f}", className="risk-score"),
                            html.Span(f" {row.churn_risk_band}", className="badge"),
                        ]
                    ),
                    html.Td(html.Ul([html.Li(r) for r in row.reasons]) if row.reasons else ""),
                    _health_cell(row),
                    html.Td(format_money(row.mrr), className="number"),
                    html.Td(
                        NO_VALUE if _missing(row.renewal_date) else f"{row.renewal_date:%Y-%m-%d}"
                    ),
                    html.Td(NO_VALUE if _missing(row.owner) else row.owner),
                    html.Td(NO_VALUE if _missing(row.current_emotion) else row.current_emotion),
                    html.Td(
                        NO_VALUE
                        if _missing(row.recommended_action)
                        else row.recommended_action
                        + (f" (+{row.open_actions - 1} more)" if row.open_actions > 1 else "")
                    ),
                ],
            )
        )
    return html.Table([html.Thead(header), html.Tbody(body)], className="text-table risk-table")
