from __future__ import annotations

from dashboards import ids
from dashboards.components.cards import kpi_card, message_panel, segment_card


def _find(component, component_id: str):
    if getattr(component, "id", None) == component_id:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str):
            found = _find(child, component_id)
            if found is not None:
                return found
    return None


def test_kpi_card_exposes_value_and_count_by_id() -> None:
    card = kpi_card(
        "NPS", ids.OVERVIEW_KPI_NPS, ids.OVERVIEW_KPI_NPS_COUNT, value="+1.0", count="3"
    )
    assert _find(card, "overview-kpi-nps").children == "+1.0"
    assert _find(card, "overview-kpi-nps-count").children == "3"


def test_segment_card_lists_every_segment_with_its_count() -> None:
    card = segment_card(
        {"champion": 1200, "churned": 3},
        ["champion", "content", "churned"],
        ids.overview_segment_kpi,
        panel_id=ids.OVERVIEW_SEGMENTS,
    )
    assert _find(card, "overview-kpi-segment-champion").children == "1,200"
    assert _find(card, "overview-kpi-segment-content").children == "0"
    assert _find(card, "overview-kpi-segment-churned").children == "3"
    assert "not by date" in str(card)


def test_message_panel_carries_its_id() -> None:
    panel = message_panel("Nothing yet", "detail", panel_id=ids.OVERVIEW_NO_DATA)
    assert panel.id == "overview-no-data"
    assert "Nothing yet" in str(panel)


def test_freshness_line_warns_when_a_night_was_missed(tmp_path) -> None:
    from datetime import UTC, datetime, timedelta

    from dashboards.components.freshness import freshness_line
    from tests.dashboards.serving_fixture import write_serving_db

    now = datetime.now(UTC).replace(tzinfo=None)
    fresh = freshness_line(write_serving_db(tmp_path / "fresh.duckdb", published_at=now))
    assert fresh.id == ids.FRESHNESS and fresh.className == "freshness"
    assert fresh.children.startswith("Data refreshed")
    old = write_serving_db(tmp_path / "old.duckdb", published_at=now - timedelta(hours=30))
    stale = freshness_line(old)
    assert stale.className == "freshness stale"
    assert "older than the nightly refresh promises" in stale.children
    missing = freshness_line(tmp_path / "none.duckdb")
    assert missing.className == "freshness stale" and missing.children == "No data published yet."
