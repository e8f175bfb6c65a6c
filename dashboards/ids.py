"""Component ids, prefixed by page, so callbacks and tests agree on one spelling."""

from __future__ import annotations

# Overview page
OVERVIEW_DATE_RANGE = "overview-date-range"
OVERVIEW_DATE_START_INPUT = "overview-date-start"
OVERVIEW_DATE_END_INPUT = "overview-date-end"
OVERVIEW_RANGE_LABEL = "overview-range-label"
OVERVIEW_NO_DATA = "overview-no-data"
OVERVIEW_SHOWN_FILTERS = "overview-shown-filters"  # dcc.Store: the filters the view shows

OVERVIEW_KPI_NPS = "overview-kpi-nps"
OVERVIEW_KPI_NPS_COUNT = "overview-kpi-nps-count"
OVERVIEW_KPI_CSAT = "overview-kpi-csat"
OVERVIEW_KPI_CSAT_COUNT = "overview-kpi-csat-count"
OVERVIEW_KPI_NEGATIVE_SHARE = "overview-kpi-negative-share"
OVERVIEW_KPI_NEGATIVE_SHARE_COUNT = "overview-kpi-negative-share-count"
OVERVIEW_SEGMENTS = "overview-segments"

OVERVIEW_EMOTION_MIX_GRAPH = "overview-emotion-mix-graph"
OVERVIEW_CSAT_BY_EMOTION_GRAPH = "overview-csat-by-emotion-graph"


def overview_segment_kpi(segment: str) -> str:
    """Id of the account count shown for one emotional segment.

    >>> overview_segment_kpi("at_risk")
    'overview-kpi-segment-at_risk'
    """
    return f"overview-kpi-segment-{segment}"


# The shell (every page): URL, shared filters, freshness, user menu
URL = "url"
NAV_LINK = "nav-link"  # pattern-matching type: {"type": NAV_LINK, "path": "/..."}
FILTER_START = "filter-start"
FILTER_END = "filter-end"
FILTERS_APPLIED = "filters-applied"  # dcc.Store: the filters the numbers use (Filters.as_dict)
FILTER_APPLIED_LABEL = "filter-applied-label"
FILTER_NOTICE = "filter-notice"
FRESHNESS = "freshness"


def filter_dropdown(dimension: str) -> str:
    """Id of the shared filter for one account or interaction attribute.

    >>> filter_dropdown("lifecycle_stage")
    'filter-lifecycle_stage'
    """
    return f"filter-{dimension}"


# Voices page (what customers wrote, masked by role)
VOICES_TABLE = "voices-table"
VOICES_SUMMARY = "voices-summary"
VOICES_NO_DATA = "voices-no-data"
OVERVIEW_SEGMENTS_HOLDER = "overview-segments-holder"
