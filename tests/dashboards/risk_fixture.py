"""The risk marts of the hand-written snapshot (serving_fixture): churn risk, actions, backtest.

Accounts, owners, plans and MRR are those of ``serving_fixture`` (``Account {i}``, MRR 1000 + i;
A7 churned, so it has no risk row). Worked by hand:

- at-risk MRR (band ``high``): A4 + A5 + A6 = 1003 + 1004 + 1005 = 3,012 of 6,015 over 6 accounts;
  plan ``pro`` (A1-A3): none at risk; region ``emea`` (A1, A2, A4): 1,003;
- sam (agent) owns A4-A7: three accounts in the list, at-risk MRR 3,012;
- open actions: X1, X2, X3, X5 (status open) and X7 (its snooze ended on 2024-03-15); X4 is
  snoozed until 2999, X6 done;
- health: A6's computed 52 (watch) is overridden to 30 (at risk) by an analyst's seed row, so
  its effective health is 30. A5's override to 80 (healthy) held when the snapshot was built but
  ended on 2024-04-15, so the pages read its computed 44 (at risk). The others apply their
  computed score.
"""

from __future__ import annotations

import duckdb

from tests.dashboards.serving_fixture import ACCOUNT_ATTRIBUTES, ACCOUNT_SEGMENTS

AS_OF = "2024-03-29"
# account_id -> (risk, band, reasons, health, health band, renewal)
RISK = {
    "A4": (
        62.0,
        "high",
        (
            "3 tickets unresolved for over 10 days",
            "wrote 'we are evaluating alternatives, ask Tom Baker' on 12 Mar",
            "logins down 64% against their 90-day baseline",
        ),
        31.0,
        "at_risk",
        "2024-04-30",
    ),
    "A5": (
        35.0,
        "high",
        ("billing concern in 2 messages in 30 days",),
        44.0,
        "at_risk",
        "2024-06-30",
    ),
    "A6": (18.5, "high", ("no reply from the customer for 40 days",), 52.0, "watch", "2024-05-31"),
    "A1": (
        9.0,
        "elevated",
        ("logins down 45% against their 90-day baseline",),
        71.0,
        "healthy",
        "2024-09-30",
    ),
    "A3": (4.0, "low", (), 80.0, "healthy", "2024-12-31"),
    "A2": (2.0, "low", (), 88.0, "healthy", "2025-01-31"),
}
# account_id -> (score, band, by, why, at, until, source): the overrides the snapshot applies.
HEALTH_OVERRIDES = {
    "A6": (
        30.0,
        "at_risk",
        "ola.analyst@vendor.example",
        "renewal call went badly",
        "2024-03-20 09:00:00",
        "2999-01-01",
        "seed",
    ),
    "A5": (
        80.0,
        "healthy",
        "lea@vendor.example",
        "promised to renew at the QBR",
        "2024-03-25 10:00:00",
        "2024-04-15",
        "app",
    ),
}
# Overrides the snapshot applied whose last day has passed since.
EXPIRED_OVERRIDES = {"A5"}
EXPECTED_AT_RISK_MRR = {"all": 3012.0, "pro": 0.0, "emea": 1003.0, "sam": 3012.0}
EXPECTED_ACCOUNTS = {"all": 6, "pro": 3, "emea": 3, "sam": 3}

# (action_id, account_id, type, label, reason, evidence, owner, priority, task_type, due, status,
#  snoozed_until)
ACTIONS = [
    (
        "X1",
        "A4",
        "intervention_call",
        "Intervention call",
        "high_churn_risk",
        "churn risk 62/100; 3 tickets unresolved for over 10 days",
        None,
        "high",
        "call",
        "2024-03-31",
        "open",
        None,
    ),
    (
        "X2",
        "A4",
        "route_to_senior_agent",
        "Route to a senior agent",
        "stale_tickets",
        "2 unresolved ticket(s) (t1, t2), the oldest opened 14 days ago",
        "senior_support",
        "high",
        "todo",
        "2024-03-31",
        "open",
        None,
    ),
    (
        "X3",
        "A5",
        "billing_review",
        "Billing review",
        "billing_concern",
        "billing concern in 2 messages in 30 days, latest i9",
        "billing_team",
        "medium",
        "todo",
        "2024-04-05",
        "open",
        None,
    ),
    (
        "X4",
        "A6",
        "intervention_call",
        "Intervention call",
        "churn_intent",
        "spoke of leaving in 1 message in 30 days, latest i7",
        None,
        "high",
        "call",
        "2024-03-31",
        "snoozed",
        "2999-01-01",
    ),
    (
        "X5",
        "A1",
        "loyalty_reward",
        "Loyalty reward",
        "promoter_praise",
        "NPS 10 (response r1); praise in 2 messages in 90 days, latest i2",
        None,
        "low",
        "email",
        "2024-04-12",
        "open",
        None,
    ),
    (
        "X6",
        "A2",
        "billing_review",
        "Billing review",
        "billing_concern",
        "billing concern in 1 message in 30 days, latest i5",
        "billing_team",
        "medium",
        "todo",
        "2024-04-05",
        "done",
        None,
    ),
    (
        "X7",
        "A3",
        "apology_and_credit",
        "Apology and credit",
        "repeated_failures",
        "2 angry or frustrated messages in 30 days; unresolved: t3",
        None,
        "medium",
        "email",
        "2024-04-05",
        "snoozed",
        "2024-03-15",
    ),
]
EXPECTED_OPEN_ACTIONS = ("X1", "X2", "X3", "X5", "X7")

SCORERS = ("churn_risk", "naive_negative_share_90d", "naive_days_since_customer_message")
# scorer -> (auc, auc_renewal_due, base_rate, top_decile_precision, lift per decile 1..10)
BACKTEST = {
    "churn_risk": (0.962, 0.791, 0.05, 0.38, (7.6, 1.2, 0.6, 0.2, 0.2, 0.1, 0.1, 0.0, 0.0, 0.0)),
    "naive_negative_share_90d": (
        0.762,
        0.778,
        0.05,
        0.265,
        (5.3, 1.8, 1.0, 0.6, 0.4, 0.3, 0.2, 0.2, 0.1, 0.1),
    ),
    "naive_days_since_customer_message": (
        0.569,
        0.52,
        0.05,
        0.125,
        (2.5, 1.5, 1.2, 1.0, 0.9, 0.8, 0.7, 0.6, 0.4, 0.4),
    ),
}
# band -> (order, rows, churned, observed rate, mean predicted rate)
CALIBRATION = {
    "low": (1, 1200, 12, 0.01, 0.012),
    "elevated": (2, 180, 16, 0.0889, 0.095),
    "high": (3, 82, 45, 0.5488, 0.47),
}

_DDL = """
create table marts.fct_account_churn_risk (
    account_id varchar, account_name varchar, owner varchar, plan varchar, region varchar,
    lifecycle_stage varchar, emotional_segment varchar, mrr double, renewal_date date,
    current_emotion varchar, as_of_date date, fit_as_of date, churn_model varchar,
    churn_risk_higher_riskier double,
    churn_risk_band varchar, reason_1 varchar, reason_2 varchar, reason_3 varchar,
    reason_features varchar[], health_higher_healthier double, health_band varchar,
    effective_health_higher_healthier double, effective_health_band varchar);
create table marts.fct_action_queue (
    action_id varchar, account_id varchar, account_name varchar, action_type varchar,
    action_label varchar, reason varchar, evidence varchar, evidence_key varchar, owner varchar,
    priority varchar, task_type varchar, as_of_date date, due_date date,
    churn_risk_higher_riskier double, health_higher_healthier double, mrr double, status varchar,
    decision varchar, decided_by varchar, decided_at timestamp, decision_note varchar,
    snoozed_until date, is_open boolean);
create table marts.fct_account_health (
    account_id varchar, owner varchar, as_of_date date, health_higher_healthier double,
    health_band varchar, override_score double, overridden_by varchar, override_reason varchar,
    overridden_at timestamp, override_valid_until date, override_source varchar,
    is_overridden boolean, effective_health_higher_healthier double,
    effective_health_band varchar);
create table marts.agg_churn_risk_backtest (
    scorer varchar, measure varchar, bucket varchar, bucket_order integer, n_rows bigint,
    n_churned bigint, value double, observed_rate double, predicted_rate double, lift double);
create table marts.fct_churn_risk_backtest_scores (
    account_id varchar, as_of_date date, churn_risk_higher_riskier double,
    churned_within_horizon boolean);
"""


def _index(account_id: str) -> int:
    return list(ACCOUNT_SEGMENTS).index(account_id)


def write_risk_marts(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(_DDL)
    for account_id, (risk, band, reasons, health, health_band, renewal) in RISK.items():
        plan, region, owner = ACCOUNT_ATTRIBUTES[account_id]
        i = _index(account_id)
        padded = list(reasons) + [None] * (3 - len(reasons))
        override = HEALTH_OVERRIDES.get(account_id)
        effective, effective_band = override[:2] if override else (health, health_band)
        con.execute(
            "insert into marts.fct_account_health values (?, ?, ?::date, ?, ?, ?, ?, ?, "
            "?::timestamp, ?::date, ?, ?, ?, ?)",
            [
                account_id,
                owner,
                AS_OF,
                health,
                health_band,
                *(
                    (override[0], *override[2:])
                    if override
                    else (None, None, None, None, None, None)
                ),
                override is not None,
                effective,
                effective_band,
            ],
        )
        con.execute(
            "insert into marts.fct_account_churn_risk values (?, ?, ?, ?, ?, 'customer', ?, ?, "
            "?::date, 'frustration', ?::date, ?::date, 'fitted', ?, ?, ?, ?, ?, [], ?, ?, ?, ?)",
            [
                account_id,
                f"Account {i}",
                owner,
                plan,
                region,
                ACCOUNT_SEGMENTS[account_id],
                1000.0 + i,
                renewal,
                AS_OF,
                AS_OF,
                risk,
                band,
                *padded,
                health,
                health_band,
                effective,
                effective_band,
            ],
        )
    for (
        aid,
        acc,
        kind,
        label,
        reason,
        evidence,
        owner,
        priority,
        task,
        due,
        status,
        until,
    ) in ACTIONS:
        i = _index(acc)
        account_owner = ACCOUNT_ATTRIBUTES[acc][2]
        con.execute(
            "insert into marts.fct_action_queue values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?::date, ?::date, ?, ?, ?, ?, ?, ?, null, null, ?::date, ?)",
            [
                aid,
                acc,
                f"Account {i}",
                kind,
                label,
                reason,
                evidence,
                aid,
                owner or account_owner,
                priority,
                task,
                AS_OF,
                due,
                RISK[acc][0],
                RISK[acc][3],
                1000.0 + i,
                status,
                None if status == "open" else status,
                None if status == "open" else "lea",
                until,
                status == "open",
            ],
        )
    for scorer, (auc, auc_due, base, top, lifts) in BACKTEST.items():
        rows = [
            (scorer, "auc", None, None, 1462, 73, auc, None, None, None),
            (scorer, "auc_renewal_due", None, None, 300, 60, auc_due, None, None, None),
            (scorer, "base_rate", None, None, 1462, 73, base, base, None, 1.0),
            (
                scorer,
                "top_decile_precision",
                None,
                None,
                147,
                round(147 * top),
                top,
                top,
                None,
                top / base,
            ),
            (
                scorer,
                "top_decile_lift",
                None,
                None,
                147,
                round(147 * top),
                top / base,
                top,
                None,
                top / base,
            ),
        ]
        rows += [
            (
                scorer,
                "decile",
                str(d),
                d,
                146,
                round(146 * lift * base),
                lift,
                lift * base,
                None,
                lift,
            )
            for d, lift in enumerate(lifts, start=1)
        ]
        con.executemany(
            "insert into marts.agg_churn_risk_backtest values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    con.executemany(
        "insert into marts.agg_churn_risk_backtest values "
        "('churn_risk', 'calibration', ?, ?, ?, ?, ?, ?, ?, null)",
        [
            (band, order, n, churned, observed, observed, predicted)
            for band, (order, n, churned, observed, predicted) in CALIBRATION.items()
        ],
    )
    con.executemany(
        "insert into marts.fct_churn_risk_backtest_scores values (?, ?::date, 5.0, false)",
        [(a, d) for a in ("A1", "A2") for d in ("2023-11-01", "2023-12-01")],
    )
