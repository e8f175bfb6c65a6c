"""Component ids, prefixed by page, so callbacks and tests agree on one spelling."""

from __future__ import annotations

# Overview page
OVERVIEW_DATE_RANGE = "overview-date-range"
OVERVIEW_DATE_START_INPUT = "overview-date-start"
OVERVIEW_DATE_END_INPUT = "overview-date-end"
OVERVIEW_RANGE_LABEL = "overview-range-label"
OVERVIEW_NO_DATA = "overview-no-data"

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

# Account page (one account's emotional memory)
ACCOUNT_NO_DATA = "account-no-data"
ACCOUNT_SEARCH = "account-search"
ACCOUNT_SEARCH_RESULTS = "account-search-results"
ACCOUNT_NAME = "account-name"
ACCOUNT_PROFILE = "account-profile"
ACCOUNT_TIMELINE_GRAPH = "account-timeline-graph"
ACCOUNT_OBSERVATIONS = "account-observations"
ACCOUNT_CHURN_REVIEW = "account-churn-review"
ACCOUNT_EVIDENCE = "account-evidence"
ACCOUNT_INTERACTIONS = "account-interactions"
ACCOUNT_SHOW_MORE = "account-show-more"
ACCOUNT_ID_STORE = "account-id-store"
# pattern-matching types, each with {"target": "interaction:<id>" | "account:<id>"}
ACCOUNT_TAG_CHOICE = "account-tag-choice"
ACCOUNT_TAG_SAVE = "account-tag-save"
ACCOUNT_TAG_STATUS = "account-tag-status"


def account_interaction(interaction_id: str) -> str:
    """Id of one interaction's row on the Account page (the evidence links' anchor).

    >>> account_interaction("INT-1")
    'interaction-INT-1'
    """
    return f"interaction-{interaction_id}"


# Session pack page
PACK_NO_DATA = "pack-no-data"
PACK_SUGGESTIONS = "pack-suggestions"
PACK_CHOICE = "pack-choice"
PACK_SEARCH = "pack-search"
PACK_SEARCH_RESULTS = "pack-search-results"
PACK_STATUS = "pack-status"
PACK_EXPORT_HTML = "pack-export-html"
PACK_EXPORT_PDF = "pack-export-pdf"
PACK_OUTCOMES = "pack-outcomes"
PACK_OUTCOMES_CSV = "pack-outcomes-csv"
PACK_OUTCOME_SAVED = "pack-outcome-saved"
# pattern-matching types, each with {"account": "<id>"}
PACK_OUTCOME_FIELD = "pack-outcome-field"  # plus {"field": "state" | "cause" | ...}
PACK_OUTCOME_SAVE = "pack-outcome-save"
PACK_OUTCOME_STATUS = "pack-outcome-status"
