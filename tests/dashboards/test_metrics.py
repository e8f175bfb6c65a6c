"""KPI arithmetic and formatting."""

from __future__ import annotations

from datetime import date

import pytest

from dashboards.metrics import (
    NO_VALUE,
    SEGMENTS,
    choose_grain,
    format_count,
    format_nps,
    format_pct,
    nps,
    overview_kpis,
    percentage,
    segment_order,
)
from tests.dashboards.serving_fixture import EXPECTED_FEB, EXPECTED_FULL, NPS_ROWS


@pytest.mark.parametrize(
    ("promoters", "detractors", "responses", "expected"),
    [(10, 0, 10, 100.0), (0, 10, 10, -100.0), (3, 3, 9, 0.0), (1, 0, 8, 12.5)],
)
def test_nps(promoters: int, detractors: int, responses: int, expected: float) -> None:
    assert nps(promoters, detractors, responses) == expected


def test_ratios_without_a_denominator_have_no_value() -> None:
    assert nps(0, 0, 0) is None
    assert percentage(0, 0) is None
    assert format_nps(None) == NO_VALUE and format_pct(None) == NO_VALUE


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (12.5, "+12.5"),
        (-3.0, "-3.0"),
        (6.0606, "+6.1"),
        (-30.769, "-30.8"),
        (100.0, "+100.0"),
        (0.0, "0.0"),
        (0.04, "0.0"),
        (-0.04, "0.0"),
        (0.05001, "+0.1"),
    ],
)
def test_format_nps_has_one_decimal_and_a_sign(value: float, text: str) -> None:
    assert format_nps(value) == text


@pytest.mark.parametrize(
    ("value", "text"), [(23.44, "23.4"), (66.666, "66.7"), (0.0, "0.0"), (100.0, "100.0")]
)
def test_format_pct_has_one_decimal_and_no_sign(value: float, text: str) -> None:
    assert format_pct(value) == text


def test_format_count() -> None:
    assert format_count(0, "response") == "0 responses"
    assert format_count(1, "interaction") == "1 interaction"
    assert format_count(1234567, "response") == "1,234,567 responses"


def test_overview_kpis_from_summed_counts_match_hand_worked_answers() -> None:
    full = overview_kpis(
        {
            "nps_responses": 33,
            "promoters": 14,
            "detractors": 12,
            "csat_responses": 27,
            "satisfied_responses": 18,
            "interactions": 54,
            "negative_interactions": 19,
        }
    )
    assert (full.nps, full.csat, full.negative_share) == tuple(EXPECTED_FULL.values())
    assert (full.nps_count, full.csat_count, full.negative_share_count) == (
        "33 responses",
        "27 responses",
        "54 interactions",
    )
    feb = overview_kpis(
        {
            "nps_responses": 13,
            "promoters": 3,
            "detractors": 7,
            "csat_responses": 11,
            "satisfied_responses": 6,
            "interactions": 21,
            "negative_interactions": 9,
        }
    )
    assert (feb.nps, feb.csat, feb.negative_share) == tuple(EXPECTED_FEB.values())


def test_summed_nps_differs_from_the_mean_of_daily_nps() -> None:
    # The fixture is built so that averaging the daily scores would give a different answer.
    mean_of_daily = sum(row[5] for row in NPS_ROWS) / len(NPS_ROWS)
    assert format_nps(mean_of_daily) != EXPECTED_FULL["nps"]


def test_overview_kpis_without_data() -> None:
    kpis = overview_kpis(
        dict.fromkeys(
            [
                "nps_responses",
                "promoters",
                "detractors",
                "csat_responses",
                "satisfied_responses",
                "interactions",
                "negative_interactions",
            ],
            0,
        )
    )
    assert (kpis.nps, kpis.csat, kpis.negative_share) == (NO_VALUE, NO_VALUE, NO_VALUE)
    assert kpis.nps_count == "0 responses"


def test_segment_order_keeps_every_known_segment_first() -> None:
    assert segment_order([]) == list(SEGMENTS)
    assert segment_order(["zzz", "churned", "aaa"]) == [*SEGMENTS, "aaa", "zzz"]


def test_choose_grain() -> None:
    assert choose_grain(None, None) == "week"
    assert choose_grain(date(2024, 1, 1), date(2024, 7, 2)) == "week"
    assert choose_grain(date(2024, 1, 1), date(2024, 7, 3)) == "month"
