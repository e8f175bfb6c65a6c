"""The Dash Pages app. ``create_app()`` builds it; ``python -m dashboards`` serves it.

The app only ever reads the published, read-only snapshot ``serving.duckdb`` (see
``dashboards.settings``); it starts, and says so, when nothing has been published yet.
Everything it serves is local: Dash's own JavaScript (``serve_locally``) and ``assets/``.
"""

from __future__ import annotations

from pathlib import Path

import dash
from dash import dcc, html

from dashboards.settings import serving_db_path

PACKAGE_DIR = Path(__file__).resolve().parent
PAGES_DIR = PACKAGE_DIR / "pages"
ASSETS_DIR = PACKAGE_DIR / "assets"
APP_TITLE = "Customer emotion"


def create_app(serving_db: Path | None = None) -> dash.Dash:
    """Build the app reading ``serving_db`` (default: from ``SERVING_DB``/``WAREHOUSE_DIR``)."""
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
    app.layout = _shell
    return app


def _shell() -> html.Div:
    """Header with navigation over every registered page, then the page itself."""
    nav = [
        dcc.Link(page["name"], href=page["relative_path"], className="nav-link")
        for page in dash.page_registry.values()
    ]
    return html.Div(
        className="app",
        children=[
            html.Header(
                className="topbar",
                children=[
                    html.Div(
                        className="brand",
                        children=[html.Span(className="brand-mark"), html.Span(APP_TITLE)],
                    ),
                    html.Nav(nav, className="nav"),
                ],
            ),
            html.Main(dash.page_container, className="content"),
        ],
    )
