"""Actions: the open queue of recommended next steps; people decide, and take it to their CRM.

Thin: rows come paged and masked from ``dashboards.data.actions``, which also records decisions
in the app state (done, dismissed, snoozed until a day, each with an optional note). A decided
action leaves the queue at once; the next pipeline run reads the decision back, and the action
stays decided until its evidence changes. Decided actions are listed under the queue with their
decision, note, who and when, and can be reopened (open again at once, and after the next run).
The open queue of the view downloads as a CSV shaped for HubSpot's task import or Salesforce's
Tasks.
"""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import urlencode

import dash
import flask
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboards import ids
from dashboards.auth import current_user
from dashboards.components.cards import (
    NO_DATA_MESSAGE,
    page_header,
    paged_table,
    unpublished_panel,
)
from dashboards.components.filter_bar import filters_for_url, user_policy
from dashboards.data import actions as data
from dashboards.data.connection import ServingUnavailable, is_published
from dashboards.filters import Filters, parse_day
from dashboards.metrics import format_count
from dashboards.settings import current_serving_db
from dashboards.table_view import NEXT, PREVIOUS, next_view

dash.register_page(
    __name__, path="/actions", name="Actions", title="Actions · Customer emotion", order=3
)

DECISION_BUTTONS = {
    ids.ACTIONS_DONE: "done",
    ids.ACTIONS_DISMISS: "dismissed",
    ids.ACTIONS_SNOOZE: "snoozed",
}
DECIDED_WORDS = {"done": "marked done", "dismissed": "dismissed", "snoozed": "snoozed"}
DECISION_LABELS = {
    "done": "Done",
    "dismissed": "Dismissed",
    "snoozed": "Snoozed",
    "reopened": "Reopened",
}


def layout(**query_args: str) -> html.Div:
    serving_db = current_serving_db()
    if not is_published(serving_db):
        return unpublished_panel(serving_db, panel_id=ids.ACTIONS_NO_DATA)
    own = user_policy().only_owner is not None
    filters = filters_for_url("?" + urlencode(query_args, doseq=True))
    shown = _render(filters, 0)
    return html.Div(
        className="page actions",
        children=[
            page_header(
                "Actions",
                "Open recommended steps, highest priority first. Account filters apply; the "
                "date range and channel do not." + (" Your own accounts only." if own else ""),
                aside=html.Div(
                    className="export-buttons",
                    children=[
                        html.Button(
                            "Download for HubSpot (tasks CSV)",
                            id=ids.ACTIONS_EXPORT_HUBSPOT,
                            className="pager-button",
                        ),
                        html.Button(
                            "Download for Salesforce (Tasks CSV)",
                            id=ids.ACTIONS_EXPORT_SALESFORCE,
                            className="pager-button",
                        ),
                        dcc.Download(id=ids.ACTIONS_DOWNLOAD),
                    ],
                ),
            ),
            html.Div(shown.summary, id=ids.ACTIONS_SUMMARY, className="kpi-count"),
            dcc.Store(id=ids.ACTIONS_PAGE, data=shown.view),
            dcc.Store(id=ids.ACTIONS_SELECTED),
            dcc.Store(id=ids.ACTIONS_DECIDED, data=0),
            html.Div(
                id=ids.ACTIONS_PANEL,
                className="chart-card decision-panel",
                hidden=True,
                children=[
                    html.Div(id=f"{ids.ACTIONS_PANEL}-title", className="chart-title"),
                    html.Label("Note (optional)", htmlFor=ids.ACTIONS_NOTE),
                    dcc.Textarea(
                        id=ids.ACTIONS_NOTE, maxLength=data.MAX_NOTE_LENGTH, className="note"
                    ),
                    html.Label("Snooze until (YYYY-MM-DD)", htmlFor=ids.ACTIONS_SNOOZE_UNTIL),
                    dcc.Input(
                        id=ids.ACTIONS_SNOOZE_UNTIL,
                        type="text",
                        placeholder="YYYY-MM-DD",
                        autoComplete="off",
                        className="date-input",
                    ),
                    html.Div(
                        className="decision-buttons",
                        children=[
                            html.Button("Done", id=ids.ACTIONS_DONE, className="pager-button"),
                            html.Button(
                                "Dismiss", id=ids.ACTIONS_DISMISS, className="pager-button"
                            ),
                            html.Button("Snooze", id=ids.ACTIONS_SNOOZE, className="pager-button"),
                        ],
                    ),
                ],
            ),
            html.Div(id=ids.ACTIONS_MESSAGE, className="filter-notice", role="status"),
            paged_table(
                shown.table,
                ids.ACTIONS_TABLE,
                ids.ACTIONS_PREV,
                ids.ACTIONS_PAGE_LABEL,
                ids.ACTIONS_NEXT,
                page_label=shown.page_label,
                prev_disabled=shown.prev_disabled,
                next_disabled=shown.next_disabled,
            ),
            _decided_card(_render_decided(filters, 0)),
        ],
    )


def _context() -> tuple:
    return current_serving_db(), flask.current_app.config["APP_STATE_DB"], user_policy()


class ListView(NamedTuple):
    """One page of a paged list (the queue, the decided), in its callback's output order."""

    table: html.Table | html.P
    summary: str
    page_label: str
    prev_disabled: bool
    next_disabled: bool
    view: dict  # the page, and the filters shown (Filters.as_dict())


def _list_view(
    filters: Filters, table, summary: str = "", page: int = 0, pages: int = 0
) -> ListView:
    """A list's page as shown (``pages`` 0: no data, nothing to turn)."""
    return ListView(
        table=table,
        summary=summary,
        page_label=f"Page {page + 1} of {pages}" if pages else "",
        prev_disabled=page == 0,
        next_disabled=page >= pages - 1,
        view={"page": page, "filters": filters.as_dict()},
    )


def _render(filters: Filters, page: int) -> ListView:
    serving_db, state_db, policy = _context()
    try:
        queue = data.open_queue(serving_db, state_db, filters, policy, page=page)
    except ServingUnavailable:
        return _list_view(filters, html.P(NO_DATA_MESSAGE))
    last = data.last_decisions(state_db, list(queue.rows["action_id"]), policy)
    summary = (
        f"{format_count(queue.actions, 'open action')} for "
        f"{format_count(queue.accounts, 'account')} in this view."
    )
    return _list_view(filters, _table(queue.rows, last), summary, queue.page, queue.pages)


@callback(
    Output(ids.ACTIONS_TABLE, "children"),
    Output(ids.ACTIONS_SUMMARY, "children"),
    Output(ids.ACTIONS_PAGE_LABEL, "children"),
    Output(ids.ACTIONS_PREV, "disabled"),
    Output(ids.ACTIONS_NEXT, "disabled"),
    Output(ids.ACTIONS_PAGE, "data"),
    Input(ids.FILTERS_APPLIED, "data"),
    Input(ids.ACTIONS_PREV, "n_clicks"),
    Input(ids.ACTIONS_NEXT, "n_clicks"),
    Input(ids.ACTIONS_DECIDED, "data"),
    State(ids.ACTIONS_PAGE, "data"),
)
def update_queue(applied: dict | None, _prev, _next, _decided, view: dict | None) -> tuple:
    if applied is None:
        raise PreventUpdate
    filters = Filters.from_dict(applied)
    return _render(filters, _page_after(ids.ACTIONS_PREV, ids.ACTIONS_NEXT, filters, view))


def _page_after(prev_id: str, next_id: str, filters: Filters, view: dict | None) -> int:
    """The page of a paged list after what triggered its callback: Previous / Next turn it, a
    decision keeps it (the data layer clamps it), new filters go back to the first; the filters
    already shown stop the callback (the layout drew them)."""
    view = view or {"page": 0}
    clicked = {next_id: NEXT, prev_id: PREVIOUS}.get(ctx.triggered_id)
    if clicked is not None:
        return next_view(view, clicked, ())["page"]
    if ctx.triggered_id == ids.ACTIONS_DECIDED:
        return int(view.get("page") or 0)
    if filters == Filters.from_dict(view.get("filters")):
        raise PreventUpdate
    return 0


def _said(decision) -> str:
    """A decision in words: what, until when, who, when, and the note."""
    what = DECISION_LABELS.get(decision.decision, decision.decision)
    if decision.snoozed_until:
        what += f" until {decision.snoozed_until}"
    said = f"{what} by {decision.decided_by} on {decision.decided_at[:16]}"
    return said + (f": “{decision.note}”" if decision.note else "")


def _panel_button(label: str, kind: str, row) -> html.Button:
    """A row's button opening a panel (deciding, reopening) on its action; ``kind`` is the
    pattern-matching type, the title what the panel says it is about."""
    return html.Button(
        label,
        id={
            "type": kind,
            "action": row.action_id,
            "title": f"{row.action_label} for {row.account}",
        },
        className="pager-button",
    )


def _table(rows, last: dict) -> html.Table | html.P:
    if rows.empty:
        return html.P("No open actions in this view.", className="kpi-count")
    header = html.Tr(
        [html.Th(h) for h in ("Account", "Action", "Why", "Owner", "Priority", "Due", "")]
    )
    body = [
        html.Tr(
            id=f"action-row-{row.action_id}",
            className=f"priority-{row.priority}",
            children=[
                html.Td(dcc.Link(row.account, href=ids.account_href(row.account_id))),
                html.Td(row.action_label),
                html.Td(
                    [
                        html.Strong(row.reason),
                        html.Br(),
                        row.evidence or "",
                        html.Div(
                            "Last decision: " + _said(last[row.action_id]),
                            className="decision-note muted small",
                        )
                        if row.action_id in last
                        else None,
                    ]
                ),
                html.Td(row.owner or ""),
                html.Td(row.priority),
                html.Td(f"{row.due_date:%Y-%m-%d}"),
                html.Td(_panel_button("Decide…", ids.ACTIONS_PICK, row)),
            ],
        )
        for row in rows.itertuples(index=False)
    ]
    return html.Table([html.Thead(header), html.Tbody(body)], className="text-table")


@callback(
    Output(ids.ACTIONS_SELECTED, "data"),
    Output(ids.ACTIONS_PANEL, "hidden"),
    Output(f"{ids.ACTIONS_PANEL}-title", "children"),
    Output(ids.ACTIONS_MESSAGE, "children", allow_duplicate=True),
    Input({"type": ids.ACTIONS_PICK, "action": ALL, "title": ALL}, "n_clicks"),
    prevent_initial_call=True,
)
def pick_action(_clicks) -> tuple:
    trigger = ctx.triggered_id
    if not isinstance(trigger, dict) or not ctx.triggered[0]["value"]:
        raise PreventUpdate  # the buttons were (re)drawn, not clicked
    return trigger["action"], False, f"Decide: {trigger['title']}", ""


@callback(
    Output(ids.ACTIONS_MESSAGE, "children"),
    Output(ids.ACTIONS_DECIDED, "data"),
    Output(ids.ACTIONS_PANEL, "hidden", allow_duplicate=True),
    Output(ids.ACTIONS_NOTE, "value"),
    Output(ids.ACTIONS_SNOOZE_UNTIL, "value"),
    Input(ids.ACTIONS_DONE, "n_clicks"),
    Input(ids.ACTIONS_DISMISS, "n_clicks"),
    Input(ids.ACTIONS_SNOOZE, "n_clicks"),
    State(ids.ACTIONS_SELECTED, "data"),
    State(ids.ACTIONS_NOTE, "value"),
    State(ids.ACTIONS_SNOOZE_UNTIL, "value"),
    State(ids.ACTIONS_DECIDED, "data"),
    prevent_initial_call=True,
)
def record_decision(_done, _dismiss, _snooze, action_id, note, until_text, decided) -> tuple:
    decision = DECISION_BUTTONS.get(ctx.triggered_id)
    if decision is None or not action_id:
        raise PreventUpdate
    until = parse_day(until_text.strip()) if until_text else None
    if decision == "snoozed" and until_text and until is None:
        return (
            f"“{until_text}” is no date (use YYYY-MM-DD).",
            no_update,
            False,
            no_update,
            no_update,
        )
    serving_db, state_db, policy = _context()
    user = current_user()
    try:
        recorded = data.decide(
            serving_db,
            state_db,
            policy,
            action_id=action_id,
            decision=decision,
            decided_by=user.name if user else "unknown",
            note=note,
            snoozed_until=until,
        )
    except data.DecisionRefused as exc:
        return f"Not recorded: {exc}.", no_update, False, no_update, no_update
    except ServingUnavailable:
        return NO_DATA_MESSAGE, no_update, False, no_update, no_update
    said = DECIDED_WORDS[decision]
    if recorded.snoozed_until:
        said += f" until {recorded.snoozed_until}"
    return (
        f"Action {action_id[:8]}… {said}. The next pipeline run keeps it so until its evidence "
        "changes.",
        (decided or 0) + 1,
        True,
        "",
        "",
    )


@callback(
    Output(ids.ACTIONS_DOWNLOAD, "data"),
    Input(ids.ACTIONS_EXPORT_HUBSPOT, "n_clicks"),
    Input(ids.ACTIONS_EXPORT_SALESFORCE, "n_clicks"),
    State(ids.FILTERS_APPLIED, "data"),
    prevent_initial_call=True,
)
def download(_hubspot, _salesforce, applied: dict | None) -> dict:
    crm = {ids.ACTIONS_EXPORT_HUBSPOT: "hubspot", ids.ACTIONS_EXPORT_SALESFORCE: "salesforce"}.get(
        ctx.triggered_id
    )
    if crm is None:
        raise PreventUpdate
    serving_db, state_db, policy = _context()
    actions = data.open_actions_for_export(serving_db, state_db, Filters.from_dict(applied), policy)
    return {
        "content": data.tasks_csv(actions, crm),
        "filename": f"{crm}_tasks.csv",
        "type": "text/csv",
    }


# --- decided actions: what was decided, the note, who and when; reopen with a note ----------


def _render_decided(filters: Filters, page: int) -> ListView:
    serving_db, state_db, policy = _context()
    try:
        decided = data.decided_actions(serving_db, state_db, filters, policy, page=page)
    except ServingUnavailable:
        return _list_view(filters, html.P(NO_DATA_MESSAGE))
    summary = f"{format_count(decided.actions, 'decided action')} in this view."
    return _list_view(filters, _decided_table(decided.rows), summary, decided.page, decided.pages)


def _decided_card(shown: ListView) -> html.Div:
    return paged_table(
        shown.table,
        ids.ACTIONS_DECIDED_TABLE,
        ids.ACTIONS_DECIDED_PREV,
        ids.ACTIONS_DECIDED_PAGE_LABEL,
        ids.ACTIONS_DECIDED_NEXT,
        page_label=shown.page_label,
        prev_disabled=shown.prev_disabled,
        next_disabled=shown.next_disabled,
        header=[
            html.Div("Decided", className="chart-title"),
            html.Div(
                "Done, dismissed and snoozed actions, most recent first. Reopen one to put it "
                "back in the queue, with a note saying why if you like; the next pipeline run "
                "keeps it open.",
                className="chart-subtitle",
            ),
            html.Div(shown.summary, id=ids.ACTIONS_DECIDED_SUMMARY, className="kpi-count"),
            dcc.Store(id=ids.ACTIONS_DECIDED_PAGE, data=shown.view),
            dcc.Store(id=ids.ACTIONS_REOPEN_SELECTED),
            html.Div(
                id=ids.ACTIONS_REOPEN_PANEL,
                className="decision-panel",
                hidden=True,
                children=[
                    html.Div(id=f"{ids.ACTIONS_REOPEN_PANEL}-title", className="chart-title"),
                    html.Label("Why reopen it? (optional note)", htmlFor=ids.ACTIONS_REOPEN_NOTE),
                    dcc.Textarea(
                        id=ids.ACTIONS_REOPEN_NOTE,
                        maxLength=data.MAX_NOTE_LENGTH,
                        className="note",
                    ),
                    html.Div(
                        className="decision-buttons",
                        children=[
                            html.Button(
                                "Reopen", id=ids.ACTIONS_REOPEN_CONFIRM, className="pager-button"
                            ),
                            html.Button(
                                "Cancel", id=ids.ACTIONS_REOPEN_CANCEL, className="pager-button"
                            ),
                        ],
                    ),
                ],
            ),
        ],
    )


def _decided_table(rows) -> html.Table | html.P:
    if rows.empty:
        return html.P("No decided actions in this view.", className="kpi-count")
    header = html.Tr(
        [html.Th(h) for h in ("Account", "Action", "Decision", "Note", "By", "When", "")]
    )
    body = [
        html.Tr(
            id=f"decided-row-{row.action_id}",
            children=[
                html.Td(dcc.Link(row.account, href=ids.account_href(row.account_id))),
                html.Td([row.action_label, html.Br(), html.Span(row.reason, className="muted")]),
                html.Td(
                    DECISION_LABELS.get(row.decision, row.decision)
                    + (f" until {row.snoozed_until}" if row.snoozed_until else "")
                ),
                html.Td(
                    [
                        row.note or "",
                        html.Div(
                            "Earlier: " + "; ".join(_said(d) for d in row.earlier),
                            className="muted small",
                        )
                        if row.earlier
                        else None,
                    ],
                    className="decision-note",
                ),
                html.Td(row.decided_by or ""),
                html.Td(row.decided_at or ""),
                html.Td(_panel_button("Reopen…", ids.ACTIONS_REOPEN, row)),
            ],
        )
        for row in rows.itertuples(index=False)
    ]
    return html.Table([html.Thead(header), html.Tbody(body)], className="text-table")


@callback(
    Output(ids.ACTIONS_DECIDED_TABLE, "children"),
    Output(ids.ACTIONS_DECIDED_SUMMARY, "children"),
    Output(ids.ACTIONS_DECIDED_PAGE_LABEL, "children"),
    Output(ids.ACTIONS_DECIDED_PREV, "disabled"),
    Output(ids.ACTIONS_DECIDED_NEXT, "disabled"),
    Output(ids.ACTIONS_DECIDED_PAGE, "data"),
    Input(ids.FILTERS_APPLIED, "data"),
    Input(ids.ACTIONS_DECIDED_PREV, "n_clicks"),
    Input(ids.ACTIONS_DECIDED_NEXT, "n_clicks"),
    Input(ids.ACTIONS_DECIDED, "data"),
    State(ids.ACTIONS_DECIDED_PAGE, "data"),
    prevent_initial_call=True,
)
def update_decided(applied: dict | None, _prev, _next, _decided, view: dict | None) -> tuple:
    if applied is None:
        raise PreventUpdate
    filters = Filters.from_dict(applied)
    page = _page_after(ids.ACTIONS_DECIDED_PREV, ids.ACTIONS_DECIDED_NEXT, filters, view)
    return _render_decided(filters, page)


@callback(
    Output(ids.ACTIONS_REOPEN_SELECTED, "data"),
    Output(ids.ACTIONS_REOPEN_PANEL, "hidden"),
    Output(f"{ids.ACTIONS_REOPEN_PANEL}-title", "children"),
    Output(ids.ACTIONS_MESSAGE, "children", allow_duplicate=True),
    Output(ids.ACTIONS_REOPEN_NOTE, "value", allow_duplicate=True),
    Input({"type": ids.ACTIONS_REOPEN, "action": ALL, "title": ALL}, "n_clicks"),
    Input(ids.ACTIONS_REOPEN_CANCEL, "n_clicks"),
    State(ids.ACTIONS_REOPEN_SELECTED, "data"),
    prevent_initial_call=True,
)
def pick_reopen(_clicks, _cancel, selected: str | None) -> tuple:
    """Reopen… on a decided row opens the note panel for it (empty for another action than
    the one it was open for); Cancel closes it."""
    trigger = ctx.triggered_id
    if trigger == ids.ACTIONS_REOPEN_CANCEL:
        return None, True, "", no_update, ""
    if not isinstance(trigger, dict) or not ctx.triggered[0]["value"]:
        raise PreventUpdate  # the buttons were (re)drawn, not clicked
    note = no_update if trigger["action"] == selected else ""
    return trigger["action"], False, f"Reopen: {trigger['title']}", "", note


@callback(
    Output(ids.ACTIONS_MESSAGE, "children", allow_duplicate=True),
    Output(ids.ACTIONS_DECIDED, "data", allow_duplicate=True),
    Output(ids.ACTIONS_REOPEN_PANEL, "hidden", allow_duplicate=True),
    Output(ids.ACTIONS_REOPEN_NOTE, "value"),
    Input(ids.ACTIONS_REOPEN_CONFIRM, "n_clicks"),
    State(ids.ACTIONS_REOPEN_SELECTED, "data"),
    State(ids.ACTIONS_REOPEN_NOTE, "value"),
    State(ids.ACTIONS_DECIDED, "data"),
    prevent_initial_call=True,
)
def reopen_action(_confirm, action_id: str | None, note: str | None, decided) -> tuple:
    if not action_id:
        raise PreventUpdate
    serving_db, state_db, policy = _context()
    user = current_user()
    try:
        data.reopen(
            serving_db,
            state_db,
            policy,
            action_id=action_id,
            decided_by=user.name if user else "unknown",
            note=note,
        )
    except data.DecisionRefused as exc:
        return f"Not reopened: {exc}.", no_update, False, no_update
    except ServingUnavailable:
        return NO_DATA_MESSAGE, no_update, False, no_update
    return (
        f"Action {action_id[:8]}… reopened: it is back in the queue, and the next pipeline run "
        "keeps it open.",
        (decided or 0) + 1,
        True,
        "",
    )
