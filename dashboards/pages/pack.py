"""Session pack: choose 3–5 accounts, print their pack (HTML, PDF), record what the team agreed.

The page suggests a mix (recently churned, high engagement, behaviour changed, in onboarding);
any account can be added by name. The pack itself is built by ``dashboards.session_pack`` and
downloaded from ``/pack/export.html`` and ``/pack/export.pdf``; after the session the agreed
outcome per account (state, cause, action, who follows up) is kept in the app's own database and
exported as CSV for the CRM (``/pack/outcomes.csv``). ``?accounts=A1,A2`` preselects accounts.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import dash
import flask
from dash import MATCH, Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from dashboards import ids
from dashboards.auth import current_user
from dashboards.components.account import account_href
from dashboards.components.cards import (
    NO_DATA_MESSAGE,
    message_panel,
    page_header,
    unpublished_panel,
)
from dashboards.components.filter_bar import user_policy
from dashboards.data import account as account_data
from dashboards.data import app_state
from dashboards.data import pack as data
from dashboards.data.connection import ServingUnavailable, is_published
from dashboards.settings import current_serving_db
from sentiment_udfs.taxonomy import EMOTIONS

dash.register_page(
    __name__,
    path="/pack",
    name="Session pack",
    title="Session pack · Customer emotion",
    order=3,
    filtered=False,  # the accounts are chosen by name: the shared filter bar folds away
)

OUTCOME_FIELDS = {
    "state": "What the customer feels now",
    "cause": "What led to it",
    "action": "What we do",
    "follow_up_by": "Who follows up",
}
RECENT_OUTCOMES = 10


def layout(accounts: str | None = None, **_query: str) -> html.Div:
    serving_db = current_serving_db()
    if not is_published(serving_db):
        return unpublished_panel(serving_db, panel_id=ids.PACK_NO_DATA)
    policy = user_policy()
    try:
        suggested = data.suggestions(serving_db, policy)
        wanted = [a.strip() for a in (accounts or "").split(",") if a.strip()]
        labels = data.account_labels(serving_db, wanted, policy) if wanted else {}
    except ServingUnavailable as exc:
        return message_panel(NO_DATA_MESSAGE, str(exc), panel_id=ids.PACK_NO_DATA)
    suggested_ids = {s.account_id for s in suggested}
    preselected = [a for a in wanted if a in suggested_ids]
    extra = [a for a in wanted if a in labels and a not in suggested_ids]
    options = [
        {
            "label": html.Span(
                [
                    html.Span(data.SUGGESTION_KINDS[s.kind], className="badge"),
                    " ",
                    html.Strong(s.label),
                    html.Span(f" — {s.reason}", className="muted"),
                ]
            ),
            "value": s.account_id,
        }
        for s in suggested
    ]
    return html.Div(
        className="page pack",
        children=[
            page_header(
                "Session pack",
                "Pick 3 to 5 accounts for the team's session; the suggestions mix churned, "
                "engaged, changed and new customers.",
            ),
            html.Div(
                className="chart-card",
                children=[
                    html.Div("Suggested accounts", className="chart-title"),
                    dcc.Checklist(
                        id=ids.PACK_CHOICE,
                        options=options,
                        value=preselected,
                        className="pack-suggestions",
                        labelClassName="pack-suggestion",
                        labelStyle={"display": "block", "margin": "4px 0"},
                    )
                    if options
                    else html.P("No suggestions in this snapshot.", className="muted"),
                    html.Label("Add other accounts", htmlFor=ids.PACK_SEARCH),
                    dcc.Dropdown(
                        id=ids.PACK_SEARCH,
                        options=[{"label": labels[a], "value": a} for a in extra],
                        value=extra,
                        multi=True,
                        placeholder="Type a name…",
                    ),
                    html.Div(id=ids.PACK_STATUS, className="kpi-count", role="status"),
                    html.Div(
                        className="pack-actions",
                        children=[
                            html.A(
                                "Download the pack (PDF)",
                                id=ids.PACK_EXPORT_PDF,
                                className="button primary disabled",
                            ),
                            html.A(
                                "Download the pack (HTML)",
                                id=ids.PACK_EXPORT_HTML,
                                className="button disabled",
                            ),
                        ],
                    ),
                ],
            ),
            html.Div(
                className="chart-card",
                children=[
                    html.Div("After the session: the agreed outcomes", className="chart-title"),
                    html.Div(
                        "Kept in the dashboard's database; the CSV goes into the CRM.",
                        className="chart-subtitle",
                    ),
                    html.Div(id=ids.PACK_OUTCOMES),
                    html.Div(
                        className="pack-actions",
                        children=[
                            html.A(
                                "Export all outcomes (CSV)",
                                id=ids.PACK_OUTCOMES_CSV,
                                href="/pack/outcomes.csv",
                                className="button",
                            )
                        ],
                    ),
                    html.Div(id=ids.PACK_OUTCOME_SAVED, children=_recent_outcomes()),
                ],
            ),
        ],
    )


def chosen_accounts(suggested: list[str] | None, added: list[str] | None) -> list[str]:
    """The chosen accounts, suggestions first, then those added, each once."""
    return list(dict.fromkeys([*(suggested or []), *(added or [])]))


@callback(
    Output(ids.PACK_STATUS, "children"),
    Output(ids.PACK_EXPORT_HTML, "href"),
    Output(ids.PACK_EXPORT_HTML, "className"),
    Output(ids.PACK_EXPORT_PDF, "href"),
    Output(ids.PACK_EXPORT_PDF, "className"),
    Output(ids.PACK_OUTCOMES, "children"),
    Input(ids.PACK_CHOICE, "value"),
    Input(ids.PACK_SEARCH, "value"),
)
def update_choice(suggested: list[str] | None, added: list[str] | None) -> tuple:
    chosen = chosen_accounts(suggested, added)
    n = len(chosen)
    ready = data.MIN_ACCOUNTS <= n <= data.MAX_ACCOUNTS
    if ready:
        status = f"{n} accounts chosen: the pack has a page for each."
    else:
        status = f"{n} chosen: choose {data.MIN_ACCOUNTS} to {data.MAX_ACCOUNTS} accounts."
    query = urlencode({"accounts": ",".join(chosen)})
    try:
        labels = data.account_labels(current_serving_db(), chosen, user_policy())
    except ServingUnavailable:
        labels = {}
    forms = [_outcome_form(a, labels.get(a, a)) for a in chosen]
    return (
        status,
        f"/pack/export.html?{query}" if ready else None,
        "button" if ready else "button disabled",
        f"/pack/export.pdf?{query}" if ready else None,
        "button primary" if ready else "button primary disabled",
        forms or html.P("Choose accounts above to record their outcomes.", className="muted"),
    )


@callback(
    Output(ids.PACK_SEARCH, "options"),
    Input(ids.PACK_SEARCH, "search_value"),
    State(ids.PACK_SEARCH, "value"),
    State(ids.PACK_SEARCH, "options"),
    prevent_initial_call=True,
)
def search_accounts(text: str | None, chosen: list[str] | None, options: list[dict] | None):
    if not text:
        raise PreventUpdate
    keep = [o for o in options or [] if o["value"] in (chosen or [])]
    try:
        matches = account_data.find_accounts(current_serving_db(), text, user_policy())
    except ServingUnavailable:
        raise PreventUpdate from None
    known = {o["value"] for o in keep}
    return keep + [
        {"label": f"{m.label} ({m.account_id})", "value": m.account_id}
        for m in matches
        if m.account_id not in known
    ]


def _outcome_form(account_id: str, label: str) -> html.Div:
    def field(name: str) -> dict:
        return {"type": ids.PACK_OUTCOME_FIELD, "account": account_id, "field": name}

    inputs = [
        dcc.Dropdown(
            id=field("state"),
            options=[{"label": e, "value": e} for e in EMOTIONS],
            placeholder=OUTCOME_FIELDS["state"],
            clearable=False,
        )
    ] + [
        dcc.Input(id=field(name), type="text", placeholder=hint, debounce=False)
        for name, hint in OUTCOME_FIELDS.items()
        if name != "state"
    ]
    return html.Div(
        className="outcome-card",
        children=[
            html.H3(dcc.Link(label, href=account_href(account_id))),
            *inputs,
            html.Button(
                "Save outcome",
                id={"type": ids.PACK_OUTCOME_SAVE, "account": account_id},
                n_clicks=0,
                className="button",
            ),
            html.Span(
                id={"type": ids.PACK_OUTCOME_STATUS, "account": account_id},
                className="tag-status",
                role="status",
            ),
        ],
    )


@callback(
    Output({"type": ids.PACK_OUTCOME_STATUS, "account": MATCH}, "children"),
    Input({"type": ids.PACK_OUTCOME_SAVE, "account": MATCH}, "n_clicks"),
    State({"type": ids.PACK_OUTCOME_FIELD, "account": MATCH, "field": "state"}, "value"),
    State({"type": ids.PACK_OUTCOME_FIELD, "account": MATCH, "field": "cause"}, "value"),
    State({"type": ids.PACK_OUTCOME_FIELD, "account": MATCH, "field": "action"}, "value"),
    State({"type": ids.PACK_OUTCOME_FIELD, "account": MATCH, "field": "follow_up_by"}, "value"),
    prevent_initial_call=True,
)
def save_outcome(n_clicks, state, cause, action, follow_up_by) -> str:
    """Keep what the team agreed for one account."""
    user = current_user()
    if not n_clicks or user is None:
        raise PreventUpdate
    account_id = dash.ctx.triggered_id["account"]
    if state not in EMOTIONS:
        return "Choose what the customer feels now."
    if not (action or "").strip() or not (follow_up_by or "").strip():
        return "Say what we do and who follows up."
    try:
        if not data.account_labels(current_serving_db(), [account_id], user_policy()):
            return "No such account in the snapshot."
    except ServingUnavailable:
        return NO_DATA_MESSAGE
    now = datetime.now(UTC)
    app_state.add_session_outcome(
        _state_db(),
        account_id=account_id,
        outcome=state,
        cause=(cause or "").strip() or None,
        action=action.strip(),
        follow_up_by=follow_up_by.strip(),
        session_date=now.strftime("%Y-%m-%d"),
        recorded_by=user.name,
        recorded_at=now.strftime("%Y-%m-%d %H:%M:%S"),
    )
    return f"Saved at {now:%H:%M} UTC; it is in the CSV export."


def _recent_outcomes() -> html.Div:
    rows = app_state.session_outcomes(_state_db())[:RECENT_OUTCOMES]
    if not rows:
        return html.P("No outcome recorded yet.", className="muted")
    return html.Div(
        [
            html.H3("Recently recorded", className="template-category"),
            html.Ul(
                [
                    html.Li(
                        f"{r.session_date or r.recorded_at[:10]} · {r.account_id}: {r.state}"
                        + (f", because {r.cause}" if r.cause else "")
                        + f" → {r.action} ({r.follow_up_by})"
                    )
                    for r in rows
                ]
            ),
        ]
    )


def _state_db() -> Path:
    return Path(flask.current_app.config["APP_STATE_DB"])
