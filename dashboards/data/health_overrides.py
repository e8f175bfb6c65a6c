"""An account's relationship health and a person's override of it, for the Account page.

The published snapshot holds the computed score and the override that held when it was built
(``marts.fct_account_health``: the dashboard's and the analysts' seed's, latest wins); one whose
last day has passed since is no longer applied (``OVERRIDE_HOLDS``, read by every page). People set
or clear an override here; it goes into the app state at once and into the mart at the next
pipeline run, beside the computed score and never in it. Until that run, the entry is shown as
pending. Who may override follows the action decisions: a policy limited to its own accounts
(agents, ``accounts: own`` in roles.yaml) only on the accounts it owns.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from dashboards.data import app_state
from dashboards.data.actions import today_utc
from dashboards.data.connection import query
from dashboards.data.freshness import published_at
from dashboards.data.privacy import Policy, show_owner

MAX_REASON_LENGTH = 500
STAMP = "%Y-%m-%d %H:%M:%S.%f"  # microseconds: two entries never share the key they load by

# What holds on $today (the UTC day, as for snoozed actions), in SQL over
# ``marts.fct_account_health h``. The snapshot applied the overrides that held when it was built;
# one whose last day has passed since then no longer holds, so every page reads the computed score
# at once instead of at the next build.
OVERRIDE_HOLDS = "(h.is_overridden and coalesce(h.override_valid_until >= $today::date, true))"
EFFECTIVE_HEALTH = (
    f"case when {OVERRIDE_HOLDS} then h.effective_health_higher_healthier "
    "else h.health_higher_healthier end"
)
EFFECTIVE_BAND = f"case when {OVERRIDE_HOLDS} then h.effective_health_band else h.health_band end"

_HEALTH_SQL = f"""
select
    h.account_id, a.owner, h.health_higher_healthier, h.health_band,
    {EFFECTIVE_HEALTH} as effective_health_higher_healthier,
    {EFFECTIVE_BAND} as effective_health_band,
    {OVERRIDE_HOLDS} as is_overridden,
    h.override_score, h.override_reason, h.overridden_by, h.overridden_at, h.override_valid_until,
    h.override_source
from marts.fct_account_health h
left join marts.dim_accounts a on a.account_id = h.account_id
where h.account_id = $account_id
"""


class OverrideRefused(ValueError):
    """An override that cannot be recorded, with the reason in words for the person."""


@dataclass(frozen=True)
class Override:
    """An override as a person reads it: the value, why, who (masked for the role), when, until."""

    score: float
    reason: str | None
    by: str | None
    at: str  # YYYY-MM-DD HH:MM (UTC)
    until: str | None  # the last day it holds; None: until cleared
    source: str  # app (the dashboard) or seed (an analyst's file)


@dataclass(frozen=True)
class PendingEntry:
    """Set or cleared in the dashboard since the snapshot was built: shown until the next run."""

    score: float | None  # None: the override was cleared
    reason: str | None
    by: str | None
    until: str | None


@dataclass(frozen=True)
class AccountHealth:
    account_id: str
    computed: float
    computed_band: str
    effective: float
    effective_band: str
    override: Override | None  # the one the snapshot applies
    pending: PendingEntry | None
    may_override: bool


def may_override(policy: Policy, owner: str | None) -> bool:
    """Whether ``policy`` may set or clear this account's override (as for action decisions).

    >>> may_override(Policy("leader"), "sam"), may_override(Policy("agent", accounts="own", owner="sam"), "sam")
    (True, True)
    >>> may_override(Policy("agent", accounts="own", owner="sam"), "ola")
    False
    """
    return policy.only_owner is None or (owner is not None and owner == policy.only_owner)


def _published_row(serving_db: Path, account_id: str) -> dict | None:
    frame = query(serving_db, _HEALTH_SQL, {"account_id": account_id, "today": today_utc()})
    if frame.empty:
        return None
    return frame.astype(object).where(frame.notna(), None).iloc[0].to_dict()


def _minute(value) -> str:
    return str(value)[:16]


def _day(value) -> str | None:
    return None if value is None else str(value)[:10]


def account_health(
    serving_db: Path, app_state_db: Path, account_id: str, policy: Policy
) -> AccountHealth | None:
    """The account's health as published, its override, and what was decided since; None when
    the snapshot scores no health for it (a churned or unknown account)."""
    row = _published_row(serving_db, account_id)
    if row is None:
        return None
    override = None
    if row["is_overridden"]:
        override = Override(
            score=float(row["override_score"]),
            reason=row["override_reason"],
            by=show_owner(policy, row["overridden_by"]),
            at=_minute(row["overridden_at"]),
            until=_day(row["override_valid_until"]),
            source=row["override_source"],
        )
    return AccountHealth(
        account_id=account_id,
        computed=float(row["health_higher_healthier"]),
        computed_band=row["health_band"],
        effective=float(row["effective_health_higher_healthier"]),
        effective_band=row["effective_health_band"],
        override=override,
        pending=_pending(serving_db, app_state_db, account_id, policy),
        may_override=may_override(policy, row["owner"]),
    )


def _pending(
    serving_db: Path, app_state_db: Path, account_id: str, policy: Policy
) -> PendingEntry | None:
    latest = app_state.latest_health_override(app_state_db, account_id)
    published = published_at(serving_db)
    if latest is None or (published and latest.overridden_at <= published.strftime(STAMP)):
        return None
    return PendingEntry(
        score=latest.override_score,
        reason=latest.reason,
        by=show_owner(policy, latest.overridden_by),
        until=latest.valid_until,
    )


def _allowed(serving_db: Path, account_id: str, policy: Policy) -> dict:
    row = _published_row(serving_db, account_id)
    if row is None:
        raise OverrideRefused("the published snapshot scores no health for this account")
    if not may_override(policy, row["owner"]):
        raise OverrideRefused("you may override the health of your own accounts only")
    return row


def parse_score(text: str | float | None) -> float:
    """A health value a person typed: a number from 0 to 100 (higher = healthier).

    >>> parse_score("35"), parse_score(" 72.5 ")
    (35.0, 72.5)
    >>> parse_score("high")
    Traceback (most recent call last):
    ...
    dashboards.data.health_overrides.OverrideRefused: the health must be a number from 0 to 100
    """
    try:
        score = float(str(text).strip()) if text is not None and str(text).strip() else None
    except ValueError:
        score = None
    if score is None or math.isnan(score) or not 0 <= score <= 100:
        raise OverrideRefused("the health must be a number from 0 to 100")
    return score


def set_override(
    serving_db: Path,
    app_state_db: Path,
    policy: Policy,
    *,
    account_id: str,
    score: float,
    reason: str | None,
    overridden_by: str,
    valid_until: date | None = None,
    now: datetime | None = None,
) -> app_state.HealthOverride:
    """Record a person's health for the account (0-100, why, until which day) in the app state.

    Refused (:class:`OverrideRefused`) for a value outside 0-100, no reason or a reason too long,
    an end day not after today, or an account the snapshot does not score or the policy may not
    override.
    """
    now = now or datetime.now(UTC)
    score = parse_score(score)
    reason = (reason or "").strip()
    if not reason:
        raise OverrideRefused("say why (the reason is what the next person reads)")
    if len(reason) > MAX_REASON_LENGTH:
        raise OverrideRefused(f"the reason is longer than {MAX_REASON_LENGTH} characters")
    if valid_until is not None and valid_until <= now.date():
        raise OverrideRefused("an override must hold until a day after today")
    _allowed(serving_db, account_id, policy)
    entry = app_state.HealthOverride(
        account_id=account_id,
        override_score=score,
        reason=reason,
        valid_until=valid_until.isoformat() if valid_until else None,
        overridden_by=overridden_by,
        overridden_at=now.astimezone(UTC).strftime(STAMP),
    )
    app_state.add_health_override(app_state_db, **entry.__dict__)
    return entry


def clear_override(
    serving_db: Path,
    app_state_db: Path,
    policy: Policy,
    *,
    account_id: str,
    overridden_by: str,
    now: datetime | None = None,
) -> app_state.HealthOverride:
    """Take the account's override back (the computed score applies again after the next run).

    Refused when there is nothing to clear: no override published and none set since.
    """
    now = now or datetime.now(UTC)
    row = _allowed(serving_db, account_id, policy)
    latest = app_state.latest_health_override(app_state_db, account_id)
    published = published_at(serving_db)
    decided_since = latest is not None and (
        published is None or latest.overridden_at > published.strftime(STAMP)
    )
    holds = latest.override_score is not None if decided_since else bool(row["is_overridden"])
    if not holds:
        raise OverrideRefused("this account has no override to clear")
    entry = app_state.HealthOverride(
        account_id=account_id,
        override_score=None,
        reason=None,
        valid_until=None,
        overridden_by=overridden_by,
        overridden_at=now.astimezone(UTC).strftime(STAMP),
    )
    app_state.add_health_override(app_state_db, **entry.__dict__)
    return entry
