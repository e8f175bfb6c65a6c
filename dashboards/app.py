"""The Dash Pages app. ``create_app()`` builds it; ``python -m dashboards`` serves it.

The app only ever reads the published, read-only snapshot ``serving.duckdb`` (see
``dashboards.settings``); it starts, and says so, when nothing has been published yet.
Everything it serves is local: Dash's own JavaScript (``serve_locally``) and ``assets/``.
Every page and callback needs a signed-in user (``dashboards.auth``); the app refuses to start
without users unless it runs in demo mode.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import dash
import flask
from dash import dcc, html

from dashboards import auth, ids, security
from dashboards.components.filter_bar import filter_bar
from dashboards.components.freshness import freshness_line
from dashboards.data import app_state
from dashboards.data.connection import close_all
from dashboards.session_pack import routes as session_pack_routes
from dashboards.settings import (
    app_state_db_path,
    current_serving_db,
    int_setting,
    serving_db_path,
    users_file_path,
    warehouse_dir,
)
from dashboards.users import UsersError, load_users

PACKAGE_DIR = Path(__file__).resolve().parent
PAGES_DIR = PACKAGE_DIR / "pages"
ASSETS_DIR = PACKAGE_DIR / "assets"
APP_TITLE = "Customer emotion"


def create_app(
    serving_db: Path | None = None,
    *,
    users_file: Path | None = None,
    app_state_db: Path | None = None,
    demo: bool = False,
) -> dash.Dash:
    """Build the app reading ``serving_db`` (default: from ``SERVING_DB``/``WAREHOUSE_DIR``).

    Raises :class:`UsersError` when no user can sign in, unless ``demo`` (then the caller has
    created the demo user, see ``python -m dashboards users demo``).
    """
    users_file = Path(users_file) if users_file else users_file_path()
    app_state_db = Path(app_state_db) if app_state_db else app_state_db_path()
    if not load_users(users_file) and not demo:
        raise UsersError(
            f"no dashboard users in {users_file} or DASHBOARD_USERS: add one with "
            "`python -m dashboards users add NAME --role leader|analyst|agent` "
            "(or run `make demo`, which creates a demo user)"
        )
    app_state.migrate(app_state_db)
    app = dash.Dash(
        "dashboards",
        use_pages=True,
        pages_folder=str(PAGES_DIR),
        assets_folder=str(ASSETS_DIR),
        serve_locally=True,
        title=APP_TITLE,
        update_title=None,
        # Pages render different components, and a page without data renders none of its
        # callback targets; Dash then skips those callbacks instead of reporting them.
        suppress_callback_exceptions=True,
    )
    app.server.config["SERVING_DB"] = str(
        Path(serving_db).absolute() if serving_db else serving_db_path()
    )
    app.server.config["APP_STATE_DB"] = str(app_state_db)
    settings = auth.AuthSettings(
        users_file=users_file,
        app_state_db=app_state_db,
        idle_seconds=int_setting("DASHBOARD_SESSION_IDLE_SECONDS", 30 * 60),
        max_seconds=int_setting("DASHBOARD_SESSION_MAX_SECONDS", 12 * 3600),
        secure_cookie=bool(int_setting("DASHBOARD_SECURE_COOKIE", 0)),
    )
    auth.install(app.server, settings, auth.secret_key(warehouse_dir()))
    security.install(app.server)
    session_pack_routes.install(app.server)
    app.layout = _shell
    return app


def _shell() -> html.Div:
    """Header with navigation and the user, the shared filters, freshness, then the page."""
    serving_db = current_serving_db()
    nav = [
        dcc.Link(
            page["name"],
            id={"type": ids.NAV_LINK, "path": page["relative_path"]},
            href=page["relative_path"],
            className="nav-link",
        )
        for page in dash.page_registry.values()
    ]
    return html.Div(
        className="app",
        children=[
            dcc.Location(id=ids.URL, refresh=False),
            html.Header(
                className="topbar",
                children=[
                    html.Div(
                        className="brand",
                        children=[html.Span(className="brand-mark"), html.Span(APP_TITLE)],
                    ),
                    html.Nav(nav, className="nav"),
                    _user_menu(),
                ],
            ),
            html.Main(
                className="content",
                children=[
                    filter_bar(serving_db, _page_query()),
                    freshness_line(serving_db),
                    dash.page_container,
                ],
            ),
        ],
    )


def _page_query() -> str | None:
    """The URL query of the page whose layout is being served. The page fetches its layout
    (/_dash-layout) with its own address as the Referer: same origin, which security.py's
    Referrer-Policy allows. None outside a request or without one."""
    if not flask.has_request_context() or not flask.request.referrer:
        return None
    page = urlsplit(flask.request.referrer)
    if page.netloc != flask.request.host:
        return None
    return f"?{page.query}" if page.query else ""


def _user_menu() -> html.Div | None:
    """Who is signed in, and a sign-out button (a POST form with the session's CSRF token)."""
    user = auth.current_user()
    if user is None:
        return None
    return html.Div(
        className="user-menu",
        children=[
            html.Span(user.name, id="user-name", className="user-name"),
            html.Span(user.role, id="user-role", className="badge role-badge"),
            html.Form(
                action="/logout",
                method="POST",
                children=[
                    dcc.Input(type="hidden", name="csrf", value=auth.csrf_token()),
                    html.Button("Sign out", id="sign-out", className="sign-out", type="submit"),
                ],
            ),
        ],
    )


def set_up_before_serving(app: dash.Dash) -> None:
    """Let Dash set itself up now, once, instead of on its first request.

    Dash registers its component scripts on the first request of each process; with several
    threads, a second "first" request can run before that is done and Dash answers its scripts
    with HTTP 500 (seen under load). Done before gunicorn forks, every worker starts set up.
    """
    with app.server.test_request_context("/"):
        app._setup_server()
    close_all()  # no database instance may cross the fork
