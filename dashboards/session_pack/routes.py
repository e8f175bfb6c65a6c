"""Downloads of the Session pack page, behind the login like every page (``auth``'s gate):

- ``/pack/export.html?accounts=A1,A2,A3`` — the pack as one HTML document;
- ``/pack/export.pdf?accounts=...`` — the same document printed by headless Chromium;
- ``/pack/outcomes.csv[?accounts=...]`` — the outcomes teams agreed, for the CRM.

Everything is masked for the signed-in user's role, as on the pages.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import flask

from dashboards.auth import require_user
from dashboards.data import app_state
from dashboards.data import pack as data
from dashboards.data.connection import ServingUnavailable
from dashboards.data.freshness import published_at
from dashboards.data.privacy import Policy, policy_for
from dashboards.session_pack.document import PackInfo, render_pack
from dashboards.session_pack.pdf import PdfUnavailable, html_to_pdf

OUTCOME_COLUMNS = (
    "account_id",
    "account_name",
    "session_date",
    "state",
    "cause",
    "action",
    "follow_up_by",
    "note",
    "recorded_by",
    "recorded_at",
)


class BadPackRequest(ValueError):
    pass


def csv_cell(value: str | None) -> str:
    """A value as a CSV cell a spreadsheet will not run: text typed by people may start with
    ``=``, ``+``, ``-`` or ``@``, which spreadsheets read as a formula.

    >>> csv_cell("=HYPERLINK(1)"), csv_cell("call on Monday"), csv_cell(None)
    ("'=HYPERLINK(1)", 'call on Monday', '')
    """
    text = value or ""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def parse_accounts(value: str | None) -> list[str]:
    """The account ids of ``accounts=A1,A2,...``: distinct, in order, 3 to 5 of them.

    >>> parse_accounts("A1, A2,A1,A3")
    ['A1', 'A2', 'A3']
    >>> parse_accounts("A1,A2")
    Traceback (most recent call last):
    ...
    dashboards.session_pack.routes.BadPackRequest: a session pack holds 3 to 5 accounts, not 2
    """
    ids = list(dict.fromkeys(v.strip() for v in (value or "").split(",") if v.strip()))
    if not data.MIN_ACCOUNTS <= len(ids) <= data.MAX_ACCOUNTS:
        raise BadPackRequest(
            f"a session pack holds {data.MIN_ACCOUNTS} to {data.MAX_ACCOUNTS} accounts, "
            f"not {len(ids)}"
        )
    return ids


def build_pack(serving_db: Path, account_ids: list[str], policy: Policy, prepared_by: str) -> str:
    accounts = []
    for account_id in account_ids:
        account = data.pack_account(serving_db, account_id, policy)
        if account is None:
            raise BadPackRequest(f"no account {account_id!r} in the published snapshot")
        accounts.append(account)
    info = PackInfo(
        prepared_by=prepared_by,
        prepared_at=datetime.now(UTC),
        data_as_of=published_at(serving_db),
    )
    return render_pack(accounts, info)


def install(server: flask.Flask) -> None:
    def serving_db() -> Path:
        return Path(server.config["SERVING_DB"])

    def policy_and_name() -> tuple[Policy, str]:
        user = require_user()
        return policy_for(user.role, user.owner), user.name

    def pack_or_error() -> str | flask.Response:
        policy, name = policy_and_name()
        try:
            ids = parse_accounts(flask.request.args.get("accounts"))
            return build_pack(serving_db(), ids, policy, name)
        except BadPackRequest as exc:
            return _text(str(exc), 400)
        except ServingUnavailable as exc:
            return _text(f"no data to pack: {exc}", 503)

    @server.route("/pack/export.html")
    def pack_html() -> flask.Response:
        document = pack_or_error()
        if isinstance(document, flask.Response):
            return document
        return _download(document.encode("utf-8"), "text/html; charset=utf-8", "html")

    @server.route("/pack/export.pdf")
    def pack_pdf() -> flask.Response:
        document = pack_or_error()
        if isinstance(document, flask.Response):
            return document
        try:
            pdf = html_to_pdf(document)
        except PdfUnavailable as exc:
            return _text(str(exc), 503)
        return _download(pdf, "application/pdf", "pdf")

    @server.route("/pack/outcomes.csv")
    def outcomes_csv() -> flask.Response:
        policy, _ = policy_and_name()
        wanted = flask.request.args.get("accounts")
        ids = [v.strip() for v in wanted.split(",") if v.strip()] if wanted else None
        rows = app_state.session_outcomes(Path(server.config["APP_STATE_DB"]), ids)
        try:
            names = data.account_labels(serving_db(), sorted({r.account_id for r in rows}), policy)
        except ServingUnavailable:
            names = {}
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(OUTCOME_COLUMNS)
        for r in rows:
            writer.writerow(
                csv_cell(v)
                for v in (
                    r.account_id,
                    names.get(r.account_id, r.account_id),
                    r.session_date,
                    r.state,
                    r.cause,
                    r.action,
                    r.follow_up_by,
                    r.note,
                    r.recorded_by,
                    r.recorded_at,
                )
            )
        return _download(
            out.getvalue().encode("utf-8"),
            "text/csv; charset=utf-8",
            "csv",
            stem="session-outcomes",
        )


def _download(
    body: bytes, mimetype: str, suffix: str, *, stem: str = "session-pack"
) -> flask.Response:
    response = flask.Response(body, mimetype=mimetype)
    day = datetime.now(UTC).strftime("%Y-%m-%d")
    response.headers["Content-Disposition"] = f'attachment; filename="{stem}-{day}.{suffix}"'
    return response


def _text(message: str, status: int) -> flask.Response:
    return flask.Response(message + "\n", status=status, mimetype="text/plain")
