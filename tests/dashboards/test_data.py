"""dashboards.data against a small hand-written serving.duckdb."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import duckdb
import pytest

from dashboards.data import filters as data_filters
from dashboards.data import overview
from dashboards.data.connection import ServingUnavailable, is_published, query
from dashboards.data.privacy import policy_for
from dashboards.filters import Filters
from dashboards.metrics import overview_kpis
from tests.dashboards.serving_fixture import (
    ACCOUNT_SEGMENTS,
    EXPECTED_AT_RISK,
    EXPECTED_EMAIL,
    EXPECTED_FULL,
    FEB_END,
    FEB_START,
    FIRST_DAY,
    LAST_DAY,
    MIX_ROWS,
    write_serving_db,
)


def test_date_bounds_span_all_fact_tables(serving_db: Path) -> None:
    assert overview.date_bounds(serving_db) == (FIRST_DAY, LAST_DAY)


def test_kpi_totals_full_range(serving_db: Path) -> None:
    assert overview.kpi_totals(serving_db) == {
        "nps_responses": 33,
        "promoters": 14,
        "detractors": 12,
        "csat_responses": 27,
        "satisfied_responses": 18,
        "interactions": 54,
        "negative_interactions": 19,
    }


def test_kpi_totals_february_inclusive_bounds(serving_db: Path) -> None:
    assert overview.kpi_totals(serving_db, Filters(start=FEB_START, end=FEB_END)) == {
        "nps_responses": 13,
        "promoters": 3,
        "detractors": 7,
        "csat_responses": 11,
        "satisfied_responses": 6,
        "interactions": 21,
        "negative_interactions": 9,
    }


def test_kpi_totals_bounds_are_inclusive_and_open_ended(serving_db: Path) -> None:
    # Exactly one day: 2024-03-28 has 3 interactions, all negative, and no surveys.
    one_day = overview.kpi_totals(serving_db, Filters(start=LAST_DAY, end=LAST_DAY))
    assert (one_day["interactions"], one_day["negative_interactions"]) == (3, 3)
    assert one_day["nps_responses"] == 0 and one_day["csat_responses"] == 0
    # Open start: everything up to 2024-01-17.
    early = overview.kpi_totals(serving_db, Filters(end=date(2024, 1, 17)))
    assert early["interactions"] == 10 + 4 + 6 + 2
    assert early["nps_responses"] == 10


def test_kpi_totals_empty_range_is_zero_not_null(serving_db: Path) -> None:
    totals = overview.kpi_totals(
        serving_db, Filters(start=date(2030, 1, 1), end=date(2030, 12, 31))
    )
    assert set(totals.values()) == {0}


def test_emotion_mix_weekly_buckets_start_on_monday(serving_db: Path) -> None:
    df = overview.emotion_mix(serving_db, Filters(start=FEB_START, end=FEB_END), "week")
    periods = sorted({p.date() for p in df["period"]})
    # 2 Feb is in the week of Mon 29 Jan; 14 Feb → 12 Feb; 27 Feb → 26 Feb.
    assert periods == [date(2024, 1, 29), date(2024, 2, 12), date(2024, 2, 26)]
    assert df["interactions"].sum() == 21
    week_26 = df[df["period"] == "2024-02-26"].set_index("emotion")["interactions"].to_dict()
    assert week_26 == {"disappointment": 4, "curiosity": 2}


def test_emotion_mix_monthly_keeps_every_interaction(serving_db: Path) -> None:
    df = overview.emotion_mix(serving_db, grain="month")
    by_month = df.groupby(df["period"].dt.month)["interactions"].sum().to_dict()
    assert by_month == {1: 22, 2: 21, 3: 11}
    assert df["interactions"].sum() == sum(row[2] for row in MIX_ROWS)


def test_emotion_mix_rejects_unknown_grain(serving_db: Path) -> None:
    with pytest.raises(ValueError, match="grain"):
        overview.emotion_mix(serving_db, grain="day")  # type: ignore[arg-type]


def test_csat_by_emotion_sums_counts_before_dividing(serving_db: Path) -> None:
    df = overview.csat_by_emotion(serving_db).set_index("emotion")
    # delight: 5/5 in January and 3/3 in March → 8 responses.
    assert df.loc["delight", "responses"] == 8
    assert df.loc["satisfaction", "csat_pct"] == pytest.approx(500 / 6)
    assert df.loc["anger", "csat_pct"] == 0.0
    feb = overview.csat_by_emotion(serving_db, Filters(start=FEB_START, end=FEB_END))
    assert sorted(feb["emotion"]) == ["anger", "confusion", "satisfaction"]


def test_segment_counts_are_current_accounts(serving_db: Path) -> None:
    counts = overview.segment_counts(serving_db).set_index("segment")["accounts"].to_dict()
    assert counts == {"champion": 2, "content": 1, "at_risk": 2, "frustrated": 1, "churned": 1}
    assert sum(counts.values()) == len(ACCOUNT_SEGMENTS)


def test_null_segment_is_counted_as_unassigned(serving_db: Path) -> None:
    with duckdb.connect(str(serving_db)) as con:
        con.execute(
            "update marts.dim_accounts set emotional_segment = null where account_id = 'A3'"
        )
    counts = overview.segment_counts(serving_db).set_index("segment")["accounts"].to_dict()
    assert counts["unassigned"] == 1 and "content" not in counts


def test_missing_snapshot_is_reported_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "serving.duckdb"
    assert not is_published(missing)
    with pytest.raises(ServingUnavailable, match="no serving snapshot"):
        overview.kpi_totals(missing)
    assert not missing.exists(), "a read must never create the snapshot"


def test_snapshot_without_marts_is_unavailable(tmp_path: Path) -> None:
    empty = tmp_path / "serving.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(ServingUnavailable, match="cannot be read"):
        overview.date_bounds(empty)


def test_connections_are_read_only(serving_db: Path) -> None:
    with pytest.raises(duckdb.Error, match="read-only"):
        query(serving_db, "create table marts.nope (x int)")


def test_a_newly_published_snapshot_is_read_without_a_restart(
    serving_db: Path, tmp_path: Path
) -> None:
    assert overview.kpi_totals(serving_db)["interactions"] == 54
    # Publish as the pipeline does: write a new file beside it, rename it into place.
    new = tmp_path / "new.duckdb"
    write_serving_db(new)
    with duckdb.connect(str(new)) as con:
        con.execute(
            "update marts.agg_account_interactions_daily set interactions = interactions * 2"
        )
    os.replace(new, serving_db)
    assert overview.kpi_totals(serving_db)["interactions"] == 108


# --- the shared filters in SQL ----------------------------------------------------------------


def _shown(serving_db: Path, filters: Filters) -> dict[str, str]:
    kpis = overview_kpis(overview.kpi_totals(serving_db, filters))
    return {"nps": kpis.nps, "csat": kpis.csat, "negative_share": kpis.negative_share}


def test_per_account_rollups_sum_to_the_daily_marts(serving_db: Path) -> None:
    assert _shown(serving_db, Filters()) == EXPECTED_FULL


def test_segment_filter_applies_to_interactions_and_surveys(serving_db: Path) -> None:
    assert _shown(serving_db, Filters(segment=("at_risk",))) == EXPECTED_AT_RISK
    counts = overview.segment_counts(serving_db, Filters(segment=("at_risk",)))
    assert counts.set_index("segment")["accounts"].to_dict() == {"at_risk": 2}


def test_channel_filter_applies_to_interactions_only(serving_db: Path) -> None:
    assert _shown(serving_db, Filters(channel=("email",))) == EXPECTED_EMAIL


def test_plan_region_and_owner_filters(serving_db: Path) -> None:
    pro = overview.kpi_totals(serving_db, Filters(plan=("pro",)))
    # A1, A2, A3: interactions 10 + 6 + 7 + 2 + 8 = 33, NPS 10 + 6 responses, CSAT 5 + 6 + 3.
    assert (pro["interactions"], pro["nps_responses"], pro["csat_responses"]) == (33, 16, 14)
    emea_pro = overview.kpi_totals(serving_db, Filters(plan=("pro",), region=("emea",)))
    assert emea_pro["interactions"] == 10 + 7 + 2 + 8  # A1 and A2
    owners = {
        o.label: o.value for o in data_filters.options(serving_db, policy_for("agent"))["owner"]
    }
    sam = overview.kpi_totals(serving_db, Filters(owner=(owners["sam.agent@vendor.example"],)))
    assert sam["interactions"] == 54 - 33


def test_filter_values_are_parameters_not_sql(serving_db: Path) -> None:
    hostile = Filters(plan=("pro') or 1=1 --",), segment=("x'; drop table marts.dim_accounts; --",))
    assert overview.kpi_totals(serving_db, hostile)["interactions"] == 0
    assert overview.segment_counts(serving_db).shape[0] == 5  # dim_accounts is still there


def test_owner_options_are_masked_unless_the_role_may_see_them(serving_db: Path) -> None:
    leader = [o.label for o in data_filters.options(serving_db, policy_for("leader"))["owner"]]
    agent = [o.label for o in data_filters.options(serving_db, policy_for("agent"))["owner"]]
    assert leader == ["o•••@vendor.example", "s•••@vendor.example"]
    assert agent == ["olivia.owner@vendor.example", "sam.agent@vendor.example"]
    values = [o.value for o in data_filters.options(serving_db, policy_for("leader"))["owner"]]
    assert all("@" not in v for v in values), "owner ids in URLs carry no e-mail address"
