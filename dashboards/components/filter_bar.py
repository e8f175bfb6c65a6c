"""The shared filter bar (on every page) and the one callback that applies it.

The URL is the source of truth: the callback reads the filters a URL asks for (on load, reload,
back/forward) or that a person set in the bar, resolves them against the data
(``dashboards.filters.resolve``), writes the result to the URL, to the bar and to the
``filters-applied`` store that every page's callbacks take as input, and says in words what the
numbers use and what it could not apply. Typed dates apply when typing pauses or the box loses
focus, no Tab or Enter needed.

Pages whose numbers the filters do not change register with ``filtered=False`` (the Account
page, the session pack, the risk score's backtest). There the bar folds away and says so, and
its callback reads no data: the bar, the applied filters and the navigation links keep the last
filtered page's filters, so going back to a filtered page brings them back.
"""

from __future__ import annotations

import contextlib

import dash
from dash import ALL, Input, Output, State, callback, clientside_callback, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

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
NOT_FILTERED = (
    "This page is not filtered: its numbers are the same whatever the filters say. The filters "
    "you set stay in the links above and apply again on the other pages."
)


def unfiltered_paths() -> list[str]:
    """The paths of the pages that take no filters (``filtered=False`` at registration)."""
    return [
        page["relative_path"]
        for page in dash.page_registry.values()
        if page.get("filtered", True) is False
    ]


def user_policy() -> Policy:
    user = current_user()
    return policy_for(user.role, user.owner) if user else NOBODY


def filter_bar(serving_db, search: str | None = None) -> html.Div:
    """The bar, with every value each filter can take (labels masked for the user's role), set
    to the filters the page's URL query ``search`` asks for, as the shared callback resolves
    them: its first answer then finds the bar as it is and leaves it alone, so dates a person
    types before that answer arrives (a loaded server) are kept."""
    options: dict[str, list[data_filters.Option]] = {d: [] for d in DIMENSIONS}
    used = Filters()
    if is_published(serving_db):
        with contextlib.suppress(ServingUnavailable):
            options = data_filters.options(serving_db, user_policy())
            used = filters_for_url(search)
    start, end = _box_texts(used)
    dropdowns = [
        html.Div(
            className="filter",
            children=[
                html.Label(DIMENSION_LABELS[d], htmlFor=ids.filter_dropdown(d)),
                dcc.Dropdown(
                    id=ids.filter_dropdown(d),
                    options=[{"label": o.label, "value": o.value} for o in options[d]],
                    value=list(used.values(d)),
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
                                value=start,
                                type="text",
                                placeholder="first day",
                                debounce=TYPING_PAUSE,
                                autoComplete="off",
                                className="date-input",
                            ),
                            html.Span("–"),
                            dcc.Input(
                                id=ids.FILTER_END,
                                value=end,
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
            # Shown instead of the filters on a page that takes none (style.css).
            html.Div(NOT_FILTERED, id=ids.FILTER_NOT_USED, className="filter-not-used"),
            dcc.Store(id=ids.FILTERS_APPLIED),
            dcc.Store(id=ids.FILTER_UNFILTERED_PATHS, data=unfiltered_paths()),
        ],
    )


# In the browser, no round trip: fold the bar open or shut, and away on a page taking no filters.
clientside_callback(
    """
    function (clicks, pathname, unfiltered) {
        const open = (clicks || 0) % 2 === 1;
        let className = open ? "filter-bar open" : "filter-bar";
        if ((unfiltered || []).includes(pathname)) {
            className += " unfiltered";
        }
        return [className, open ? "true" : "false"];
    }
    """,
    Output(ids.FILTER_BAR, "className"),
    Output(ids.FILTER_TOGGLE, "aria-expanded"),
    Input(ids.FILTER_TOGGLE, "n_clicks"),
    Input(ids.URL, "pathname"),
    State(ids.FILTER_UNFILTERED_PATHS, "data"),
)


# The shared callback's outputs; the navigation links' hrefs come last.
FILTER_OUTPUTS = [
    Output(ids.URL, "search"),
    Output(ids.FILTER_START, "value"),
    Output(ids.FILTER_END, "value"),
    *[Output(ids.filter_dropdown(d), "value") for d in DIMENSIONS],
    Output(ids.FILTERS_APPLIED, "data"),
    Output(ids.FILTER_APPLIED_LABEL, "children"),
    Output(ids.FILTER_NOTICE, "children"),
    Output({"type": ids.NAV_LINK, "path": ALL}, "href"),
]


@callback(
    *FILTER_OUTPUTS,
    Input(ids.URL, "search"),
    Input(ids.FILTER_START, "value"),
    Input(ids.FILTER_END, "value"),
    *[Input(ids.filter_dropdown(d), "value") for d in DIMENSIONS],
    Input(ids.URL, "pathname"),
    State({"type": ids.NAV_LINK, "path": ALL}, "id"),
    State(ids.FILTERS_APPLIED, "data"),
)
def apply_filters(search, start_text, end_text, *rest):
    dimension_values = rest[: len(DIMENSIONS)]
    pathname, nav_ids, applied = rest[len(DIMENSIONS) :]
    nav_paths = [nav_id["path"] for nav_id in nav_ids]
    if pathname in unfiltered_paths():
        return links_on_unfiltered_page(search, nav_paths)
    if ctx.triggered_id == ids.URL and applied is not None and _only_pathname_changed():
        raise PreventUpdate  # another filtered page with the same query: already applied
    return filter_outputs(
        search,
        start_text,
        end_text,
        dimension_values,
        nav_paths,
        from_url=ctx.triggered_id in (None, ids.URL),
    )


def _only_pathname_changed() -> bool:
    return [t["prop_id"] for t in ctx.triggered] == [f"{ids.URL}.pathname"]


def links_on_unfiltered_page(search: str | None, nav_paths: list[str]) -> tuple:
    """The shared callback's outputs on a page that takes no filters: nothing changes and no
    data is read, except that filters this page's URL carries go into the navigation links."""
    asked = to_query(parse_query(search))
    if not asked:
        raise PreventUpdate
    unchanged = (no_update,) * (len(FILTER_OUTPUTS) - 1)
    return (*unchanged, [f"{path}{asked}" for path in nav_paths])


def filters_for_url(search: str | None) -> Filters:
    """What the numbers use for a URL's query, as the shared callback resolves it.

    Pages render their first view from this in their layout, so a page's numbers arrive with the
    page instead of one callback after the other (the callback then finds them up to date).
    """
    applied, _labels = _resolve_against_data(parse_query(search))
    return applied.filters


def _box_texts(used: Filters) -> tuple[str, str]:
    """The date boxes' texts for the filters the numbers use."""
    return (
        used.start.isoformat() if used.start else "",
        used.end.isoformat() if used.end else "",
    )


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
    show_start, show_end = _box_texts(used)
    if not from_url and not dates_changed and not notices:
        # Leave what the person is typing alone when it is already what the numbers use.
        show_start, show_end = no_update, no_update
    elif from_url and (start_text, end_text) == (show_start, show_end):
        # The bar already shows it (the layout filled it in): a date typed since stays.
        show_start, show_end = no_update, no_update
    shown_values = [
        no_update if from_url and list(sent or []) == list(used.values(d)) else list(used.values(d))
        for d, sent in zip(DIMENSIONS, dimension_values, strict=True)
    ]
    hrefs = [f"{path}{query}" for path in nav_paths]
    return (
        page_query if page_query != (search or "") else no_update,
        show_start,
        show_end,
        *shown_values,
        used.as_dict(),
        describe(used, labels),
        " ".join(notices),
        hrefs,
    )
