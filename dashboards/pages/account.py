"""Account: one account's emotional memory, at ``/account?account_id=<id>``.

Its timeline (weekly sentiment with emotion-coloured markers, and surveys, tickets, demos and
stage changes), the filled observation template with each line linked to its evidence, the cues
before a churn, and its interactions newest first with the words that drove each score marked.
People correct an emotion tag here; it is kept in the app's own database and, after the next
pipeline run, shown as a human tag. The health card sets or clears a person's override of the
relationship health the same way (shown beside the computed score after the next run). Without
an ``account_id`` the page finds accounts by name.
Thin: data from ``dashboards.data.account`` (already masked), pieces from ``components.account``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import dash
import flask
from dash import MATCH, Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from dashboards import ids
from dashboards.auth import current_user
from dashboards.components.account import (
    account_href,
    churn_review_panel,
    emotion_badge,
    interaction_row,
    observation_template,
    pending_note,
    profile_panel,
    tag_form,
)
from dashboards.components.cards import (
    NO_DATA_MESSAGE,
    message_panel,
    page_header,
    unpublished_panel,
)
from dashboards.components.filter_bar import user_policy
from dashboards.components.health_override import can_clear, health_card, health_facts
from dashboards.data import account as data
from dashboards.data import app_state
from dashboards.data import health_overrides as health_data
from dashboards.data.connection import ServingUnavailable, is_published
from dashboards.data.freshness import published_at
from dashboards.figures.timeline import timeline_figure
from dashboards.filters import parse_day
from dashboards.settings import current_serving_db
from sentiment_udfs.taxonomy import EMOTIONS

dash.register_page(
    __name__,
    path="/account",
    name="Accounts",
    title="Account · Customer emotion",
    order=2,
    filtered=False,  # one account's whole history: the shared filter bar folds away
)

STAMP = "%Y-%m-%d %H:%M:%S"  # how tags' times are kept (UTC), as the CRM's exports write them
# The filter bar says itself that this page is not filtered (filtered=False).
FILTERS_NOTE = "The whole history of one account."


def layout(account_id: str | None = None, evidence: str | None = None, **_query: str) -> html.Div:
    serving_db = current_serving_db()
    if not is_published(serving_db):
        return unpublished_panel(serving_db, panel_id=ids.ACCOUNT_NO_DATA)
    if not account_id:
        return _search_layout()
    policy = user_policy()
    try:
        profile = data.profile(serving_db, account_id, policy)
        if profile is None:
            return html.Div(
                [
                    message_panel(
                        "No such account",
                        f"The published snapshot has no account {account_id!r}.",
                        panel_id=ids.ACCOUNT_NO_DATA,
                    ),
                    _search_layout(),
                ]
            )
        timeline = data.timeline(serving_db, account_id)
        observations = data.observations(serving_db, account_id, policy)
        churn = data.churn_review(serving_db, account_id, policy) if profile.is_churned else None
        evidence_panel = _evidence_panel(serving_db, account_id, evidence, profile.texts_visible)
        listing = _interaction_list(serving_db, account_id, data.INTERACTIONS_SHOWN)
    except ServingUnavailable as exc:
        return message_panel(NO_DATA_MESSAGE, str(exc), panel_id=ids.ACCOUNT_NO_DATA)
    missing = (
        html.P("Not published yet: " + ", ".join(timeline.missing) + ".", className="muted small")
        if timeline.missing
        else None
    )
    return html.Div(
        className="page account",
        children=[
            dcc.Store(id=ids.ACCOUNT_ID_STORE, data=account_id),
            page_header(
                profile.name,
                FILTERS_NOTE,
                title_id=ids.ACCOUNT_NAME,
                aside=html.Div(
                    className="account-emotion",
                    children=[
                        html.Span("Feels now: ", className="muted"),
                        emotion_badge(profile.current_emotion, profile.current_emotion_source),
                        html.Span(
                            f" (account tagged by {profile.account_tagged_by})"
                            if profile.current_emotion_source == "human_account"
                            else "",
                            className="muted",
                        ),
                        pending_note(_pending(serving_db, account_id, [], account_only=True)),
                        tag_form(
                            f"account:{account_id}",
                            profile.current_emotion,
                            label="Tag the account's emotion…",
                        ),
                    ],
                ),
            ),
            profile_panel(profile),
            _health_override_card(serving_db, account_id),
            html.Div(
                className="chart-card",
                children=[
                    html.Div("Emotional timeline", className="chart-title"),
                    html.Div(
                        "Mean sentiment per week, coloured by the week's dominant emotion "
                        "(marker size: customer messages); surveys, tickets, demos and stage "
                        "changes underneath",
                        className="chart-subtitle",
                    ),
                    dcc.Graph(
                        id=ids.ACCOUNT_TIMELINE_GRAPH,
                        figure=timeline_figure(timeline.weeks, timeline.events),
                        config={"displaylogo": False, "displayModeBar": False, "responsive": True},
                    ),
                    missing,
                ],
            ),
            html.Div(
                className="account-columns",
                children=[
                    html.Div(
                        className="chart-card",
                        children=[
                            html.Div("Observation template", className="chart-title"),
                            html.Div(
                                "Filled from the data; each line links to its evidence",
                                className="chart-subtitle",
                            ),
                            observation_template(account_id, observations),
                        ],
                    ),
                    html.Div(
                        [
                            churn_review_panel(account_id, churn) if profile.is_churned else None,
                            evidence_panel,
                        ]
                    ),
                ],
            ),
            html.Div(
                className="chart-card",
                children=[
                    html.Div("Interactions, newest first", className="chart-title"),
                    html.Div(
                        "Marked words drove the score: green raised the sentiment, red lowered "
                        "it, underlined ones made the emotion or a cue",
                        className="chart-subtitle",
                    ),
                    html.Div(listing, id=ids.ACCOUNT_INTERACTIONS),
                    html.Button(
                        "Show older interactions",
                        id=ids.ACCOUNT_SHOW_MORE,
                        n_clicks=0,
                        className="button",
                    ),
                ],
            ),
        ],
    )


def _search_layout() -> html.Div:
    return html.Div(
        className="page account-search",
        children=[
            page_header("Accounts", FILTERS_NOTE),
            html.Div(
                className="chart-card",
                children=[
                    html.Label("Find an account by name or id", htmlFor=ids.ACCOUNT_SEARCH),
                    dcc.Input(
                        id=ids.ACCOUNT_SEARCH,
                        type="search",
                        debounce=0.4,
                        placeholder="e.g. Baker",
                        autoComplete="off",
                        className="search-input",
                    ),
                    html.Div(id=ids.ACCOUNT_SEARCH_RESULTS, className="search-results"),
                ],
            ),
        ],
    )


@callback(
    Output(ids.ACCOUNT_SEARCH_RESULTS, "children"),
    Input(ids.ACCOUNT_SEARCH, "value"),
    prevent_initial_call=True,
)
def search_accounts(text: str | None) -> list:
    try:
        matches = data.find_accounts(current_serving_db(), text or "", user_policy())
    except ServingUnavailable:
        return [html.P(NO_DATA_MESSAGE)]
    if not matches:
        return [html.P("No account matches." if text else "", className="muted")]
    return [
        html.Div(
            [
                dcc.Link(m.label, href=account_href(m.account_id), className="search-hit"),
                html.Span(f" {m.account_id} · {m.detail}", className="muted"),
            ],
            className="search-result",
        )
        for m in matches
    ]


def _interaction_list(serving_db: Path, account_id: str, limit: int) -> list:
    listing = data.interactions(serving_db, account_id, user_policy(), limit=limit)
    pending = _pending(serving_db, account_id, [r.interaction_id for r in listing.rows])
    rows = [
        interaction_row(
            row,
            [c for c in pending if c.interaction_id == row.interaction_id],
            can_tag=row.text_visible,
        )
        for row in listing.rows
    ]
    summary = html.P(
        f"{len(listing.rows):,} of {listing.total:,} interactions shown.",
        className="kpi-count",
        id=f"{ids.ACCOUNT_INTERACTIONS}-count",
    )
    return [summary, *rows] if rows else [html.P("No interactions.", className="muted")]


@callback(
    Output(ids.ACCOUNT_INTERACTIONS, "children"),
    Input(ids.ACCOUNT_SHOW_MORE, "n_clicks"),
    State(ids.ACCOUNT_ID_STORE, "data"),
    prevent_initial_call=True,
)
def show_more(n_clicks: int, account_id: str | None) -> list:
    if not account_id:
        raise PreventUpdate
    limit = data.INTERACTIONS_SHOWN * (1 + int(n_clicks or 0))
    try:
        return _interaction_list(current_serving_db(), account_id, limit)
    except ServingUnavailable:
        return [html.P(NO_DATA_MESSAGE)]


def _evidence_panel(
    serving_db: Path, account_id: str, evidence: str | None, texts_visible: bool
) -> html.Div | None:
    """What an observation's evidence link points at: the interaction(s), or what it is."""
    if not evidence or ":" not in evidence:
        return None
    kind, _, evidence_id = evidence.partition(":")
    children: list = [html.Div(f"Evidence: {kind} {evidence_id}", className="chart-title")]
    if kind in ("interaction", "ticket"):
        listing = data.interactions(
            serving_db,
            account_id,
            user_policy(),
            limit=20,
            only=[evidence_id] if kind == "interaction" else None,
            ticket_id=evidence_id if kind == "ticket" else None,
        )
        if listing.rows:
            children += [interaction_row(r, [], can_tag=False) for r in listing.rows]
        else:
            children.append(html.P(f"No {kind} {evidence_id} on this account.", className="muted"))
    else:
        children.append(
            html.P(
                f"A {kind} record ({evidence_id}); it holds no text, only its date and kind.",
                className="muted",
            )
        )
    if not texts_visible:
        children.append(html.P("Texts are hidden for your role.", className="muted"))
    return html.Div(children, id=ids.ACCOUNT_EVIDENCE, className="chart-card evidence-panel")


def _pending(
    serving_db: Path, account_id: str, interaction_ids: list[str], *, account_only: bool = False
) -> list[app_state.TagCorrection]:
    """Tag corrections made since the snapshot was published (not in its data yet)."""
    published = published_at(serving_db)
    since = published.strftime(STAMP) if published else ""
    corrections = app_state.emotion_tag_corrections_for(_state_db(), account_id, interaction_ids)
    return [
        c
        for c in corrections
        if c.tagged_at > since and ((c.interaction_id is None) if account_only else True)
    ]


def _state_db() -> Path:
    return Path(flask.current_app.config["APP_STATE_DB"])


@callback(
    Output({"type": ids.ACCOUNT_TAG_STATUS, "target": MATCH}, "children"),
    Input({"type": ids.ACCOUNT_TAG_SAVE, "target": MATCH}, "n_clicks"),
    State({"type": ids.ACCOUNT_TAG_CHOICE, "target": MATCH}, "value"),
    State(ids.ACCOUNT_ID_STORE, "data"),
    prevent_initial_call=True,
)
def save_tag(n_clicks: int, tag: str | None, account_id: str | None) -> str:
    """Keep a person's emotion for an interaction or the account in the app's database."""
    if not n_clicks or not account_id:
        raise PreventUpdate
    user = current_user()
    if user is None:
        raise PreventUpdate
    if tag not in EMOTIONS:
        return "Choose an emotion first."
    target = dash.ctx.triggered_id["target"]
    kind, _, target_id = target.partition(":")
    serving_db = current_serving_db()
    try:
        profile = data.profile(serving_db, account_id, user_policy())
        if kind == "interaction":
            if data.interaction_account(serving_db, target_id) != account_id:
                return "That interaction is not on this account."
            if profile is None or not profile.texts_visible:
                return "Your role cannot read this text, so it cannot tag it."
        elif kind != "account" or target_id != account_id or profile is None:
            return "Nothing to tag."
    except ServingUnavailable:
        return NO_DATA_MESSAGE
    app_state.add_emotion_tag_correction(
        _state_db(),
        tag=tag,
        tagged_by=user.name,
        tagged_at=datetime.now(UTC).strftime(STAMP),
        interaction_id=target_id if kind == "interaction" else None,
        account_id=account_id if kind == "account" else None,
    )
    return f"Saved '{tag}': shown as a human tag after the next pipeline run."


# --- the health override: set or clear it (the app state; the next run applies it) -------------


def _health_override_card(serving_db: Path, account_id: str) -> html.Div:
    health = health_data.account_health(serving_db, _state_db(), account_id, user_policy())
    return health_card(health)


@callback(
    Output(ids.ACCOUNT_HEALTH, "children"),
    Output(ids.ACCOUNT_HEALTH_STATUS, "children"),
    Output(ids.ACCOUNT_HEALTH_CLEAR, "disabled"),
    Output(ids.ACCOUNT_HEALTH_SCORE, "value"),
    Output(ids.ACCOUNT_HEALTH_REASON, "value"),
    Output(ids.ACCOUNT_HEALTH_UNTIL, "value"),
    Input(ids.ACCOUNT_HEALTH_SET, "n_clicks"),
    Input(ids.ACCOUNT_HEALTH_CLEAR, "n_clicks"),
    State(ids.ACCOUNT_HEALTH_SCORE, "value"),
    State(ids.ACCOUNT_HEALTH_REASON, "value"),
    State(ids.ACCOUNT_HEALTH_UNTIL, "value"),
    State(ids.ACCOUNT_ID_STORE, "data"),
    prevent_initial_call=True,
)
def save_health_override(_set, _clear, score, reason, until_text, account_id) -> tuple:
    """Keep a person's health for the account, or its clearing, in the app's database."""
    user = current_user()
    if not account_id or user is None or not dash.ctx.triggered[0]["value"]:
        raise PreventUpdate
    serving_db, state_db, policy = current_serving_db(), _state_db(), user_policy()
    keep = (dash.no_update,) * 3
    until = parse_day(until_text.strip()) if until_text and until_text.strip() else None
    if until_text and until_text.strip() and until is None:
        return (
            dash.no_update,
            f"“{until_text}” is no date (use YYYY-MM-DD).",
            *(dash.no_update,) * 4,
        )
    try:
        if dash.ctx.triggered_id == ids.ACCOUNT_HEALTH_SET:
            saved = health_data.set_override(
                serving_db,
                state_db,
                policy,
                account_id=account_id,
                score=health_data.parse_score(score),
                reason=reason,
                valid_until=until,
                overridden_by=user.name,
            )
            said = f"Saved: health {saved.override_score:.0f}"
            keep = ("", "", "")
        else:
            health_data.clear_override(
                serving_db, state_db, policy, account_id=account_id, overridden_by=user.name
            )
            said = "Cleared: the computed score"
        health = health_data.account_health(serving_db, state_db, account_id, policy)
    except health_data.OverrideRefused as exc:
        return dash.no_update, f"Not saved: {exc}.", *(dash.no_update,) * 4
    except ServingUnavailable:
        return dash.no_update, NO_DATA_MESSAGE, *(dash.no_update,) * 4
    return (
        health_facts(health),
        f"{said} applies after the next pipeline run.",
        not can_clear(health),
        *keep,
    )
