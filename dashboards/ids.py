"""Component ids, prefixed by page, so callbacks and tests agree on one spelling."""

from __future__ import annotations

from urllib.parse import urlencode

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
FILTER_BAR = "filter-bar"
FILTER_TOGGLE = "filter-toggle"  # folds the bar open and shut at phone width
FILTER_NOT_USED = "filter-not-used"  # says a page takes no filters, in the bar's place
FILTER_UNFILTERED_PATHS = "filter-unfiltered-paths"  # dcc.Store: the paths of those pages
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

# At risk page (accounts ranked by churn risk)
AT_RISK_NO_DATA = "at-risk-no-data"
AT_RISK_MRR = "at-risk-mrr"
AT_RISK_MRR_COUNT = "at-risk-mrr-count"
AT_RISK_ACCOUNTS = "at-risk-accounts"
AT_RISK_ACCOUNTS_COUNT = "at-risk-accounts-count"
AT_RISK_TABLE = "at-risk-table"
AT_RISK_VIEW = "at-risk-view"  # dcc.Store: {"sort", "descending", "page", "filters"} shown
AT_RISK_SORT = "at-risk-sort"  # pattern-matching type: {"type": AT_RISK_SORT, "column": key}
AT_RISK_PREV = "at-risk-prev"
AT_RISK_NEXT = "at-risk-next"
AT_RISK_PAGE_LABEL = "at-risk-page-label"
AT_RISK_MODEL_NOTE = "at-risk-model-note"  # says when the starting weights scored the view

# Actions page (the open queue, decisions, CRM exports)
ACTIONS_NO_DATA = "actions-no-data"
ACTIONS_SUMMARY = "actions-summary"
ACTIONS_TABLE = "actions-table"
ACTIONS_PAGE = "actions-page"  # dcc.Store: {"page", "filters"} shown
ACTIONS_PREV = "actions-prev"
ACTIONS_NEXT = "actions-next"
ACTIONS_PAGE_LABEL = "actions-page-label"
ACTIONS_PICK = "actions-pick"  # pattern-matching type: {"type": ACTIONS_PICK, "action": id}
ACTIONS_SELECTED = "actions-selected"  # dcc.Store: the action id being decided
ACTIONS_PANEL = "actions-panel"
ACTIONS_NOTE = "actions-note"
ACTIONS_SNOOZE_UNTIL = "actions-snooze-until"
ACTIONS_DONE = "actions-done"
ACTIONS_DISMISS = "actions-dismiss"
ACTIONS_SNOOZE = "actions-snooze"
ACTIONS_MESSAGE = "actions-message"
ACTIONS_DECIDED = "actions-decided"  # dcc.Store: a counter bumped by each decision
ACTIONS_EXPORT_HUBSPOT = "actions-export-hubspot"
ACTIONS_EXPORT_SALESFORCE = "actions-export-salesforce"
ACTIONS_DOWNLOAD = "actions-download"
ACTIONS_DECIDED_SUMMARY = "actions-decided-summary"
ACTIONS_DECIDED_TABLE = "actions-decided-table"
# pattern-matching type: {"type": ACTIONS_REOPEN, "action": id, "title": what the panel says}
ACTIONS_REOPEN = "actions-reopen"
ACTIONS_DECIDED_PAGE = "actions-decided-page"  # dcc.Store: {"page", "filters"} shown
ACTIONS_DECIDED_PREV = "actions-decided-prev"
ACTIONS_DECIDED_NEXT = "actions-decided-next"
ACTIONS_DECIDED_PAGE_LABEL = "actions-decided-page-label"
ACTIONS_REOPEN_SELECTED = "actions-reopen-selected"  # dcc.Store: the action id being reopened
ACTIONS_REOPEN_PANEL = "actions-reopen-panel"
ACTIONS_REOPEN_NOTE = "actions-reopen-note"
ACTIONS_REOPEN_CONFIRM = "actions-reopen-confirm"
ACTIONS_REOPEN_CANCEL = "actions-reopen-cancel"

# How good is the risk score (the backtest)
RISK_SCORE_NO_DATA = "risk-score-no-data"
RISK_SCORE_SUMMARY = "risk-score-summary"
RISK_SCORE_TABLE = "risk-score-table"
RISK_SCORE_LIFT_GRAPH = "risk-score-lift-graph"
RISK_SCORE_CALIBRATION_GRAPH = "risk-score-calibration-graph"


def account_href(account_id: str) -> str:
    """The Account page of one account (issue 16's page).

    >>> account_href("hs-12 3")
    '/account?account_id=hs-12+3'
    """
    return f"/account?{urlencode({'account_id': account_id})}"


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
# A person's override of the account's relationship health
ACCOUNT_HEALTH = "account-health"
ACCOUNT_HEALTH_SCORE = "account-health-score"
ACCOUNT_HEALTH_REASON = "account-health-reason"
ACCOUNT_HEALTH_UNTIL = "account-health-until"
ACCOUNT_HEALTH_SET = "account-health-set"
ACCOUNT_HEALTH_CLEAR = "account-health-clear"
ACCOUNT_HEALTH_STATUS = "account-health-status"


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
