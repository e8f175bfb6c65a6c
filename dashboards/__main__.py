"""``python -m dashboards --host 127.0.0.1 --port 8050``: serve the dashboard."""

from __future__ import annotations

import argparse
from pathlib import Path

from dashboards.app import create_app
from dashboards.settings import serving_db_path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m dashboards", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8050, help="port (default 8050)")
    parser.add_argument(
        "--serving-db",
        type=Path,
        default=None,
        help="snapshot to read (default: $SERVING_DB, else $WAREHOUSE_DIR/serving.duckdb)",
    )
    parser.add_argument("--debug", action="store_true", help="Dash dev tools and reloader")
    args = parser.parse_args(argv)

    serving_db = args.serving_db or serving_db_path()
    app = create_app(serving_db)
    state = "" if serving_db.is_file() else "  (not published yet — run make pipeline)"
    print(f"Dashboard on http://{args.host}:{args.port}/ reading {serving_db}{state}", flush=True)
    app.run(host=args.host, port=args.port, debug=args.debug)


if __name__ == "__main__":
    main()
