"""The production server: gunicorn with several worker processes, timeouts and an access log.

The app is built once in the master and forked into the workers (``preload_app``): nothing in
it holds a database connection between requests (DuckDB and SQLite are opened per query), so
forking is safe and each worker starts in no time.
"""

from __future__ import annotations

import time
from pathlib import Path

import flask
from gunicorn.app.base import BaseApplication

from dashboards.data.connection import close_all
from dashboards.data.overview import warm_up

ACCESS_LOG_FORMAT = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'


class _Server(BaseApplication):
    def __init__(self, wsgi_app: flask.Flask, options: dict) -> None:
        self.wsgi_app = wsgi_app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> flask.Flask:
        return self.wsgi_app


def _post_fork(_server, worker) -> None:
    # A database instance must not cross a fork: each worker opens its own, and reads the
    # Overview's first answers once before it takes requests.
    close_all()
    serving_db = worker.app.wsgi_app.config.get("SERVING_DB")
    if serving_db:
        started = time.perf_counter()
        warm_up(Path(serving_db))
        worker.log.info(
            "read the Overview's first answers in %.0f ms", 1000 * (time.perf_counter() - started)
        )


def server_options(host: str, port: int, workers: int) -> dict:
    """gunicorn settings (threads per worker let a slow query not block the worker's others).

    >>> server_options("127.0.0.1", 8050, 4)["bind"]
    ['127.0.0.1:8050']
    """
    return {
        "bind": [f"{host}:{port}"],
        "workers": max(1, workers),
        "worker_class": "gthread",
        "threads": 4,
        "timeout": 30,
        "graceful_timeout": 10,
        "keepalive": 5,
        "max_requests": 5000,
        "max_requests_jitter": 500,
        "limit_request_line": 8190,
        "accesslog": "-",
        "errorlog": "-",
        "access_log_format": ACCESS_LOG_FORMAT,
        "preload_app": True,
        "proc_name": "crm-emotion-dashboard",
        # One shared control socket per user would clash between instances; not needed here.
        "control_socket_disable": True,
        "post_fork": _post_fork,
    }


def serve(wsgi_app: flask.Flask, *, host: str, port: int, workers: int) -> None:
    _Server(wsgi_app, server_options(host, port, workers)).run()
