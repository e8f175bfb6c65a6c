"""Drive the real dashboard: a server in a subprocess, headless Chromium, and the numbers to expect.

Used by the dashboard's browser tests and by the end-to-end pipeline test, so the API is fixed:

- ``running_dashboard(warehouse_dir)`` → base URL of ``python -m dashboards`` (gunicorn) on a free
  port, with one test user per role (:data:`TEST_USERS`, passwords in :func:`credentials`);
- ``chrome()`` → a selenium WebDriver on Debian's ``/usr/bin/chromium`` + ``/usr/bin/chromedriver``;
- ``sign_in(driver, base_url, role)`` → signs in through the login page;
- ``read_overview_kpis(driver, base_url, start=None, end=None)`` → what the Overview shows (signing
  in as the analyst first when the login page comes up);
- ``expected_overview_kpis(serving_db, start=None, end=None)`` → the same, from our own SQL.

``expected_overview_kpis`` deliberately shares no code with ``dashboards``: it sums the counts
with its own queries and formats them itself, so a bug in the app cannot hide in both places.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import quote, urlsplit

import duckdb
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROME_ARGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1440,1100",
)

# The users every test server has: name -> (role, accounts' owner). Passwords are random per
# server (see ``credentials``); nothing is a default password of the app.
TEST_USERS = {
    "test-leader": ("leader", "test-leader"),
    "test-analyst": ("analyst", "test-analyst"),
    "sam.agent@vendor.example": ("agent", "sam.agent@vendor.example"),
}
ROLE_USERS = {role: name for name, (role, _) in TEST_USERS.items()}
_CREDENTIALS: dict[str, dict[str, str]] = {}

# Element ids of the login page and the shell
LOGIN_FORM = "login-form"
LOGIN_USERNAME = "login-username"
LOGIN_PASSWORD = "login-password"
LOGIN_MESSAGE = "login-message"
SIGN_OUT = "sign-out"
USER_ROLE = "user-role"
FILTER_APPLIED = "filter-applied-label"
FILTER_NOTICE = "filter-notice"
FILTER_BAR = "filter-bar"
FILTER_NOT_USED = "filter-not-used"
FRESHNESS = "freshness"

# Element ids of the Overview page (spelled out here rather than imported from dashboards.ids,
# so a renamed id fails loudly in the tests instead of silently following along).
DATE_START_INPUT = "filter-start"
DATE_END_INPUT = "filter-end"
RANGE_LABEL = "overview-range-label"
NO_DATA = "overview-no-data"
KPI_IDS = {
    "nps": "overview-kpi-nps",
    "csat": "overview-kpi-csat",
    "negative_share": "overview-kpi-negative-share",
}
COUNT_IDS = {name: f"{element_id}-count" for name, element_id in KPI_IDS.items()}
SEGMENT_ID_PREFIX = "overview-kpi-segment-"
SEGMENTS = ("champion", "content", "at_risk", "frustrated", "disengaged", "churned")
NO_VALUE = "—"

DEFAULT_TIMEOUT = 30.0
POLL_S = 0.2  # how often waits look again (the dashboard benchmark looks more often)


# --- the server ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def credentials(base_url: str, role: str) -> tuple[str, str]:
    """User name and password of the test user with ``role`` on the server at ``base_url``."""
    name = ROLE_USERS[role]
    return name, _CREDENTIALS[base_url.rstrip("/")][name]


@contextlib.contextmanager
def running_dashboard(
    warehouse_dir: Path,
    *,
    timeout: float = 90.0,
    env: dict[str, str] | None = None,
    dev_server: bool = False,
    workers: int = 2,
) -> Iterator[str]:
    """Serve the real app (``python -m dashboards``) on a free local port; yield its base URL.

    ``WAREHOUSE_DIR`` is set to ``warehouse_dir`` (and ``SERVING_DB`` removed), so the app reads
    ``warehouse_dir/serving.duckdb``. The users file (in a temporary folder) holds
    :data:`TEST_USERS` with fresh random passwords. The server is always terminated on exit; if it
    dies or does not answer in time, the error carries its output. ``env`` adds settings (e.g. a
    short session lifetime); ``dev_server`` serves with Flask's development server instead.
    """
    from dashboards.users import User, hash_password, write_user

    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="dashboard-users-") as users_dir:
        users_file = Path(users_dir) / "users.yaml"
        passwords = {}
        for name, (role, owner) in TEST_USERS.items():
            passwords[name] = secrets.token_urlsafe(12)
            write_user(users_file, User(name, role, hash_password(passwords[name]), owner=owner))
        _CREDENTIALS[base_url] = passwords
        server_env = {**os.environ, "WAREHOUSE_DIR": str(Path(warehouse_dir).absolute())}
        for name in ("SERVING_DB", "DASHBOARD_USERS", "DASHBOARD_STATE_DB", "DASHBOARD_SECRET_KEY"):
            server_env.pop(name, None)
        server_env["DASHBOARD_USERS_FILE"] = str(users_file)
        # Browsers share cookies across ports: each test server gets its own cookie name.
        server_env["DASHBOARD_COOKIE_NAME"] = f"dashboard_session_{port}"
        server_env["PYTHONUNBUFFERED"] = "1"
        server_env.update(env or {})
        command = [sys.executable, "-m", "dashboards", "--host", "127.0.0.1", "--port", str(port)]
        command += ["--dev-server"] if dev_server else ["--workers", str(workers)]
        with tempfile.TemporaryFile(mode="w+", prefix="dashboard-log-") as log:
            proc = subprocess.Popen(
                command, cwd=REPO_ROOT, env=server_env, stdout=log, stderr=subprocess.STDOUT
            )
            try:
                _wait_until_serving(proc, base_url, log, timeout)
                yield base_url
            finally:
                _CREDENTIALS.pop(base_url, None)
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=10)


def _wait_until_serving(proc: subprocess.Popen, base_url: str, log, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"dashboard exited with {proc.returncode}:\n{_read_log(log)}")
        try:
            with urllib.request.urlopen(f"{base_url}/login", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    raise TimeoutError(f"dashboard did not answer on {base_url} in {timeout}s:\n{_read_log(log)}")


def _read_log(log) -> str:
    log.flush()
    log.seek(0)
    return log.read()[-5000:]


# --- the browser -----------------------------------------------------------------------------


@contextlib.contextmanager
def chrome() -> Iterator[WebDriver]:
    """Headless Debian Chromium with a fresh profile; nothing is downloaded by selenium-manager.

    Chrome's performance log is on, so :func:`outside_requests` can list every URL requested.
    """
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        options = Options()
        options.binary_location = CHROMIUM
        for arg in CHROME_ARGS:
            options.add_argument(arg)
        options.add_argument(f"--user-data-dir={profile}")
        options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
        # A driver path in Service makes selenium skip selenium-manager entirely.
        driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
        try:
            driver.set_page_load_timeout(60)
            yield driver
        finally:
            driver.quit()


def read_overview_kpis(
    driver: WebDriver,
    base_url: str,
    start: date | None = None,
    end: date | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
) -> dict[str, str]:
    """Open the Overview, optionally set the date range as a user would, and read the KPIs.

    Dates are typed into the page's own date inputs (then Tab, as a keyboard user confirms),
    and the function waits until the page reports that range as applied. Returns the displayed
    texts: ``nps``, ``csat``, ``negative_share`` and ``segment_<name>`` per segment shown.
    """
    open_overview(driver, base_url, timeout=timeout)
    if start is not None or end is not None:
        set_overview_range(driver, start, end, timeout=timeout)
    kpis = {name: _text(driver, element_id) for name, element_id in KPI_IDS.items()}
    for element in driver.find_elements(By.CSS_SELECTOR, f"[id^='{SEGMENT_ID_PREFIX}']"):
        name = element.get_attribute("id").removeprefix(SEGMENT_ID_PREFIX)
        kpis[f"segment_{name}"] = element.text.strip()
    return kpis


def sign_in(
    driver: WebDriver,
    base_url: str,
    role: str = "analyst",
    *,
    password: str | None = None,
    next_path: str = "/",
) -> None:
    """Sign in through the login page as the test user with ``role`` (or a wrong password)."""
    name, real_password = credentials(base_url, role)
    login_url = f"{base_url.rstrip('/')}/login?next={quote(next_path, safe='/')}"
    driver.get(login_url)  # a fresh form: its CSRF token matches this browser's cookie
    _wait(driver, lambda d: d.find_elements(By.ID, LOGIN_FORM), DEFAULT_TIMEOUT, "the login page")
    user_box = driver.find_element(By.ID, LOGIN_USERNAME)
    user_box.clear()
    user_box.send_keys(name)
    driver.find_element(By.ID, LOGIN_PASSWORD).send_keys(
        real_password if password is None else password
    )
    form = driver.find_element(By.ID, LOGIN_FORM)
    form.submit()
    # Done when the form has gone: either the next page, or a fresh login page with a message.
    _wait(
        driver,
        lambda d: _gone(form) and d.execute_script("return document.readyState") == "complete",
        DEFAULT_TIMEOUT,
        "the page after signing in",
    )


def _gone(element) -> bool:
    try:
        element.is_enabled()
    except StaleElementReferenceException:
        return True
    return False


def on_login_page(driver: WebDriver) -> bool:
    return bool(driver.find_elements(By.ID, LOGIN_FORM))


def open_overview(
    driver: WebDriver, base_url: str, *, timeout: float = DEFAULT_TIMEOUT, query: str = ""
) -> None:
    """Load the Overview (signing in as the analyst if asked to) and wait for its callbacks."""
    driver.get(f"{base_url.rstrip('/')}/{query}")
    if on_login_page(driver):
        sign_in(driver, base_url, "analyst", next_path=f"/{query}")

    def ready(d: WebDriver) -> bool:
        if on_login_page(d):
            messages = d.find_elements(By.ID, LOGIN_MESSAGE)
            said = messages[0].text if messages else "no message"
            raise AssertionError(f"still on the login page after signing in: {said!r}")
        if d.find_elements(By.ID, NO_DATA):
            raise AssertionError(f"the Overview shows no data: {_text(d, NO_DATA)!r}")
        labels = d.find_elements(By.ID, RANGE_LABEL)
        return bool(labels and labels[0].get_attribute("title")) and _settled(d)

    try:
        _wait(driver, ready, timeout, "the Overview to load and run its first callback")
    except TimeoutError as exc:
        raise TimeoutError(f"{exc}\n{_diagnosis(driver)}") from exc


def _diagnosis(driver: WebDriver) -> str:
    """What the page shows when a wait ran out: URL, pending outputs, console errors."""
    loading = [
        e.get_attribute("id") or e.tag_name
        for e in driver.find_elements(By.CSS_SELECTOR, "[data-dash-is-loading='true']")
    ]
    labels = driver.find_elements(By.ID, RANGE_LABEL)
    console = [e["message"][:300] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    return (
        f"url={driver.current_url} range-label title="
        f"{labels[0].get_attribute('title') if labels else None!r} loading={loading} "
        f"console={console}"
    )


def set_overview_range(
    driver: WebDriver,
    start: date | None,
    end: date | None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
) -> None:
    """Type a range into the date picker's inputs and wait until the page has applied it."""
    current_start, current_end = _applied_range(driver)
    want = (
        start.isoformat() if start else current_start,
        end.isoformat() if end else current_end,
    )
    if start is not None:
        type_date(driver, DATE_START_INPUT, start)
    if end is not None:
        type_date(driver, DATE_END_INPUT, end)
    _wait(
        driver,
        lambda d: _applied_range(d) == want and _idle(d),
        timeout,
        f"the Overview to apply {want[0]} – {want[1]} (it shows {_applied_range(driver)})",
    )


def read_overview_counts(driver: WebDriver) -> dict[str, str]:
    """The count lines under the KPI cards of the page as it is now (e.g. ``'33 responses'``)."""
    return {name: _text(driver, element_id) for name, element_id in COUNT_IDS.items()}


def overview_graphs_with_data(driver: WebDriver) -> dict[str, int]:
    """For each plotly graph on the page, its number of traces holding at least one point."""
    return driver.execute_script(
        """
        const out = {};
        for (const el of document.querySelectorAll('.js-plotly-plot')) {
            const host = el.closest('[id]');
            const key = host ? host.id : String(Object.keys(out).length);
            const traces = (el.data || []).filter(
                t => (t.x && t.x.length) || (t.y && t.y.length));
            out[key] = traces.length;
        }
        return out;
        """
    )


def outside_requests(driver: WebDriver, base_url: str) -> list[str]:
    """Every URL the page referenced or requested that is not on the dashboard's own host.

    Checks the DOM (``<link href>``, ``<script src>``, ``<img src>``, ``<iframe src>``), the
    resource-timing entries, and Chrome's network log (which also catches failed requests).
    Reading the network log drains it.
    """
    own = urlsplit(base_url).netloc
    urls: set[str] = set(
        driver.execute_script(
            """
            const urls = [];
            for (const el of document.querySelectorAll('link[href]')) urls.push(el.href);
            for (const el of document.querySelectorAll('script[src], img[src], iframe[src]'))
                urls.push(el.src);
            for (const e of performance.getEntriesByType('resource')) urls.push(e.name);
            return urls;
            """
        )
    )
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.add(message["params"]["request"]["url"])
    outside = []
    for url in sorted(urls):
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about", "chrome", "chrome-extension"):
            continue
        if parts.netloc != own:
            outside.append(url)
    return outside


def type_date(driver: WebDriver, element_id: str, day: date) -> None:
    field = driver.find_element(By.ID, element_id)
    field.click()
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(Keys.DELETE)
    field.send_keys(day.isoformat())


def _applied_range(driver: WebDriver) -> tuple[str, str]:
    title = driver.find_element(By.ID, RANGE_LABEL).get_attribute("title") or "/"
    start, _, end = title.partition("/")
    return start, end


def _idle(driver: WebDriver) -> bool:
    """No Dash callback is still running (Dash marks pending outputs with this attribute)."""
    return not driver.find_elements(By.CSS_SELECTOR, "[data-dash-is-loading='true']")


def _settled(driver: WebDriver) -> bool:
    """The page has run its first filter callback and nothing is pending.

    The page's own numbers come with its layout, but the shared filter callback's first answer
    writes the date boxes; typing before it arrives (a loaded machine) would be overwritten.
    The bar's "Showing …" line is written only by that callback; on a page that takes no
    filters the bar folds away (``unfiltered``) and the callback writes nothing.
    """
    applied = driver.find_elements(By.ID, FILTER_APPLIED)
    unfiltered = driver.find_elements(By.CSS_SELECTOR, f"#{FILTER_BAR}.unfiltered")
    return (not applied or unfiltered or bool(applied[0].text.strip())) and _idle(driver)


def _text(driver: WebDriver, element_id: str) -> str:
    return driver.find_element(By.ID, element_id).text.strip()


def _wait(driver: WebDriver, condition, timeout: float, what: str) -> None:
    try:
        WebDriverWait(
            driver,
            timeout,
            poll_frequency=POLL_S,
            ignored_exceptions=(StaleElementReferenceException,),
        ).until(condition)
    except TimeoutException as exc:
        raise TimeoutError(f"timed out after {timeout}s waiting for {what}") from exc


# --- the numbers to expect, independently -----------------------------------------------------


def expected_overview_kpis(
    serving_db: Path, start: date | None = None, end: date | None = None
) -> dict[str, str]:
    """The Overview's KPI texts, recomputed from ``serving.duckdb`` with this module's own SQL.

    NPS = (Σpromoters − Σdetractors) / Σresponses × 100, with sign; CSAT = Σsatisfied / Σresponses
    × 100; negative share = Σnegative / Σinteractions × 100; one decimal; ``—`` without data.
    Segments are the account counts of ``marts.dim_accounts`` (no date filter).
    """
    sums = _expected_sums(serving_db, start, end)
    kpis = {
        "nps": _signed(_ratio(sums["promoters"] - sums["detractors"], sums["nps_responses"])),
        "csat": _unsigned(_ratio(sums["satisfied"], sums["csat_responses"])),
        "negative_share": _unsigned(_ratio(sums["negative"], sums["interactions"])),
    }
    with duckdb.connect(str(serving_db), read_only=True) as con:
        rows = con.execute(
            "select coalesce(emotional_segment, 'unassigned'), count(*) "
            "from marts.dim_accounts group by 1"
        ).fetchall()
    counts = dict.fromkeys(SEGMENTS, 0) | {segment: n for segment, n in rows}
    kpis.update({f"segment_{segment}": f"{n:,}" for segment, n in counts.items()})
    return kpis


def expected_overview_counts(
    serving_db: Path, start: date | None = None, end: date | None = None
) -> dict[str, str]:
    """The count lines under the KPI cards, recomputed independently."""
    sums = _expected_sums(serving_db, start, end)

    def plural(n: int, noun: str) -> str:
        return f"{n:,} {noun}" + ("" if n == 1 else "s")

    return {
        "nps": plural(sums["nps_responses"], "response"),
        "csat": plural(sums["csat_responses"], "response"),
        "negative_share": plural(sums["interactions"], "interaction"),
    }


def _expected_sums(serving_db: Path, start: date | None, end: date | None) -> dict[str, int]:
    lo = start or date.min
    hi = end or date.max
    with duckdb.connect(str(serving_db), read_only=True) as con:
        nps_responses, promoters, detractors = con.execute(
            "select coalesce(sum(responses), 0), coalesce(sum(promoters), 0), "
            "coalesce(sum(detractors), 0) from marts.agg_nps_trend "
            "where response_date between ? and ?",
            [lo, hi],
        ).fetchone()
        csat_responses, satisfied = con.execute(
            "select coalesce(sum(responses), 0), coalesce(sum(satisfied_responses), 0) "
            "from marts.agg_csat_by_emotion where response_date between ? and ?",
            [lo, hi],
        ).fetchone()
        interactions, negative = con.execute(
            "select coalesce(sum(interactions), 0), coalesce(sum(negative_interactions), 0) "
            "from marts.agg_emotion_mix_daily where activity_date between ? and ?",
            [lo, hi],
        ).fetchone()
    return {
        "nps_responses": int(nps_responses),
        "promoters": int(promoters),
        "detractors": int(detractors),
        "csat_responses": int(csat_responses),
        "satisfied": int(satisfied),
        "interactions": int(interactions),
        "negative": int(negative),
    }


def _ratio(part: int, whole: int) -> float | None:
    return None if whole == 0 else part * 100 / whole


def _signed(value: float | None) -> str:
    if value is None:
        return NO_VALUE
    text = format(value, "+.1f")
    return "0.0" if text in ("+0.0", "-0.0") else text


def _unsigned(value: float | None) -> str:
    if value is None:
        return NO_VALUE
    text = format(value, ".1f")
    return "0.0" if text == "-0.0" else text


# --- the risk pages: At risk, Actions, How good is the risk score ------------------------------

AT_RISK_PATH = "/at-risk"
ACTIONS_PATH = "/actions"
RISK_SCORE_PATH = "/risk-score"
AT_RISK_MRR = "at-risk-mrr"
AT_RISK_MRR_COUNT = "at-risk-mrr-count"
AT_RISK_ACCOUNTS = "at-risk-accounts"
AT_RISK_ACCOUNTS_COUNT = "at-risk-accounts-count"
AT_RISK_PAGE_LABEL = "at-risk-page-label"
AT_RISK_ROW_PREFIX = "at-risk-row-"
ACTIONS_SUMMARY = "actions-summary"
ACTIONS_MESSAGE = "actions-message"
ACTIONS_NOTE = "actions-note"
ACTIONS_SNOOZE_UNTIL = "actions-snooze-until"
ACTION_ROW_PREFIX = "action-row-"
DECISION_BUTTONS = {
    "done": "actions-done",
    "dismissed": "actions-dismiss",
    "snoozed": "actions-snooze",
}
RISK_SCORE_SUMMARY = "risk-score-summary"
RISK_SCORE_ROW_PREFIX = "risk-score-row-"
RISK_GRAPHS = ("risk-score-lift-graph", "risk-score-calibration-graph")
DECIDED_ROW_PREFIX = "decided-row-"
DECIDED_PAGE_LABEL = "actions-decided-page-label"
DECIDED_TURN = {"next": "actions-decided-next", "previous": "actions-decided-prev"}
REOPEN_NOTE = "actions-reopen-note"
REOPEN_CONFIRM = "actions-reopen-confirm"
ACCOUNT_PATH = "/account"
HEALTH = "account-health"
HEALTH_COMPUTED = "account-health-computed"
HEALTH_EFFECTIVE = "account-health-effective"
HEALTH_SCORE = "account-health-score"
HEALTH_REASON = "account-health-reason"
HEALTH_UNTIL = "account-health-until"
HEALTH_SET = "account-health-set"
HEALTH_CLEAR = "account-health-clear"
HEALTH_STATUS = "account-health-status"
FILTER_TOGGLE = "filter-toggle"
PHONE = (390, 844)  # an iPhone 12-14's CSS pixels


# --- any page: open it signed in, wait, pick from a dropdown, download as the browser ------------


def wait_for(driver: WebDriver, condition, what: str, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Wait until ``condition(driver)`` is truthy; the error says ``what`` and what the page shows."""
    try:
        _wait(driver, condition, timeout, what)
    except TimeoutError as exc:
        raise TimeoutError(f"{exc}\n{_diagnosis(driver)}") from exc


def open_page(
    driver: WebDriver,
    base_url: str,
    path: str,
    ready,
    *,
    role: str = "analyst",
    timeout: float = DEFAULT_TIMEOUT,
) -> None:
    """Load ``path`` (signing in as ``role`` when the login page comes up) and wait until
    ``ready`` holds (an element id to be on the page, or a condition on the driver) and no
    callback is pending."""
    condition = ready if callable(ready) else (lambda d: bool(d.find_elements(By.ID, ready)))
    driver.get(f"{base_url.rstrip('/')}{path}")
    if on_login_page(driver):
        sign_in(driver, base_url, role, next_path=path)
    wait_for(driver, lambda d: condition(d) and _settled(d), f"{path} to load", timeout)


def _has_text(element_id: str):
    def check(driver: WebDriver) -> bool:
        found = driver.find_elements(By.ID, element_id)
        return bool(found and found[0].text.strip())

    return check


def _row_ids(driver: WebDriver, prefix: str) -> list[str]:
    return [
        e.get_attribute("id").removeprefix(prefix)
        for e in driver.find_elements(By.CSS_SELECTOR, f"[id^='{prefix}']")
    ]


def read_at_risk(
    driver: WebDriver, base_url: str, query: str = "", *, role: str = "leader"
) -> dict:
    """Open At risk (with ``query``) and read its headline and the account ids listed, in order."""
    open_page(driver, base_url, f"{AT_RISK_PATH}{query}", _has_text(AT_RISK_PAGE_LABEL), role=role)
    return {
        "at_risk_mrr": _text(driver, AT_RISK_MRR),
        "at_risk_accounts": _text(driver, AT_RISK_ACCOUNTS),
        "accounts_count": _text(driver, AT_RISK_ACCOUNTS_COUNT),
        "rows": _row_ids(driver, AT_RISK_ROW_PREFIX),
    }


def read_actions(
    driver: WebDriver, base_url: str, query: str = "", *, role: str = "leader"
) -> dict:
    """Open Actions (with ``query``): its summary line and the action ids listed, in order."""
    open_page(driver, base_url, f"{ACTIONS_PATH}{query}", _has_text(ACTIONS_SUMMARY), role=role)
    return {"summary": _text(driver, ACTIONS_SUMMARY), "rows": _row_ids(driver, ACTION_ROW_PREFIX)}


def decide_in_browser(
    driver: WebDriver,
    action_id: str,
    decision: str,
    *,
    note: str = "",
    snoozed_until: date | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> str:
    """On the open Actions page: pick the action, write the note, decide; the message shown."""
    row = driver.find_element(By.ID, f"{ACTION_ROW_PREFIX}{action_id}")
    row.find_element(By.TAG_NAME, "button").click()
    _wait(
        driver,
        lambda d: (
            d.find_element(By.ID, ACTIONS_NOTE).is_displayed() and not _text(d, ACTIONS_MESSAGE)
        ),
        timeout,
        "the decision panel",
    )
    if note:
        driver.find_element(By.ID, ACTIONS_NOTE).send_keys(note)
    if snoozed_until:
        driver.find_element(By.ID, ACTIONS_SNOOZE_UNTIL).send_keys(snoozed_until.isoformat())
    driver.find_element(By.ID, DECISION_BUTTONS[decision]).click()
    _wait(driver, _has_text(ACTIONS_MESSAGE), timeout, "the decision to be recorded")
    message = _text(driver, ACTIONS_MESSAGE)
    if not message.startswith("Not recorded"):
        _wait(
            driver,
            lambda d: action_id not in _row_ids(d, ACTION_ROW_PREFIX) and _idle(d),
            timeout,
            f"action {action_id} to leave the queue",
        )
    return message


def read_decided(driver: WebDriver) -> dict[str, str]:
    """On the open Actions page: the decided list, action id -> the row's text."""
    return {
        e.get_attribute("id").removeprefix(DECIDED_ROW_PREFIX): e.text
        for e in driver.find_elements(By.CSS_SELECTOR, f"[id^='{DECIDED_ROW_PREFIX}']")
    }


def reopen_in_browser(
    driver: WebDriver, action_id: str, *, note: str = "", timeout: float = DEFAULT_TIMEOUT
) -> str:
    """On the open Actions page: press Reopen… on a decided action, write the note (if any) and
    confirm; the message shown once it is back in the queue (or the refusal)."""
    row = driver.find_element(By.ID, f"{DECIDED_ROW_PREFIX}{action_id}")
    row.find_element(By.TAG_NAME, "button").click()
    _wait(
        driver,
        lambda d: (
            d.find_element(By.ID, REOPEN_NOTE).is_displayed() and not _text(d, ACTIONS_MESSAGE)
        ),
        timeout,
        "the reopen panel",
    )
    if note:
        driver.find_element(By.ID, REOPEN_NOTE).send_keys(note)
    driver.find_element(By.ID, REOPEN_CONFIRM).click()
    _wait(driver, _has_text(ACTIONS_MESSAGE), timeout, "the reopening to be recorded")
    message = _text(driver, ACTIONS_MESSAGE)
    if not message.startswith("Not reopened"):
        _wait(
            driver,
            lambda d: action_id in _row_ids(d, ACTION_ROW_PREFIX) and _idle(d),
            timeout,
            f"action {action_id} to be back in the queue",
        )
    return message


def turn_decided_page(driver: WebDriver, direction: str, timeout: float = DEFAULT_TIMEOUT) -> str:
    """On the open Actions page: ``next`` or ``previous`` under the decided list; the page label
    once the list has turned."""
    label = _text(driver, DECIDED_PAGE_LABEL)
    driver.find_element(By.ID, DECIDED_TURN[direction]).click()
    _wait(
        driver,
        lambda d: _text(d, DECIDED_PAGE_LABEL) != label and _idle(d),
        timeout,
        f"the decided list's {direction} page",
    )
    return _text(driver, DECIDED_PAGE_LABEL)


def read_account_health(
    driver: WebDriver, base_url: str, account_id: str, *, role: str = "leader"
) -> dict[str, str]:
    """Open the Account page: its health card's computed and applied health, what it says of
    the override, its status line, and whether the form is open to this user."""
    open_page(driver, base_url, f"{ACCOUNT_PATH}?account_id={quote(account_id)}", HEALTH, role=role)
    card = driver.find_element(By.ID, HEALTH)
    found = {e.get_attribute("id"): e.text for e in card.find_elements(By.CSS_SELECTOR, "[id]")}
    return {
        "computed": found.get(HEALTH_COMPUTED, ""),
        "effective": found.get(HEALTH_EFFECTIVE, ""),
        "text": card.text,
        "status": _text(driver, HEALTH_STATUS),
        "can_set": driver.find_element(By.ID, HEALTH_SET).is_enabled(),
    }


def override_health_in_browser(
    driver: WebDriver,
    score: int | None,
    reason: str = "",
    until: date | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> str:
    """On the open Account page: set the health override (or clear it: ``score`` None); the
    message the card shows."""
    before = _text(driver, HEALTH_STATUS)
    if score is None:
        driver.find_element(By.ID, HEALTH_CLEAR).click()
    else:
        driver.find_element(By.ID, HEALTH_SCORE).send_keys(str(score))
        driver.find_element(By.ID, HEALTH_REASON).send_keys(reason)
        if until:
            driver.find_element(By.ID, HEALTH_UNTIL).send_keys(until.isoformat())
        driver.find_element(By.ID, HEALTH_SET).click()
    _wait(
        driver,
        lambda d: _text(d, HEALTH_STATUS) not in ("", before) and _idle(d),
        timeout,
        "the override to be recorded",
    )
    return _text(driver, HEALTH_STATUS)


def read_risk_score(driver: WebDriver, base_url: str, *, role: str = "leader") -> dict:
    """Open the risk score page: its sentences, its table (scorer -> cells), traces per graph."""

    def ready(d: WebDriver) -> bool:
        plotted = d.find_elements(By.CSS_SELECTOR, ".js-plotly-plot")
        return _has_text(RISK_SCORE_SUMMARY)(d) and len(plotted) >= len(RISK_GRAPHS)

    open_page(driver, base_url, RISK_SCORE_PATH, ready, role=role)
    table = {}
    for row in driver.find_elements(By.CSS_SELECTOR, f"[id^='{RISK_SCORE_ROW_PREFIX}']"):
        scorer = row.get_attribute("id").removeprefix(RISK_SCORE_ROW_PREFIX)
        table[scorer] = [td.text.strip() for td in row.find_elements(By.TAG_NAME, "td")][1:]
    return {
        "sentences": _text(driver, RISK_SCORE_SUMMARY),
        "table": table,
        "graphs": overview_graphs_with_data(driver),
    }


def expected_at_risk(
    serving_db: Path, *, plan: str | None = None, owner: str | None = None
) -> dict:
    """At risk's headline, recomputed with this module's own SQL: the MRR and count of the
    accounts in the ``high`` churn-risk band, of all the accounts in the view."""
    with duckdb.connect(str(serving_db), read_only=True) as con:
        accounts, high, high_mrr = con.execute(
            "select count(*), count(*) filter (where r.churn_risk_band = 'high'), "
            "coalesce(sum(r.mrr) filter (where r.churn_risk_band = 'high'), 0) "
            "from marts.fct_account_churn_risk r join marts.dim_accounts d using (account_id) "
            "where (? is null or d.plan = ?) and (? is null or d.owner = ?)",
            [plan, plan, owner, owner],
        ).fetchone()
    return {
        "at_risk_mrr": f"{high_mrr:,.0f}",
        "at_risk_accounts": f"{high:,}",
        "accounts_count": f"of {accounts:,} account{'' if accounts == 1 else 's'} in this view",
    }


def expected_backtest(serving_db: Path) -> dict[str, list[str]]:
    """The risk score page's table, from marts.agg_churn_risk_backtest with this module's SQL."""
    with duckdb.connect(str(serving_db), read_only=True) as con:
        rows = con.execute(
            "select scorer, "
            "max(value) filter (where measure = 'auc'), "
            "max(value) filter (where measure = 'auc_renewal_due'), "
            "max(value) filter (where measure = 'top_decile_precision'), "
            "max(value) filter (where measure = 'top_decile_lift') "
            "from marts.agg_churn_risk_backtest group by scorer"
        ).fetchall()
    return {
        scorer: [
            format(auc, ".3f"),
            format(auc_due, ".3f") if auc_due is not None else NO_VALUE,
            f"{100 * precision:.1f}%",
            f"{lift:.1f}×",
        ]
        for scorer, auc, auc_due, precision, lift in rows
    }


def expected_actions_summary(serving_db: Path) -> str:
    """The Actions page's summary line for a leader with no decisions since the snapshot, with
    this module's own SQL: open actions (status open, or snoozed until a day already past)."""
    with duckdb.connect(str(serving_db), read_only=True) as con:
        actions, accounts = con.execute(
            "select count(*), count(distinct account_id) from marts.fct_action_queue "
            "where status = 'open' or (status = 'snoozed' and snoozed_until <= current_date)"
        ).fetchone()

    def plural(n: int, noun: str) -> str:
        return f"{n:,} {noun}" + ("" if n == 1 else "s")

    return f"{plural(actions, 'open action')} for {plural(accounts, 'account')} in this view."


def choose_in_dropdown(driver: WebDriver, dropdown, text: str) -> None:
    """Open a ``dcc.Dropdown`` (the element), type ``text`` and click the first match.

    The click is repeated (3 tries) until the menu shows options: a click that lands while a
    callback re-renders the component (just after a save beside it) can leave it closed, and
    the typed text would then go nowhere."""

    def menu_open(d: WebDriver) -> bool:
        return bool(d.find_elements(By.CSS_SELECTOR, "[role=option]"))

    for attempt in range(3):
        dropdown.click()
        try:
            _wait(driver, menu_open, 5.0, "the dropdown's menu")
            break
        except TimeoutError:
            if attempt == 2:
                raise
    driver.switch_to.active_element.send_keys(text)

    def matching(d: WebDriver) -> list:
        options = d.find_elements(By.CSS_SELECTOR, "[role=option]")
        return [o for o in options if text.lower() in o.text.lower()]

    wait_for(driver, matching, f"an option matching {text!r}")
    matching(driver)[0].click()
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)


def download(driver: WebDriver, url: str, timeout: float = 90) -> tuple[int, str, bytes]:
    """GET ``url`` with the browser's session cookie: status, content type and body."""
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get_content_type(), exc.read()


def severe_console_entries(driver: WebDriver) -> list[str]:
    """The browser console's errors since the last call (reading drains the log)."""
    return [e["message"][:300] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
