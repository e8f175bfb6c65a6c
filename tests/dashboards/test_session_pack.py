"""The timeline figures and the session pack's document, from the hand-made snapshot."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from dashboards.data import pack as pack_data
from dashboards.data.connection import close_all
from dashboards.data.privacy import policy_for
from dashboards.figures.timeline import EVENT_LANES, timeline_figure
from dashboards.figures.timeline_svg import timeline_svg
from dashboards.session_pack.document import DIAGNOSIS, PackInfo, render_pack
from dashboards.session_pack.routes import BadPackRequest, parse_accounts
from tests.dashboards.account_fixture import (
    ACCOUNT,
    ACCOUNT_NAME,
    CHURNED,
    CHURNED_NAME,
    WEEKS,
    write_account_serving_db,
)

ANALYST = policy_for("analyst")


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    close_all()
    return write_account_serving_db(tmp_path / "serving.duckdb")


def test_the_chart_has_a_marker_per_week_coloured_by_emotion_and_event_lanes(snapshot: Path):
    account = pack_data.pack_account(snapshot, ACCOUNT, ANALYST)
    figure = timeline_figure(account.timeline.weeks, account.timeline.events)
    traces = figure["data"]
    emotions = {
        t["name"]: len(t["x"]) for t in traces if t["mode"] == "markers" and "yaxis" not in t
    }
    assert emotions == {"delight": 1, "frustration": 2}
    lanes = {t["y"][0] for t in traces if t.get("yaxis") == "y2"}
    assert lanes == {lane for lane, _, _ in EVENT_LANES.values()}
    svg = timeline_svg(account.timeline.weeks, account.timeline.events)
    assert svg.count("<circle") >= len(WEEKS)  # one per week (plus the legend's)


def test_the_pack_has_a_cover_and_a_page_per_account_with_everything_escaped(snapshot: Path):
    with duckdb.connect(str(snapshot)) as con:  # a hostile line must print as text
        con.execute(
            "insert into marts.fct_account_observations values ('A4', 'risk_indicator', "
            "'<script>alert(1)</script>', null, null, null, 9)"
        )
    close_all()
    accounts = [pack_data.pack_account(snapshot, a, ANALYST) for a in (ACCOUNT, CHURNED, "A1")]
    info = PackInfo("test-analyst", datetime(2024, 4, 1, tzinfo=UTC), None)
    document = render_pack(accounts, info)
    assert document.count("<section class='account'") == 3
    assert "<script>" not in document and "&lt;script&gt;" in document
    assert ACCOUNT_NAME in document and CHURNED_NAME in document
    assert all(question in document for question in DIAGNOSIS)
    assert document.count("<svg") == 3
    # Nothing is fetched: no URL the browser would load.
    assert not re.search(r"(src|href)=['\"]?(https?:)?//", document)
    assert "Cues before the churn" in document  # A7 churned


def test_a_pack_holds_three_to_five_distinct_accounts():
    assert parse_accounts("A1,A2,A3,A2") == ["A1", "A2", "A3"]
    for bad in ("", "A1,A2", "A1,A2,A3,A4,A5,A6"):
        with pytest.raises(BadPackRequest):
            parse_accounts(bad)
