"""The app in-process: sign-in on every page and callback, headers, the shell, the Overview's
callback. (The browser tests drive the real server; these stay fast.)"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import dash
import flask
import pytest
from dash.exceptions import PreventUpdate

from dashboards import ids
from dashboards.app import create_app
from dashboards.components.filter_bar import filter_outputs
from dashboards.filters import Filters
from dashboards.users import UsersError, hash_password
from tests.dashboards.serving_fixture import (
    EXPECTED_AT_RISK,
    EXPECTED_FEB,
    EXPECTED_FULL,
    FEB_END,
    FEB_START,
)

PASSWORD = "a long test password"
USERS = {"lea": "leader", "ana": "analyst", "sam.agent@vendor.example": "agent"}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dash.Dash]:
    # One app per process: Dash Pages keeps its page registry in module globals.
    folder = tmp_path_factory.mktemp("app")
    password_hash = hash_password(PASSWORD)
    saved = dict(os.environ)
    os.environ["DASHBOARD_USERS"] = ";".join(
        f"{name}:{role}:{password_hash}" for name, role in USERS.items()
    )
    os.environ["DASHBOARD_SECRET_KEY"] = "test-secret-key-not-for-production"
    try:
        yield create_app(folder / "serving.duckdb", app_state_db=folder / "state.sqlite")
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture
def client(app: dash.Dash):
    return app.server.test_client()


def _csrf(client) -> str:
    page = client.get("/login").get_data(as_text=True)
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def sign_in(client, name: str = "ana", password: str = PASSWORD, next_url: str = "/"):
    return client.post(
        "/login",
        data={"username": name, "password": password, "csrf": _csrf(client), "next": next_url},
    )


@pytest.fixture
def overview_page(app: dash.Dash):
    page = next(p for p in dash.page_registry.values() if p["path"] == "/")
    module = sys.modules[page["module"]]
    original = app.server.config["SERVING_DB"]
    yield page, module
    app.server.config["SERVING_DB"] = original


def _ids(component) -> set[str]:
    found = set()
    if getattr(component, "id", None):
        found.add(str(component.id))
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            found |= _ids(child)
    return found


def _find(component, component_id: str):
    """The component with this id inside a layout."""
    if getattr(component, "id", None) == component_id:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            found = _find(child, component_id)
            if found is not None:
                return found
    return None


# --- sign-in -----------------------------------------------------------------------------------


def test_refuses_to_start_without_users(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("DASHBOARD_USERS", raising=False)
    with pytest.raises(UsersError, match="no dashboard users"):
        create_app(tmp_path / "serving.duckdb", users_file=tmp_path / "none.yaml")


def test_anonymous_visitors_get_the_login_page_and_no_data(client) -> None:
    page = client.get("/")
    assert page.status_code == 302 and page.headers["Location"].startswith("/login?next=/")
    assert client.get("/some/page?start=2024-01-01").headers["Location"] == (
        "/login?next=/some/page%3Fstart%3D2024-01-01"
    )
    for path in ("/_dash-layout", "/_dash-dependencies"):
        response = client.get(path)
        assert response.status_code == 401, path
        assert "marts" not in response.get_data(as_text=True)
    callback = client.post("/_dash-update-component", json={"output": ids.OVERVIEW_KPI_NPS})
    assert callback.status_code == 401
    assert callback.get_json() == {"error": "sign-in required"}
    login = client.get("/login")
    assert login.status_code == 200 and 'id="login-form"' in login.get_data(as_text=True)
    assert client.get("/assets/style.css").status_code == 200


def test_sign_in_opens_every_page_and_callback(client) -> None:
    response = sign_in(client, next_url="/?plan=pro")
    assert response.status_code == 303 and response.headers["Location"] == "/?plan=pro"
    assert client.get("/").status_code == 200
    layout = client.get("/_dash-layout")
    assert layout.status_code == 200
    assert "ana" in layout.get_data(as_text=True)  # the user menu names who is signed in
    assert client.get("/_dash-dependencies").status_code == 200


def test_wrong_password_is_refused_and_logged(client, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="dashboards.auth"):
        response = sign_in(client, "lea", "not the password")
    assert response.status_code == 401
    assert "Wrong user name or password" in response.get_data(as_text=True)
    assert any("failed sign-in for user 'lea'" in r.getMessage() for r in caplog.records)
    assert client.get("/").status_code == 302


def test_unknown_user_is_refused(client) -> None:
    assert sign_in(client, "nobody", PASSWORD).status_code == 401


def test_failed_sign_ins_are_rate_limited(client, caplog) -> None:
    for _ in range(5):
        assert sign_in(client, "sam.agent@vendor.example", "wrong password").status_code == 401
    with caplog.at_level(logging.WARNING, logger="dashboards.auth"):
        blocked = sign_in(client, "sam.agent@vendor.example", PASSWORD)
    assert blocked.status_code == 429, "even the right password waits out the window"
    assert "Too many failed sign-ins" in blocked.get_data(as_text=True)
    assert any("rate limit" in r.getMessage() for r in caplog.records)
    assert client.get("/").status_code == 302


def test_sign_out_ends_the_session_for_good(client) -> None:
    sign_in(client, "lea")
    cookie = client.get_cookie("dashboard_session")
    assert client.get("/").status_code == 200
    layout = client.get("/_dash-layout").get_data(as_text=True)
    with client.session_transaction() as session:
        token = session["csrf"]
    assert token in layout, "the sign-out form carries the session's CSRF token"
    response = client.post("/logout", data={"csrf": token})
    assert response.status_code == 303 and "signed_out=1" in response.headers["Location"]
    assert client.get("/").status_code == 302
    # The old cookie, replayed, opens nothing: the session ended on the server.
    client.set_cookie("dashboard_session", cookie.value)
    assert client.get("/").status_code == 302


def test_sign_out_needs_the_csrf_token(client) -> None:
    sign_in(client, "lea")
    assert client.post("/logout", data={"csrf": "forged"}).status_code == 400
    assert client.get("/").status_code == 200


def test_idle_session_expires(app: dash.Dash, client) -> None:
    sign_in(client, "lea")
    assert client.get("/").status_code == 200
    with sqlite3.connect(app.server.config["APP_STATE_DB"]) as con:
        con.execute(
            "update sessions set last_seen_at = ? where ended_at is null", (time.time() - 31 * 60,)
        )
    expired = client.get("/")
    assert expired.status_code == 302 and "expired=1" in expired.headers["Location"]
    assert "session expired" in client.get(expired.headers["Location"]).get_data(as_text=True)
    assert client.post("/_dash-update-component", json={}).status_code == 401


def test_sign_in_never_redirects_off_site(client) -> None:
    response = sign_in(client, "ana", next_url="//evil.example/steal")
    assert response.headers["Location"] == "/"


def test_security_headers(client) -> None:
    for response in (client.get("/login"), client.get("/")):
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
    sign_in(client)
    assert client.get("/").headers["Cache-Control"] == "no-store"
    cookie = client.get_cookie("dashboard_session")
    assert cookie.http_only and cookie.same_site == "Lax"


# --- the shell and the Overview ------------------------------------------------------------------


def test_index_is_served_with_local_assets_only(client) -> None:
    sign_in(client)
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(url.endswith(".css") or "style.css" in url for url in urls), urls
    assert urls and all(url.startswith("/") and not url.startswith("//") for url in urls), urls


def test_stylesheet_is_vendored(client) -> None:
    css = client.get("/assets/style.css")
    assert css.status_code == 200
    assert "http" not in css.get_data(as_text=True)


def test_overview_is_the_home_page(overview_page) -> None:
    page, _ = overview_page
    assert page["name"] == "Overview"
    assert callable(page["layout"]), "the layout must be a function: no data read at import"


def test_missing_snapshot_shows_a_clear_message(app: dash.Dash, overview_page) -> None:
    page, _ = overview_page
    layout = page["layout"]()
    assert layout.id == ids.OVERVIEW_NO_DATA
    assert "No data published yet — run make pipeline" in str(layout)
    assert str(app.server.config["SERVING_DB"]) in str(layout)


def test_layout_has_the_overview_parts(app: dash.Dash, overview_page, serving_db: Path) -> None:
    page, _ = overview_page
    app.server.config["SERVING_DB"] = str(serving_db)
    found = _ids(page["layout"]())
    assert {
        ids.OVERVIEW_KPI_NPS,
        ids.OVERVIEW_KPI_CSAT,
        ids.OVERVIEW_KPI_NEGATIVE_SHARE,
        ids.OVERVIEW_EMOTION_MIX_GRAPH,
        ids.OVERVIEW_CSAT_BY_EMOTION_GRAPH,
        ids.OVERVIEW_SEGMENTS_HOLDER,
    } <= found


def test_callback_filters_by_the_applied_filters(
    app: dash.Dash, overview_page, serving_db: Path
) -> None:
    _, module = overview_page
    app.server.config["SERVING_DB"] = str(serving_db)
    feb = Filters(start=FEB_START, end=FEB_END).as_dict()
    view = module.update_overview(feb, None)
    assert (view.nps, view.csat, view.negative_share) == tuple(EXPECTED_FEB.values())
    assert view.nps_count == "13 responses"
    assert view.range_title == "2024-02-01/2024-02-29"
    assert "1 Feb 2024 – 29 Feb 2024" in view.range_label
    assert view.emotion_mix.data and view.csat_by_emotion.data
    assert Filters.from_dict(view.filters) == Filters.from_dict(feb)
    at_risk = module.update_overview(Filters(segment=("at_risk",)).as_dict(), feb)
    assert (at_risk.nps, at_risk.csat, at_risk.negative_share) == tuple(EXPECTED_AT_RISK.values())
    assert ids.overview_segment_kpi("at_risk") in _ids(at_risk.segments)


def test_layout_renders_the_urls_view_and_the_callback_keeps_it(
    app: dash.Dash, overview_page, serving_db: Path
) -> None:
    """The first view arrives with the page; the callback redraws only for other filters."""
    page, module = overview_page
    app.server.config["SERVING_DB"] = str(serving_db)
    layout = page["layout"](start=FEB_START.isoformat(), end=FEB_END.isoformat())
    shown = _find(layout, ids.OVERVIEW_SHOWN_FILTERS).data
    assert Filters.from_dict(shown) == Filters(start=FEB_START, end=FEB_END)
    assert _find(layout, ids.OVERVIEW_KPI_NPS).children == EXPECTED_FEB["nps"]
    assert _find(layout, ids.OVERVIEW_EMOTION_MIX_GRAPH).figure.data
    with pytest.raises(PreventUpdate):
        module.update_overview(Filters(start=FEB_START, end=FEB_END).as_dict(), shown)
    whole = module.update_overview(Filters().as_dict(), shown)
    assert (whole.nps, whole.csat, whole.negative_share) == tuple(EXPECTED_FULL.values())


def test_callback_survives_the_snapshot_disappearing(app: dash.Dash, overview_page) -> None:
    _, module = overview_page
    view = module.update_overview(Filters(start=FEB_START, end=FEB_END).as_dict(), None)
    assert view.nps == "—"
    assert "run make pipeline" in view.range_label


def test_shared_filter_callback_resolves_the_url(app: dash.Dash, serving_db: Path) -> None:
    app.server.config["SERVING_DB"] = str(serving_db)
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        flask.g.user = None
        out = filter_outputs(
            "?start=2024-03-01&end=2024-02-01&segment=at_risk",
            None,
            None,
            ([],) * 6,
            ["/", "/voices"],
            from_url=True,
        )
    search, start, end, segment, *_rest = out
    store, label, notice, hrefs = out[-4:]
    assert search == "?start=2024-02-01&end=2024-03-01&segment=at_risk"
    assert (start, end, segment) == ("2024-02-01", "2024-03-01", ["at_risk"])
    assert Filters.from_dict(store) == Filters(
        start=FEB_START.replace(day=1), end=FEB_START.replace(month=3, day=1), segment=("at_risk",)
    )
    assert "turned round" in notice
    assert label.startswith("Showing 2024-02-01 – 2024-03-01")
    assert hrefs == [f"/{search}", f"/voices{search}"]


def test_the_bar_comes_filled_in_from_the_pages_url(app: dash.Dash, serving_db: Path) -> None:
    """The layout is fetched with the page's address as the Referer; the bar shows that URL's
    filters as the shared callback resolves them, so the callback's first answer leaves the bar
    alone (a date typed before it arrives is kept)."""
    from dashboards.app import _shell

    app.server.config["SERVING_DB"] = str(serving_db)
    page = "http://localhost/?start=2024-02-01&end=2024-02-29&segment=at_risk"
    with app.server.test_request_context("/_dash-layout", headers={"Referer": page}):
        flask.g.user = None
        shell = _shell()
        bar = (_find(shell, ids.FILTER_START).value, _find(shell, ids.FILTER_END).value)
        segment = _find(shell, ids.filter_dropdown("segment")).value
        query = "?start=2024-02-01&end=2024-02-29&segment=at_risk"
        shown = (segment, [], [], [], [], [])  # the dropdowns in DIMENSIONS order
        first_answer = filter_outputs(query, *bar, shown, ["/"], from_url=True)
        unfilled_answer = filter_outputs(query, "", "", ([],) * 6, ["/"], from_url=True)
    assert bar == ("2024-02-01", "2024-02-29") and segment == ["at_risk"]
    assert first_answer[1] is dash.no_update and first_answer[2] is dash.no_update
    assert first_answer[3] is dash.no_update  # the segment dropdown
    assert Filters.from_dict(first_answer[-4]) == Filters(
        start=FEB_START, end=FEB_END, segment=("at_risk",)
    )
    # a bar that does not show it yet is written, as before
    assert unfilled_answer[1:4] == ("2024-02-01", "2024-02-29", ["at_risk"])
    # no Referer, or another site's: the bar shows the whole range and no filters
    for headers in ({}, {"Referer": "http://elsewhere.example/?plan=pro&start=2024-03-01"}):
        with app.server.test_request_context("/_dash-layout", headers=headers):
            flask.g.user = None
            shell = _shell()
        assert _find(shell, ids.FILTER_START).value == "2024-01-03"
        assert _find(shell, ids.filter_dropdown("plan")).value == []


def test_typed_dates_apply_and_bad_ones_are_explained(app: dash.Dash, serving_db: Path) -> None:
    app.server.config["SERVING_DB"] = str(serving_db)
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        flask.g.user = None
        typed = filter_outputs("", "2024-02-01", "2030-01-01", ([],) * 6, ["/"], from_url=False)
        bad = filter_outputs("", "2024-02-31", "", ([],) * 6, ["/"], from_url=False)
        outside = filter_outputs(
            "?start=2020-01-01&end=2020-02-01", None, None, ([],) * 6, ["/"], from_url=True
        )
    assert typed[0] == "?start=2024-02-01&end=2024-03-28"
    assert (typed[1], typed[2]) == ("2024-02-01", "2024-03-28"), "the box shows what is used"
    assert "The data ends on 2024-03-28" in typed[-2]
    assert "no date" in bad[-2] and bad[1] == "2024-01-03"
    assert Filters.from_dict(outside[-4]).start.isoformat() == "2024-01-03"
    assert "There is no data from 2020-01-01 to 2020-02-01" in outside[-2]


def test_pages_that_take_no_filters_are_marked(app: dash.Dash) -> None:
    from dashboards.components.filter_bar import unfiltered_paths

    assert sorted(unfiltered_paths()) == ["/account", "/pack", "/risk-score"]


def test_on_a_page_taking_no_filters_the_shared_callback_reads_no_data(
    app: dash.Dash, serving_db: Path, monkeypatch
) -> None:
    """Nothing changes there (bar, applied filters, URL); the filters a URL carries go into the
    navigation links, without reading the snapshot."""
    from dashboards.components import filter_bar

    def no_data_work(*_args):
        raise AssertionError("the shared filter callback read data on a page without filters")

    monkeypatch.setattr(filter_bar, "_resolve_against_data", no_data_work)
    app.server.config["SERVING_DB"] = str(serving_db)
    nav = [{"type": ids.NAV_LINK, "path": p} for p in ("/", "/at-risk", "/account")]
    applied = Filters(plan=("pro",)).as_dict()
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        flask.g.user = None
        with pytest.raises(PreventUpdate):
            filter_bar.apply_filters(
                "?account_id=A4", None, None, *([],) * 6, "/account", nav, applied
            )
        carried = filter_bar.apply_filters(
            "?account_id=A4&plan=starter", None, None, *([],) * 6, "/account", nav, applied
        )
        with pytest.raises(AssertionError, match="read data"):  # as a filtered page does
            filter_bar.filter_outputs("?plan=pro", None, None, ([],) * 6, ["/"], from_url=True)
    assert all(out is dash.no_update for out in carried[:-1])
    assert carried[-1] == ["/?plan=starter", "/at-risk?plan=starter", "/account?plan=starter"]
