"""The Account page and the session pack's PDF on one snapshot, on gunicorn (part of
``bench_dashboard``; see its docstring). On its own, on a snapshot folder or a fresh synthetic
1M one:

    python -m tests.benchmarks.bench_account [--quick] [WAREHOUSE_DIR_WITH_SERVING_DB]

- **First load**: headless Chromium, signed in, from navigation until the timeline is drawn and
  no callback is pending, a different account each time (median of ``FIRST_LOADS``); with the
  callbacks the browser sent, to show the account's numbers come with the page's first callback.
- **Page callback**: the page-content callback for ``ACCOUNT_PAGE_REQUESTS`` random accounts.
- **JSON writing**: in-process, the Account page as the browser gets it, written by plotly's json
  engine (Dash's default, which the app keeps) and by its orjson engine. orjson cannot write
  Dash components itself, so plotly first copies the whole tree in Python: about twice as slow
  for this page (2026-12-06: 7.7 against 4.1 ms); only bare figures are faster with it.
- **Evidence read**: one account's evidence read by its account (the snapshot keeps it in account
  order) against the naive read by interaction ids alone, which scans every account's evidence.
"""

from __future__ import annotations

import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import duckdb

from tests.support import dashboard as support
from tests.support.dashboard import (
    chrome,
    credentials,
    open_page,
    running_dashboard,
    sign_in,
)

ACCOUNT_PAGE_REQUESTS = 200
FIRST_LOADS = 5
PACK_ACCOUNTS = 5
PACK_PRINTS = 3
SYNTHETIC_SIZE = {"accounts": 10_000, "interactions": 1_000_000, "events": 1_500_000}
QUICK_SYNTHETIC_SIZE = {"accounts": 300, "interactions": 30_000, "events": 45_000}
TIMELINE = "account-timeline-graph"
NAME = "account-name"
REPO = Path(__file__).resolve().parents[2]

# Evidence like the scorer's (a few rows per scored text), so the page's evidence query and
# highlighting have as much to do as on real data.
_EVIDENCE_SQL = """
insert into scores.interaction_evidence
select s.interaction_id, s.scorer_version, e.kind, e.target, e.text, e.weight
from scores.interaction_scores s,
    (values ('token', 'sentiment', 'message', -0.8), ('model', 'frustration', 'message', 0.9),
            ('lexicon', 'sentiment', 'message (word)', 0.4), ('rule', 'sentiment', 'length rule', 0.1),
            ('pattern', 'billing_concern', 'billing words: ''message''', 1.0),
            ('model', 'delight', 'subject', 0.5)) as e(kind, target, text, weight)
"""


def synthetic_snapshot(folder: Path, *, quick: bool = False) -> Path:
    """A serving.duckdb built by dbt from ``bench_memory``'s synthetic warehouse plus evidence."""
    from dagster_project.lib.publish import publish_snapshot
    from tests.benchmarks.bench_memory import synthesize
    from tests.benchmarks.nightly_warehouse import dbt_env

    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "warehouse.duckdb"
    synthesize(db, QUICK_SYNTHETIC_SIZE if quick else SYNTHETIC_SIZE)
    with duckdb.connect(str(db)) as con:
        con.execute(_EVIDENCE_SQL)
    dbt = Path(sys.executable).with_name("dbt")
    done = subprocess.run(
        [str(dbt), "build", "--profiles-dir", ".", "--quiet", "--target-path",
         str(folder / "dbt-target"), "--log-path", str(folder / "dbt-logs"),
         "--exclude", "resource_type:test", "resource_type:unit_test"],
        cwd=REPO / "dbt", env=dbt_env(folder), capture_output=True, text=True, timeout=7200,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(done.stdout[-3000:] + done.stderr[-3000:])
    serving = folder / "serving.duckdb"
    publish_snapshot(db, serving)
    return serving


def _summary_ms(values: list[float]) -> dict:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered) + 0.5) - 1))]
    return {
        "n": len(values),
        "p50_ms": round(statistics.median(values), 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(max(values), 1),
    }


def _accounts(serving_db: Path, n: int, seed: int) -> list[str]:
    with duckdb.connect(str(serving_db), read_only=True) as con:
        ids = [r[0] for r in con.execute("select account_id from marts.dim_accounts").fetchall()]
    return random.Random(seed).sample(ids, min(n, len(ids)))


def _with_account(payload: dict, account_id: str) -> dict:
    payload = json.loads(json.dumps(payload))
    search = "?" + urllib.parse.urlencode({"account_id": account_id})

    def visit(node: object) -> None:
        if isinstance(node, dict):
            if node.get("property") == "search" and "value" in node:
                node["value"] = search
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(payload.get("inputs"))
    visit(payload.get("state"))
    return payload


def first_loads(base_url: str, accounts: list[str]) -> tuple[dict, dict]:
    """Median first load of ``/account?account_id=...`` (a new account each time), the callbacks
    the browser sent for it, and the page-content callback's payload (for the replays)."""
    from tests.benchmarks.bench_dashboard import _captured_payloads

    support.POLL_S = 0.02  # see the page ready within 20 ms, not 200
    times, names_shown = [], 0
    with chrome() as driver:
        sign_in(driver, base_url, "analyst")
        for i, account_id in enumerate(accounts[: FIRST_LOADS + 1]):
            driver.get("about:blank")
            driver.get_log("performance")
            started = time.perf_counter()
            open_page(driver, base_url, f"/account?account_id={account_id}", TIMELINE)
            elapsed = (time.perf_counter() - started) * 1000
            if i:  # the very first load warms the server's workers; it is reported apart
                times.append(elapsed)
            else:
                cold = elapsed
            captured = _captured_payloads(driver)  # (reading the log empties it)
            names_shown += bool(driver.find_element("id", NAME).text.strip())
    payload = next((p for key, p in captured.items() if "_pages_content" in key), None)
    if payload is None:
        raise RuntimeError("no page content callback captured")
    callbacks = sorted(key.split("...")[0].strip(".") for key in captured)
    return {
        **_summary_ms(times),
        "cold_ms": round(cold, 1),
        "callbacks_sent": callbacks,
        "loads_with_the_account_named": f"{names_shown}/{FIRST_LOADS + 1}",
    }, payload


def account_page(base_url: str, serving_db: Path, requests: int) -> dict:
    from tests.benchmarks.bench_dashboard import Session

    accounts = _accounts(serving_db, requests, seed=16)
    first, payload = first_loads(base_url, _accounts(serving_db, FIRST_LOADS + 1, seed=61))
    session = Session(base_url)
    session.sign_in(*credentials(base_url, "analyst"))
    latencies = []
    for account_id in accounts:
        body = _with_account(payload, account_id)
        started = time.perf_counter()
        answer = session.callback(body)
        latencies.append((time.perf_counter() - started) * 1000)
        if account_id not in json.dumps(answer):
            raise RuntimeError(f"the page for {account_id} does not name it")
    return {**_summary_ms(latencies), "first_load": first}


def evidence_vs_naive(serving_db: Path, samples: int = 30) -> dict:
    """In-process: the page's evidence read (by account) against the naive read by ids alone."""
    from dashboards.data import account as data
    from dashboards.data.connection import query_records

    by_account, by_id = [], []
    for account_id in _accounts(serving_db, samples, seed=62):
        ids = [
            r["interaction_id"]
            for r in query_records(
                serving_db,
                "select interaction_id from marts.fct_interactions where account_id = $a "
                "order by occurred_at desc limit $n",
                {"a": account_id, "n": data.INTERACTIONS_SHOWN},
            )
        ]
        answers = []
        for sql, params, into in (
            (data._EVIDENCE_SQL, {"account_id": account_id, "ids": ids}, by_account),
            (data._EVIDENCE_SQL_BY_ID, {"ids": ids}, by_id),
        ):
            started = time.perf_counter()
            answers.append(query_records(serving_db, sql, params))
            into.append((time.perf_counter() - started) * 1000)
        if answers[0] != answers[1]:
            raise RuntimeError(f"the two evidence reads differ for {account_id}")
    ours, naive = statistics.median(by_account), statistics.median(by_id)
    return {
        "by_account_p50_ms": round(ours, 1),
        "naive_by_ids_p50_ms": round(naive, 1),
        "naive_over_ours": round(naive / ours, 1),
    }


def interaction_list_vs_naive(serving_db: Path, samples: int = 30) -> dict:
    """In-process: the page's 25 newest with evidence, against every interaction with evidence."""
    from dashboards.data import account as data
    from dashboards.data.privacy import policy_for

    policy = policy_for("analyst")
    page, naive = [], []
    for account_id in _accounts(serving_db, samples, seed=61):
        for limit, into in ((data.INTERACTIONS_SHOWN, page), (10**9, naive)):
            started = time.perf_counter()
            data.interactions(serving_db, account_id, policy, limit=limit)
            into.append((time.perf_counter() - started) * 1000)
    p, n = statistics.median(page), statistics.median(naive)
    return {
        "page_p50_ms": round(p, 1),
        "naive_p50_ms": round(n, 1),
        "naive_over_page": round(n / p, 1),
    }


def json_writing(serving_db: Path, samples: int = 30, repeats: int = 5) -> dict:
    """In-process: the Account page's layout (chart, template, interactions) written as Dash
    sends it, by plotly's json engine (the app's) and by its orjson engine; the best of
    ``repeats`` per account, the two engines taking turns, their JSON checked equal."""
    import dash
    import flask
    from plotly.io.json import to_json_plotly

    from dashboards.app import create_app
    from dashboards.users import User, hash_password

    with tempfile.TemporaryDirectory(prefix="bench-account-json-") as tmp:
        os.environ.setdefault("DASHBOARD_SECRET_KEY", "bench-only-secret-key")
        app = create_app(
            serving_db,
            users_file=Path(tmp) / "users.yaml",
            app_state_db=Path(tmp) / "state.sqlite",
            demo=True,
        )
        page = next(p for p in dash.page_registry.values() if p["path"] == "/account")
        user = User("bench", "analyst", hash_password("bench password"), "")
        times: dict[str, list[float]] = {"json": [], "orjson": []}
        written = 0
        for account_id in _accounts(serving_db, samples, seed=64):
            with app.server.test_request_context("/"):
                flask.g.user = user
                layout = page["layout"](account_id=account_id)
                best = {}
                for _ in range(repeats):
                    for engine in times:
                        started = time.perf_counter()
                        text = to_json_plotly(layout, engine=engine)
                        elapsed = (time.perf_counter() - started) * 1000
                        best[engine] = min(best.get(engine, elapsed), elapsed)
                        if engine == "orjson" and json.loads(text) != json.loads(
                            to_json_plotly(layout, engine="json")
                        ):
                            raise RuntimeError(f"the engines write {account_id} differently")
                written += len(text)
            for engine in times:
                times[engine].append(best[engine])
    ours, other = statistics.median(times["json"]), statistics.median(times["orjson"])
    return {
        "accounts": len(times["json"]),
        "json_engine_p50_ms": round(ours, 2),
        "orjson_engine_p50_ms": round(other, 2),
        "orjson_over_json": round(other / ours, 2),
        "page_kib": round(written / len(times["json"]) / 1024, 1),
    }


def _download(session, path: str) -> bytes:
    with session.opener.open(f"{session.base_url}{path}", timeout=120) as response:
        if response.status != 200:
            raise RuntimeError(f"{path} answered {response.status}")
        return response.read()


def pack_pdf(base_url: str, serving_db: Path) -> dict:
    from pypdf import PdfReader

    from tests.benchmarks.bench_dashboard import Session

    session = Session(base_url)
    session.sign_in(*credentials(base_url, "analyst"))
    accounts = _accounts(serving_db, PACK_ACCOUNTS, seed=5)
    path = "/pack/export.pdf?" + urllib.parse.urlencode({"accounts": ",".join(accounts)})
    seconds = []
    for _ in range(PACK_PRINTS):
        started = time.perf_counter()
        body = _download(session, path)
        seconds.append(time.perf_counter() - started)
    import io

    pages = len(PdfReader(io.BytesIO(body)).pages)
    html = _download(session, path.replace(".pdf", ".html")).decode()
    naive = _naive_plotly_pdf(html, serving_db, accounts)
    return {
        "accounts": len(accounts),
        "pages": pages,
        "median_s": round(statistics.median(seconds), 2),
        "max_s": round(max(seconds), 2),
        "pdf_bytes": len(body),
        "naive_plotlyjs_s": round(naive, 2),
        "naive_over_ours": round(naive / statistics.median(seconds), 1),
    }


def _naive_plotly_pdf(html: str, serving_db: Path, accounts: list[str]) -> float:
    """The same pack with plotly's own charts (plotly.js inlined), printed the same way."""
    import plotly.graph_objects as go
    from plotly.offline import get_plotlyjs

    from dashboards.data import account as data
    from dashboards.figures.timeline import timeline_figure
    from dashboards.session_pack.pdf import html_to_pdf

    charts = []
    for account_id in accounts:
        timeline = data.timeline(serving_db, account_id)
        figure = timeline_figure(timeline.weeks, timeline.events, height=300)
        charts.append(go.Figure(figure).to_html(full_html=False, include_plotlyjs=False))
    svgs = iter(charts)
    naive = re.sub(r"<svg class=\"timeline-svg\".*?</svg>", lambda _m: next(svgs), html, flags=re.S)
    naive = naive.replace("</head>", f"<script>{get_plotlyjs()}</script></head>", 1)
    started = time.perf_counter()
    html_to_pdf(naive)
    return time.perf_counter() - started


def run_on(serving_db: Path, *, quick: bool = False) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-account-") as tmp:
        warehouse = Path(tmp)
        (warehouse / "serving.duckdb").symlink_to(Path(serving_db).absolute())
        with running_dashboard(warehouse, timeout=180) as base_url:
            page = account_page(base_url, serving_db, 40 if quick else ACCOUNT_PAGE_REQUESTS)
            pdf = pack_pdf(base_url, serving_db)
    return {
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "account_page": page,
        "json_writing": json_writing(serving_db),
        "evidence_read": evidence_vs_naive(serving_db),
        "interaction_list": interaction_list_vs_naive(serving_db),
        "pack_pdf": pdf,
    }


def main(argv: list[str]) -> None:
    quick = "--quick" in argv
    given = [a for a in argv if not a.startswith("--")]
    with tempfile.TemporaryDirectory(prefix="bench-account-snapshot-") as tmp:
        if given:
            serving_db = Path(given[0]) / "serving.duckdb"
        else:
            started = time.perf_counter()
            serving_db = synthetic_snapshot(Path(tmp), quick=quick)
            print(f"synthetic snapshot built in {time.perf_counter() - started:.0f} s", flush=True)
        with duckdb.connect(str(serving_db), read_only=True) as con:
            (n,) = con.execute("select count(*) from marts.fct_interactions").fetchone()
        print(json.dumps({"interactions": n, **run_on(serving_db, quick=quick)}, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
