"""The app in-process: it starts without data, serves only local files, and reads the snapshot
it was given. (The browser tests drive the real server; these stay fast.)"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import dash
import pytest

from dashboards import ids
from dashboards.app import create_app
from tests.dashboards.serving_fixture import EXPECTED_FEB, FEB_END, FEB_START, FIRST_DAY, LAST_DAY


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> dash.Dash:
    # One app per process: Dash Pages keeps its page registry in module globals.
    return create_app(tmp_path_factory.mktemp("nothing") / "serving.duckdb")


@pytest.fixture
def overview_page(app: dash.Dash):
    page = next(p for p in dash.page_registry.values() if p["path"] == "/")
    module = sys.modules[page["module"]]
    original = app.server.config["SERVING_DB"]
    yield page, module
    app.server.config["SERVING_DB"] = original


def _ids(component) -> set[str]:
    found = set()
    if getattr(component, "id", None):
        found.add(component.id)
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            found |= _ids(child)
    return found


def test_index_is_served_with_local_assets_only(app: dash.Dash) -> None:
    response = app.server.test_client().get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(url.endswith(".css") or "style.css" in url for url in urls), urls
    assert urls and all(url.startswith("/") and not url.startswith("//") for url in urls), urls


def test_stylesheet_is_vendored(app: dash.Dash) -> None:
    css = app.server.test_client().get("/assets/style.css")
    assert css.status_code == 200
    assert "http" not in css.get_data(as_text=True)


def test_overview_is_the_home_page(overview_page) -> None:
    page, _ = overview_page
    assert page["name"] == "Overview"
    assert callable(page["layout"]), "the layout must be a function: no data read at import"


def test_missing_snapshot_shows_a_clear_message(app: dash.Dash, overview_page) -> None:
    page, _ = overview_page
    layout = page["layout"]()
    assert layout.id == ids.OVERVIEW_NO_DATA
    assert "No data published yet — run make pipeline" in str(layout)
    assert str(app.server.config["SERVING_DB"]) in str(layout)


def test_layout_defaults_the_filter_to_the_full_data_range(
    app: dash.Dash, overview_page, serving_db: Path
) -> None:
    page, _ = overview_page
    app.server.config["SERVING_DB"] = str(serving_db)
    layout = page["layout"]()
    found = _ids(layout)
    assert {
        ids.OVERVIEW_DATE_RANGE,
        ids.OVERVIEW_KPI_NPS,
        ids.OVERVIEW_KPI_CSAT,
        ids.OVERVIEW_KPI_NEGATIVE_SHARE,
        ids.OVERVIEW_EMOTION_MIX_GRAPH,
        ids.OVERVIEW_CSAT_BY_EMOTION_GRAPH,
        ids.overview_segment_kpi("disengaged"),
    } <= found
    picker = _find(layout, ids.OVERVIEW_DATE_RANGE)
    assert (picker.start_date, picker.end_date) == (FIRST_DAY, LAST_DAY)
    assert (picker.min_date_allowed, picker.max_date_allowed) == (FIRST_DAY, LAST_DAY)


def test_callback_filters_by_the_range(app: dash.Dash, overview_page, serving_db: Path) -> None:
    _, module = overview_page
    app.server.config["SERVING_DB"] = str(serving_db)
    out = module.update_overview(FEB_START.isoformat(), FEB_END.isoformat())
    nps, nps_n, csat, _, negative, _, mix, csat_fig, label, applied = out
    assert (nps, csat, negative) == tuple(EXPECTED_FEB.values())
    assert nps_n == "13 responses"
    assert applied == "2024-02-01/2024-02-29"
    assert "1 Feb 2024 – 29 Feb 2024" in label
    assert mix.data and csat_fig.data


def test_callback_survives_the_snapshot_disappearing(app: dash.Dash, overview_page) -> None:
    _, module = overview_page
    out = module.update_overview("2024-02-01", "2024-02-29")
    assert out[0] == "—"
    assert "run make pipeline" in out[8]


def _find(component, component_id: str):
    if getattr(component, "id", None) == component_id:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            hit = _find(child, component_id)
            if hit is not None:
                return hit
    return None
