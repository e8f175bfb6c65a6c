"""The shared filter bar (on every page) and the one callback that applies it.

The URL is the source of truth: the callback reads the filters a URL asks for (on load, reload,
back/forward) or that a person set in the bar, resolves them against the data
(``dashboards.filters.resolve``), writes the result to the URL, to the bar and to the
``filters-applied`` store that every page's callbacks take as input, and says in words what the
numbers use and what it could not apply. Typed dates apply when typing pauses or the box loses
focus, no Tab or Enter needed.
"""

from __future__ import annotations

import contextlib

from dash import ALL, Input, Output, State, callback, clientside_callback, ctx, dcc, html, no_update

from dashboards import ids
from dashboards.auth import current_user
from dashboards.data import filters as data_filters
from dashboards.data import overview as overview_data
from dashboards.data.connection import ServingUnavailable, is_published
from dashboards.data.privacy import NOBODY, Policy, policy_for
from dashboards.filters import (
    DIMENSION_LABELS,
    DIMENSIONS,
    Applied,
    Filters,
    describe,
    parse_day,
    parse_query,
    resolve,
    to_query,
    with_page_keys,
)
from dashboards.settings import current_serving_db

# Typed dates apply after this pause (seconds), or at once when the box loses focus.
TYPING_PAUSE = 0.6


def user_policy() -> Policy:
    user = current_user()
    return policy_for(user.role, user.owner) if user else NOBODY


def filter_bar(serving_db) -> html.Div:
    """The bar, with every value each filter can take (labels masked for the user's role)."""
    options: dict[str, list[data_filters.Option]] = {d: [] for d in DIMENSIONS}
    if is_published(serving_db):
        with contextlib.suppress(ServingUnavailable):
            options = data_filters.options(serving_db, user_policy())
    dropdowns = [
        html.Div(
            className="filter",
            children=[
                html.Label(DIMENSION_LABELS[d], htmlFor=ids.filter_dropdown(d)),
                dcc.Dropdown(
                    id=ids.filter_dropdown(d),
                    options=[{"label": o.label, "value": o.value} for o in options[d]],
                    value=[],
                    multi=True,
                    placeholder="All",
                    clearable=True,
                ),
            ],
        )
        for d in DIMENSIONS
    ]
    return html.Div(
        id=ids.FILTER_BAR,
        className="filter-bar",
        children=[
            # Only at phone width (style.css): the filters fold behind this button.
            html.Button(
                "Filters",
                id=ids.FILTER_TOGGLE,
                className="filter-toggle pager-button",
                n_clicks=0,
                **{"aria-expanded": "false", "aria-controls": ids.FILTER_BAR},
            ),
            html.Div(
                className="filter filter-dates",
                children=[
                    html.Label("Date range (YYYY-MM-DD)", htmlFor=ids.FILTER_START),
                    html.Div(
                        className="date-inputs",
                        children=[
                            dcc.Input(
                                id=ids.FILTER_START,
                                type="text",
                                placeholder="first day",
                                debounce=TYPING_PAUSE,
                                autoComplete="off",
                                className="date-input",
                            ),
                            html.Span("–"),
                            dcc.Input(
                                id=ids.FILTER_END,
                                type="text",
                                placeholder="last day",
                                debounce=TYPING_PAUSE,
                                autoComplete="off",
                                className="date-input",
                            ),
                        ],
                    ),
                ],
            ),
            *dropdowns,
            html.Div(id=ids.FILTER_APPLIED_LABEL, className="filter-applied"),
            html.Div(id=ids.FILTER_NOTICE, className="filter-notice", role="status"),
            dcc.Store(id=ids.FILTERS_APPLIED),
        ],
    )


# In the browser: no round trip to fold the bar open or shut.
clientside_callback(
    """
    function (clicks) {
        const open = (clicks || 0) % 2 === 1;
        return [open ? "filter-bar open" : "filter-bar", open ? "true" : "false"];
    }
    """,
    Output(ids.FILTER_BAR, "className"),
    Output(ids.FILTER_TOGGLE, "aria-expanded"),
    Input(ids.FILTER_TOGGLE, "n_clicks"),
)


@callback(
    Output(ids.URL, "search"),
    Output(ids.FILTER_START, "value"),
    Output(ids.FILTER_END, "value"),
    *[Output(ids.filter_dropdown(d), "value") for d in DIMENSIONS],
    Output(ids.FILTERS_APPLIED, "data"),
    Output(ids.FILTER_APPLIED_LABEL, "children"),
    Output(ids.FILTER_NOTICE, "children"),
    Output({"type": ids.NAV_LINK, "path": ALL}, "href"),
    Input(ids.URL, "search"),
    Input(ids.FILTER_START, "value"),
    Input(ids.FILTER_END, "value"),
    *[Input(ids.filter_dropdown(d), "value") for d in DIMENSIONS],
    State({"type": ids.NAV_LINK, "path": ALL}, "id"),
)
def apply_filters(search, start_text, end_text, *rest):
    dimension_values, nav_ids = rest[: len(DIMENSIONS)], rest[len(DIMENSIONS)]
    return filter_outputs(
        search,
        start_text,
        end_text,
        dimension_values,
        [nav_id["path"] for nav_id in nav_ids],
        from_url=ctx.triggered_id in (None, ids.URL),
    )


def filters_for_url(search: str | None) -> Filters:
    """What the numbers use for a URL's query, as the shared callback resolves it.

    Pages render their first view from this in their layout, so a page's numbers arrive with the
    page instead of one callback after the other (the callback then finds them up to date).
    """
    applied, _labels = _resolve_against_data(parse_query(search))
    return applied.filters


def _resolve_against_data(requested: Filters) -> tuple[Applied, dict[str, dict[str, str]]]:
    """``requested`` resolved against the published data, and the labels of the values."""
    serving_db = current_serving_db()
    try:
        first_day, last_day = overview_data.date_bounds(serving_db)
        options = data_filters.options(serving_db, user_policy())
    except ServingUnavailable:
        return resolve(requested, None, None), {}
    known = {d: [o.value for o in opts] for d, opts in options.items()}
    labels = {d: {o.value: o.label for o in opts} for d, opts in options.items()}
    return resolve(requested, first_day, last_day, known), labels


def filter_outputs(
    search: str | None,
    start_text: str | None,
    end_text: str | None,
    dimension_values: tuple,
    nav_paths: list[str],
    *,
    from_url: bool,
) -> tuple:
    """The shared filter callback's outputs (see the module's docstring)."""
    notices: list[str] = []
    if from_url:
        requested = parse_query(search)
    else:
        start, end = parse_day(start_text), parse_day(end_text)
        for text, day, which in ((start_text, start, "start"), (end_text, end, "end")):
            if text and text.strip() and day is None:
                notices.append(
                    f"“{text.strip()}” is no date (use YYYY-MM-DD); the {which} is open."
                )
        requested = Filters.from_dict(
            {
                "start": start.isoformat() if start else None,
                "end": end.isoformat() if end else None,
                **{d: v or [] for d, v in zip(DIMENSIONS, dimension_values, strict=True)},
            }
        )
    applied, labels = _resolve_against_data(requested)
    notices.extend(applied.notices)
    used = applied.filters
    if used.channel:
        notices.append("Survey scores (NPS, CSAT) have no channel: the channel filter leaves them.")
    # The URL keeps what was asked, as applied: a date only where one was asked for.
    in_url = Filters(
        start=used.start if requested.start else None,
        end=used.end if requested.end else None,
        **{d: used.values(d) for d in DIMENSIONS},
    )
    query = to_query(in_url)
    page_query = with_page_keys(query, search)  # e.g. the Account page's account_id stays
    dates_changed = (used.start, used.end) != (requested.start, requested.end)
    show_start = used.start.isoformat() if used.start else ""
    show_end = used.end.isoformat() if used.end else ""
    if not from_url and not dates_changed and not notices:
        # Leave what the person is typing alone when it is already what the numbers use.
        show_start, show_end = no_update, no_update
    hrefs = [f"{path}{query}" for path in nav_paths]
    return (
        page_query if page_query != (search or "") else no_update,
        show_start,
        show_end,
        *[list(used.values(d)) for d in DIMENSIONS],
        used.as_dict(),
        describe(used, labels),
        " ".join(notices),
        hrefs,
    )
