"""Sign-in for every page and every callback.

A ``before_request`` gate lets through only the login page, sign-out, and static files that hold
no data (``/assets/``, Dash's own JavaScript). Everything else needs a live session:

- a session is a row in the app-state database (``sessions``) plus its id in Flask's signed,
  HttpOnly cookie; signing out or expiring ends the row, so an old cookie is worth nothing;
- it expires after ``DASHBOARD_SESSION_IDLE_SECONDS`` without a request (default 30 minutes)
  and ``DASHBOARD_SESSION_MAX_SECONDS`` after sign-in (default 12 hours);
- failed sign-ins are logged (logger ``dashboards.auth``) and counted in the app-state database,
  which every worker process shares: after ``MAX_FAILURES_PER_USER`` failures for one name, or
  ``MAX_FAILURES_PER_ADDRESS`` from one address, within ``FAILURE_WINDOW_SECONDS``, sign-in is
  refused (HTTP 429) until the window has passed.

Pages answer anonymous visitors with a redirect to ``/login``; callbacks and Dash's layout
endpoints with HTTP 401 and no data.
"""

from __future__ import annotations

import hmac
import logging
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import flask
from markupsafe import escape

from dashboards.data import app_state
from dashboards.users import User, load_users, verify

log = logging.getLogger("dashboards.auth")

MAX_FAILURES_PER_USER = 5
MAX_FAILURES_PER_ADDRESS = 20
FAILURE_WINDOW_SECONDS = 15 * 60
# How often a session's last-seen time is written (the idle clock's resolution).
TOUCH_EVERY_SECONDS = 15

PUBLIC_PREFIXES = ("/assets/", "/_dash-component-suites/")
PUBLIC_PATHS = ("/login", "/logout", "/_favicon.ico", "/favicon.ico")


@dataclass(frozen=True)
class AuthSettings:
    users_file: Path
    app_state_db: Path
    idle_seconds: int = 30 * 60
    max_seconds: int = 12 * 3600
    secure_cookie: bool = False


class _UsersCache:
    """Users re-read when the users file changes, so adding one needs no restart."""

    def __init__(self, users_file: Path) -> None:
        self.users_file = users_file
        self._stamp: tuple | None = None
        self._users: dict[str, User] = {}

    def get(self) -> dict[str, User]:
        try:
            stat = self.users_file.stat()
            stamp = (stat.st_mtime_ns, stat.st_size, os.environ.get("DASHBOARD_USERS", ""))
        except FileNotFoundError:
            stamp = (None, None, os.environ.get("DASHBOARD_USERS", ""))
        if stamp != self._stamp:
            self._users = load_users(self.users_file)
            self._stamp = stamp
        return self._users


def current_user() -> User | None:
    """The signed-in user of this request (None outside a request or when anonymous)."""
    if not flask.has_request_context():
        return None
    return flask.g.get("user")


def require_user() -> User:
    user = current_user()
    if user is None:
        flask.abort(401)
    return user


def install(server: flask.Flask, settings: AuthSettings, secret_key: str) -> None:
    """Put the gate, ``/login`` and ``/logout`` on the Flask server."""
    server.secret_key = secret_key
    server.config.update(
        # Cookies ignore ports: two dashboards on one host need different names.
        SESSION_COOKIE_NAME=os.environ.get("DASHBOARD_COOKIE_NAME") or "dashboard_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookie,
        PERMANENT_SESSION_LIFETIME=settings.max_seconds,
        # The cookie is written only when the session changes (sign-in): a callback answered
        # late must not put back an older cookie. Expiry is kept on the server (sessions table).
        SESSION_REFRESH_EACH_REQUEST=False,
    )
    users = _UsersCache(settings.users_file)
    db = settings.app_state_db

    @server.before_request
    def gate() -> flask.Response | None:
        path = flask.request.path
        if path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES):
            return None
        user, reason = _session_user(settings, users.get())
        if user is not None:
            flask.g.user = user
            return None
        if path.startswith("/_dash-") or path.startswith("/_reload"):
            return flask.Response(
                '{"error": "sign-in required"}', status=401, mimetype="application/json"
            )
        target = flask.request.full_path if flask.request.query_string else path
        query = f"?next={quote(target, safe='/')}"
        if reason == "expired":
            query += "&expired=1"
        return flask.redirect(f"/login{query}", code=302)

    @server.route("/login", methods=["GET", "POST"])
    def login() -> flask.Response:
        if flask.request.method == "GET":
            message = ""
            if flask.request.args.get("expired"):
                message = "Your session expired. Please sign in again."
            elif flask.request.args.get("signed_out"):
                message = "You are signed out."
            return _login_page(message, next_url=flask.request.args.get("next", "/"))
        return _handle_login(settings, users.get(), db)

    @server.route("/logout", methods=["POST"])
    def logout() -> flask.Response:
        if not _csrf_ok():
            return flask.Response("bad request", status=400)
        sid = flask.session.get("sid")
        if sid:
            app_state.end_session(db, sid, "signed out")
            log.info("sign-out: %s", flask.session.get("user"))
        flask.session.clear()
        return flask.redirect("/login?signed_out=1", code=303)


def _session_user(settings: AuthSettings, users: dict[str, User]) -> tuple[User | None, str]:
    sid = flask.session.get("sid")
    if not sid:
        return None, "anonymous"
    row = app_state.get_session(settings.app_state_db, sid)
    now = time.time()
    if row is None or row.ended_at is not None:
        flask.session.clear()
        return None, "expired" if row is not None else "anonymous"
    if (
        now - row.last_seen_at > settings.idle_seconds
        or now - row.created_at > settings.max_seconds
    ):
        app_state.end_session(settings.app_state_db, sid, "expired", at=now)
        flask.session.clear()
        return None, "expired"
    user = users.get(row.username)
    if user is None:  # removed from the users file since signing in
        app_state.end_session(settings.app_state_db, sid, "user removed", at=now)
        flask.session.clear()
        return None, "anonymous"
    if now - row.last_seen_at >= TOUCH_EVERY_SECONDS:
        app_state.touch_session(settings.app_state_db, sid, now)
    return user, "ok"


def _handle_login(settings: AuthSettings, users: dict[str, User], db: Path) -> flask.Response:
    form = flask.request.form
    name = form.get("username", "").strip()
    password = form.get("password", "")
    next_url = _safe_next(form.get("next", "/"))
    addr = flask.request.remote_addr or "unknown"
    if not _csrf_ok():
        return _login_page("Your sign-in form expired; please try again.", next_url, status=400)
    now = time.time()
    by_user, by_addr, oldest = app_state.recent_login_failures(
        db, name, addr, now - FAILURE_WINDOW_SECONDS
    )
    if by_user >= MAX_FAILURES_PER_USER or by_addr >= MAX_FAILURES_PER_ADDRESS:
        wait_min = max(1, round(((oldest or now) + FAILURE_WINDOW_SECONDS - now) / 60))
        log.warning("sign-in refused (rate limit) for user %r from %s", name, addr)
        return _login_page(
            f"Too many failed sign-ins. Try again in about {wait_min} minutes.",
            next_url,
            status=429,
            username=name,
        )
    user = verify(users, name, password) if name and password else None
    if user is None:
        app_state.record_login_failure(db, name, addr, at=now)
        log.warning("failed sign-in for user %r from %s", name, addr)
        return _login_page("Wrong user name or password.", next_url, status=401, username=name)
    app_state.clear_login_failures(db, name)
    flask.session.clear()
    sid = secrets.token_urlsafe(32)
    app_state.start_session(db, sid, user.name, at=now)
    flask.session.permanent = True
    flask.session["sid"] = sid
    flask.session["user"] = user.name
    csrf_token()  # the sign-out form's token, fixed for the whole session
    log.info("sign-in: %s (%s) from %s", user.name, user.role, addr)
    return flask.redirect(next_url, code=303)


def _safe_next(value: str) -> str:
    """Only a path on this site: never another host (``//evil``, ``https://...``).

    >>> _safe_next("/?start=2026-01-01"), _safe_next("//evil.example/x"), _safe_next("https://e")
    ('/?start=2026-01-01', '/', '/')
    """
    parts = urlsplit(value or "/")
    if parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//"):
        return "/"
    if value.startswith("/login") or value.startswith("/logout"):
        return "/"
    return value


def csrf_token() -> str:
    token = flask.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(24)
        flask.session["csrf"] = token
    return token


def _csrf_ok() -> bool:
    sent = flask.request.form.get("csrf", "")
    expected = flask.session.get("csrf", "")
    return bool(sent) and bool(expected) and hmac.compare_digest(sent, expected)


def _login_page(
    message: str, next_url: str, *, status: int = 200, username: str = ""
) -> flask.Response:
    body = LOGIN_PAGE.format(
        message=f'<p class="login-message" id="login-message" role="alert">{escape(message)}</p>'
        if message
        else "",
        next=escape(_safe_next(next_url)),
        csrf=escape(csrf_token()),
        username=escape(username),
    )
    response = flask.make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    return response


LOGIN_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · Customer emotion</title>
<link rel="stylesheet" href="/assets/style.css">
</head>
<body class="login-body">
<main class="login-card">
  <div class="brand login-brand"><span class="brand-mark"></span><span>Customer emotion</span></div>
  <h1>Sign in</h1>
  {message}
  <form method="post" action="/login" id="login-form">
    <input type="hidden" name="csrf" value="{csrf}">
    <input type="hidden" name="next" value="{next}">
    <label for="login-username">User name</label>
    <input id="login-username" name="username" autocomplete="username" required value="{username}">
    <label for="login-password">Password</label>
    <input id="login-password" name="password" type="password" autocomplete="current-password" required>
    <button type="submit" id="login-submit">Sign in</button>
  </form>
</main>
</body>
</html>
"""


def secret_key(warehouse_dir: Path, env: dict[str, str] | None = None) -> str:
    """``DASHBOARD_SECRET_KEY``, else a random key kept in ``$WAREHOUSE_DIR/.dashboard_secret``
    (0600; created once, read by every worker, so sessions survive a restart)."""
    env = os.environ if env is None else env
    if env.get("DASHBOARD_SECRET_KEY"):
        return env["DASHBOARD_SECRET_KEY"]
    path = Path(warehouse_dir) / ".dashboard_secret"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(48))
    for _ in range(50):  # another worker may be writing it this instant
        key = path.read_text().strip()
        if key:
            return key
        time.sleep(0.02)
    raise RuntimeError(f"empty secret file {path}")
