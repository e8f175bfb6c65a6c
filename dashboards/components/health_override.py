"""The Account page's health card: the computed score, the override applied, and the form that
sets or clears a person's override (value, why, until which day)."""

from __future__ import annotations

from dash import dcc, html

from dashboards import ids
from dashboards.data.health_overrides import MAX_REASON_LENGTH, AccountHealth


def _band(band: str | None) -> str:
    return (band or "").replace("_", " ")


def health_facts(health: AccountHealth | None) -> list:
    """What the health is: computed, applied, the override and anything saved since the run."""
    if health is None:
        return [
            html.P("The snapshot scores the health of active accounts only.", className="muted")
        ]
    lines = [
        html.P(
            [
                html.Span("Computed: ", className="muted"),
                html.Strong(
                    f"{health.computed:.0f} · {_band(health.computed_band)}",
                    id=f"{ids.ACCOUNT_HEALTH}-computed",
                ),
            ]
        ),
        html.P(
            [
                html.Span("Applied: ", className="muted"),
                html.Strong(
                    f"{health.effective:.0f} · {_band(health.effective_band)}",
                    id=f"{ids.ACCOUNT_HEALTH}-effective",
                ),
                html.Span(" (overridden)" if health.override else "", className="muted"),
            ]
        ),
    ]
    if health.override:
        o = health.override
        lines.append(
            html.P(
                f"Overridden to {o.score:.0f} by {o.by} on {o.at}"
                + (" (analysts' file)" if o.source == "seed" else "")
                + (f", until {o.until}" if o.until else ", until cleared")
                + (f": “{o.reason}”" if o.reason else ""),
                id=f"{ids.ACCOUNT_HEALTH}-override",
                className="small",
            )
        )
    if health.pending:
        p = health.pending
        said = (
            f"Set to {p.score:.0f} by {p.by}" + (f" until {p.until}" if p.until else "")
            if p.score is not None
            else f"Override cleared by {p.by}"
        )
        lines.append(
            html.P(
                f"{said}: applies after the next pipeline run.",
                id=f"{ids.ACCOUNT_HEALTH}-pending",
                className="pending small",
            )
        )
    return lines


def can_clear(health: AccountHealth | None) -> bool:
    """Whether an override holds, as published or as set since."""
    if health is None:
        return False
    if health.pending:
        return health.pending.score is not None
    return health.override is not None


def health_card(health: AccountHealth | None) -> html.Div:
    """The card, with the form enabled only for a person who may override this account."""
    allowed = health is not None and health.may_override
    return html.Div(
        className="chart-card health-card",
        children=[
            html.Div("Relationship health", className="chart-title"),
            html.Div(
                "0-100, higher = healthier. An override is shown beside the computed score, "
                "never in it, and stops applying after its last day.",
                className="chart-subtitle",
            ),
            html.Div(health_facts(health), id=ids.ACCOUNT_HEALTH),
            html.Div(
                className="health-form",
                children=[
                    html.Label("Override to (0-100)", htmlFor=ids.ACCOUNT_HEALTH_SCORE),
                    dcc.Input(
                        id=ids.ACCOUNT_HEALTH_SCORE,
                        type="number",
                        min=0,
                        max=100,
                        step=1,
                        disabled=not allowed,
                        className="score-input",
                    ),
                    html.Label("Why", htmlFor=ids.ACCOUNT_HEALTH_REASON),
                    dcc.Input(
                        id=ids.ACCOUNT_HEALTH_REASON,
                        type="text",
                        maxLength=MAX_REASON_LENGTH,
                        placeholder="e.g. CEO said on a call they are leaving",
                        disabled=not allowed,
                        className="reason-input",
                    ),
                    html.Label("Until (YYYY-MM-DD, optional)", htmlFor=ids.ACCOUNT_HEALTH_UNTIL),
                    dcc.Input(
                        id=ids.ACCOUNT_HEALTH_UNTIL,
                        type="text",
                        placeholder="YYYY-MM-DD",
                        autoComplete="off",
                        disabled=not allowed,
                        className="date-input",
                    ),
                    html.Div(
                        className="decision-buttons",
                        children=[
                            html.Button(
                                "Set override",
                                id=ids.ACCOUNT_HEALTH_SET,
                                disabled=not allowed,
                                className="pager-button",
                            ),
                            html.Button(
                                "Clear override",
                                id=ids.ACCOUNT_HEALTH_CLEAR,
                                disabled=not (allowed and can_clear(health)),
                                className="pager-button",
                            ),
                        ],
                    ),
                ],
            ),
            html.P(
                ""
                if allowed or health is None
                else "Only the account's owner may override its health.",
                id=ids.ACCOUNT_HEALTH_STATUS,
                className="tag-status",
                role="status",
            ),
        ],
    )
