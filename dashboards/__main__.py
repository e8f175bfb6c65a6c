"""Serve the dashboard, or manage its users.

``python -m dashboards [--host H] [--port P] [--demo] [--dev-server]``
    serve with gunicorn (several worker processes, timeouts, access log on stdout); ``--demo``
    creates the demo user when missing and prints its password once; ``--dev-server`` uses
    Flask's development server instead (for comparison in ``make bench`` only).
``python -m dashboards users add NAME --role leader|analyst|agent [--owner EMAIL]``
    add or replace a user; the password is asked for (or read from ``DASHBOARD_NEW_PASSWORD``).
``python -m dashboards users demo``
    create the demo user if it is missing, printing its password once.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from dashboards.settings import int_setting, serving_db_path, users_file_path
from dashboards.users import (
    DEMO_ROLE,
    DEMO_USER,
    ROLES,
    User,
    UsersError,
    ensure_demo_user,
    hash_password,
    write_user,
)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["users"]:
        users_main(argv[1:])
    else:
        serve_main(argv)


def serve_main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m dashboards", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8050, help="port (default 8050)")
    parser.add_argument(
        "--serving-db",
        type=Path,
        default=None,
        help="snapshot to read (default: $SERVING_DB, else $WAREHOUSE_DIR/serving.duckdb)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=int_setting("DASHBOARD_WORKERS", max(2, os.cpu_count() or 2)),
        help="gunicorn worker processes (default $DASHBOARD_WORKERS, else one per core, at least 2)",
    )
    parser.add_argument(
        "--demo", action="store_true", help="demo mode: create the demo user when missing"
    )
    parser.add_argument(
        "--dev-server", action="store_true", help="Flask's development server (benchmarks only)"
    )
    args = parser.parse_args(argv)

    if args.demo:
        announce_demo_user(users_file_path())
    serving_db = args.serving_db or serving_db_path()
    from dashboards.app import create_app, set_up_before_serving

    try:
        app = create_app(serving_db, demo=args.demo)
    except UsersError as exc:
        raise SystemExit(f"refusing to start: {exc}") from None
    state = "" if serving_db.is_file() else "  (not published yet — run make pipeline)"
    server = "Flask development server" if args.dev_server else f"gunicorn, {args.workers} workers"
    print(
        f"Dashboard on http://{args.host}:{args.port}/ ({server}) reading {serving_db}{state}",
        flush=True,
    )
    set_up_before_serving(app)
    if args.dev_server:
        app.run(host=args.host, port=args.port, debug=False, threaded=True)
        return
    from dashboards.serve import serve

    serve(app.server, host=args.host, port=args.port, workers=args.workers)


def announce_demo_user(users_file: Path) -> None:
    password = ensure_demo_user(users_file)
    if password is None:
        print(
            f"Demo user {DEMO_USER!r} exists in {users_file} (its password was printed when it "
            f"was created; `python -m dashboards users add {DEMO_USER} --role {DEMO_ROLE}` "
            "sets a new one).",
            flush=True,
        )
    else:
        print(
            f"\nCreated the demo user (shown only this once):\n"
            f"  user name: {DEMO_USER}\n  password:  {password}\n  role:      {DEMO_ROLE}\n",
            flush=True,
        )


def users_main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m dashboards users")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="add or replace a user")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--owner", help="for agents: the accounts' owner value (default: the name)")
    sub.add_parser("demo", help="create the demo user when missing")
    args = parser.parse_args(argv)
    users_file = users_file_path()
    if args.command == "demo":
        announce_demo_user(users_file)
        return
    password = os.environ.get("DASHBOARD_NEW_PASSWORD") or getpass.getpass("Password: ")
    if not os.environ.get("DASHBOARD_NEW_PASSWORD") and getpass.getpass("Again: ") != password:
        raise SystemExit("the passwords differ")
    try:
        password_hash = hash_password(password)
    except ValueError as exc:
        raise SystemExit(str(exc)) from None
    write_user(users_file, User(args.name, args.role, password_hash, owner=args.owner or args.name))
    print(f"{args.name} ({args.role}) saved in {users_file}")


if __name__ == "__main__":
    main()
