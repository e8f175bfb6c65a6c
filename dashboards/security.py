"""Security headers on every response.

Scripts and styles come only from this server. Dash's renderer starts from an inline script
and plotly sets inline styles, so ``'unsafe-inline'`` is allowed for those; plotly.js compiles
some functions at run time, hence ``'unsafe-eval'``. No frame may embed the app.
"""

from __future__ import annotations

import flask

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "object-src 'none'",
    )
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def install(server: flask.Flask) -> None:
    @server.after_request
    def add_headers(response: flask.Response) -> flask.Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        # Data (pages, callbacks) is never cached; Dash's versioned static files may be.
        path = flask.request.path
        if not path.startswith(("/_dash-component-suites/", "/assets/")):
            response.headers["Cache-Control"] = "no-store"
        return response
