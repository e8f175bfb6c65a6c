"""Pieces of the Account page: profile, highlighted texts, the observation template, tag forms."""

from __future__ import annotations

from urllib.parse import urlencode

from dash import dcc, html

from dashboards import ids
from dashboards.data.account import (
    OBSERVATION_CATEGORIES,
    AccountProfile,
    ChurnCue,
    InteractionView,
    Observation,
)
from dashboards.data.app_state import TagCorrection
from dashboards.data.privacy import HIDDEN_TEXT
from dashboards.figures.colors import emotion_color
from dashboards.highlight import Piece
from sentiment_udfs.taxonomy import EMOTIONS

EMOTION_SOURCES = {"human": "tagged by a person", "human_account": "account tagged by a person"}


def account_href(account_id: str, **extra: str) -> str:
    """The Account page of one account.

    >>> account_href("ACC 1", evidence="ticket:T-9")
    '/account?account_id=ACC+1&evidence=ticket%3AT-9'
    """
    return "/account?" + urlencode({"account_id": account_id, **extra})


def emotion_badge(emotion: str | None, source: str | None = None) -> html.Span:
    if not emotion:
        return html.Span("no emotion", className="badge emotion-badge")
    human = source in EMOTION_SOURCES
    return html.Span(
        [emotion, html.Span(" · human tag", className="human-tag") if human else None],
        className="badge emotion-badge" + (" human" if human else ""),
        style={"borderColor": emotion_color(emotion), "color": emotion_color(emotion)},
        title=EMOTION_SOURCES.get(source or "", "scored by the model"),
    )


def profile_panel(profile: AccountProfile) -> html.Div:
    facts = [
        ("Plan", profile.plan),
        ("Region", profile.region),
        ("Industry", profile.industry),
        ("Lifecycle stage", profile.lifecycle_stage),
        ("Segment", (profile.segment or "").replace("_", " ") or None),
        ("MRR", f"{profile.mrr:,.0f}" if profile.mrr is not None else None),
        ("Renewal", f"{profile.renewal_date:%Y-%m-%d}" if profile.renewal_date else None),
        ("Owner", profile.owner),
        ("Health", profile.health_band),
        ("Churn risk", profile.churn_risk_band),
    ]
    if profile.is_churned:
        facts.insert(
            0, ("Churned", f"{profile.churned_at:%Y-%m-%d}" if profile.churned_at else "yes")
        )
    # Each label with its value in one grid cell: as loose cells, a row of an odd number of
    # columns put a value under the next label ("Plan" over the lifecycle stage).
    return html.Dl(
        [
            html.Div([html.Dt(label), html.Dd(str(value))], className="fact")
            for label, value in facts
            if value
        ],
        id=ids.ACCOUNT_PROFILE,
        className="profile-facts",
    )


def highlighted(pieces: list[Piece]) -> list:
    """Text pieces as Dash children: highlighted words in ``<mark>`` with why in the tooltip."""
    return [
        html.Mark(p.text, className=f"ev ev-{p.phrase.tone}", title=p.phrase.why)
        if p.phrase
        else p.text
        for p in pieces
    ]


def tag_form(target: str, current: str | None, *, label: str) -> html.Div:
    """A choice of emotion and a save button for ``target`` ("interaction:<id>"/"account:<id>")."""
    return html.Div(
        className="tag-form",
        children=[
            dcc.Dropdown(
                id={"type": ids.ACCOUNT_TAG_CHOICE, "target": target},
                options=[{"label": e, "value": e} for e in EMOTIONS],
                value=None,
                placeholder=label,
                clearable=False,
                className="tag-choice",
            ),
            html.Button(
                "Save tag",
                id={"type": ids.ACCOUNT_TAG_SAVE, "target": target},
                className="button small",
                n_clicks=0,
            ),
            html.Span(
                id={"type": ids.ACCOUNT_TAG_STATUS, "target": target},
                className="tag-status",
                role="status",
            ),
        ],
        title=f"now: {current}" if current else None,
    )


def pending_note(corrections: list[TagCorrection]) -> html.Span | None:
    """The newest correction not yet in the snapshot, said as such."""
    if not corrections:
        return None
    newest = corrections[0]
    return html.Span(
        f"tagged '{newest.tag}' by {newest.tagged_by} at {newest.tagged_at} UTC: "
        "shown as a human tag after the next pipeline run",
        className="pending-tag",
    )


def interaction_row(
    row: InteractionView, pending: list[TagCorrection], *, can_tag: bool
) -> html.Div:
    when = f"{row.occurred_at:%Y-%m-%d %H:%M}"
    what = " · ".join(
        v.replace("_", " ")
        for v in (row.channel, row.author_type, row.ticket_id and f"ticket {row.ticket_id}")
        if v
    )
    score = f"sentiment {row.compound:+.2f}" if row.compound is not None else ""
    hidden = not row.text_visible
    body: list = highlighted(row.body) if row.body else [HIDDEN_TEXT if hidden else ""]
    return html.Div(
        id=ids.account_interaction(row.interaction_id),
        className="interaction" + (" customer" if row.author_type == "customer" else ""),
        children=[
            html.Div(
                className="interaction-head",
                children=[
                    html.Span(when, className="interaction-when"),
                    html.Span(what, className="interaction-what"),
                    emotion_badge(row.emotion, row.emotion_source),
                    html.Span(score, className="interaction-score"),
                    html.Span(
                        f"by {row.human_tagged_by}" if row.human_tagged_by else "",
                        className="interaction-tagger",
                    ),
                ],
            ),
            html.Div(
                [html.Strong(row.subject), html.Br()]
                if row.subject and row.subject != HIDDEN_TEXT and not hidden
                else [],
                className="interaction-subject",
            ),
            html.Div(body, className="text-body" + (" masked" if hidden else "")),
            html.Div(
                [
                    pending_note(pending),
                    tag_form(
                        f"interaction:{row.interaction_id}",
                        row.emotion,
                        label="Correct the emotion…",
                    )
                    if can_tag
                    else None,
                ],
                className="interaction-foot",
            ),
        ],
    )


def evidence_link(account_id: str, kind: str | None, evidence_id: str | None) -> dcc.Link | None:
    """A link from an observation to its evidence on this page (None when it has none)."""
    if not kind or not evidence_id:
        return None
    return dcc.Link(
        f"{kind} {evidence_id}",
        href=account_href(account_id, evidence=f"{kind}:{evidence_id}"),
        className="evidence-link",
    )


def observation_template(account_id: str, rows: list[Observation] | None) -> html.Div:
    """The six categories of the template, each line with its date and a link to its evidence."""
    if rows is None:
        body: list = [html.P("The observation template is not published yet.", className="muted")]
    else:
        body = []
        for category, title in OBSERVATION_CATEGORIES.items():
            lines = [r for r in rows if r.category == category]
            body.append(html.H3(title, className="template-category"))
            if not lines:
                body.append(html.P("nothing observed", className="muted template-empty"))
                continue
            body.append(
                html.Ul(
                    [
                        html.Li(
                            [
                                html.Span(r.line, className="template-line"),
                                html.Span(
                                    f" · {r.observed_at:%Y-%m-%d}" if r.observed_at else "",
                                    className="muted",
                                ),
                                " ",
                                evidence_link(account_id, r.evidence_kind, r.evidence_id),
                            ],
                            className=f"template-item template-{category}",
                        )
                        for r in lines
                    ]
                )
            )
    return html.Div(body, id=ids.ACCOUNT_OBSERVATIONS, className="observation-template")


def churn_review_panel(account_id: str, cues: list[ChurnCue] | None) -> html.Div:
    if cues is None:
        body: list = [html.P("The churn review is not published yet.", className="muted")]
    elif not cues:
        body = [html.P("No cue came before this churn in the data.", className="muted")]
    else:
        body = [
            html.Ul(
                [
                    html.Li(
                        [
                            html.Strong(c.cue.replace("_", " ")),
                            f" · {c.days_before_churn} days before the churn"
                            if c.days_before_churn is not None
                            else "",
                            html.Span(
                                " · could have acted" if c.could_have_acted else "",
                                className="acted",
                            ),
                            html.Br(),
                            html.Span(c.reason, className="muted"),
                            " ",
                            evidence_link(account_id, c.evidence_kind, c.evidence_id),
                        ],
                        className="churn-cue",
                    )
                    for c in cues
                ]
            )
        ]
    return html.Div(
        [html.Div("Cues before the churn", className="chart-title"), *body],
        id=ids.ACCOUNT_CHURN_REVIEW,
        className="chart-card churn-review",
    )
