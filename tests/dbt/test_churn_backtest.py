"""The churn-risk score in its own backtest on the demo data, run through the real pipeline.

The demo's churn follows a hidden process (arcs, saves, surprise churns, a noisy fade; see
dagster_project/lib/demo_data/arcs.py) that no feature equals. The backtest must show the model
beating both naive baselines, and its figures must be what the rows say: AUC and deciles are
recomputed here from fct_churn_risk_backtest_scores, and no row is scored by a fit that saw its
future.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import timedelta

import pytest

from tests.dbt.conftest import Warehouse
from tests.support.pipeline import run_module

pytestmark = [pytest.mark.dbt, pytest.mark.pipeline]

HORIZON = timedelta(days=90)  # dbt_project.yml churn_horizon_days
SCORERS = {
    "churn_risk": "churn_risk_higher_riskier",
    "naive_negative_share_90d": "baseline_negative_share_90d",
    "naive_days_since_customer_message": "baseline_days_since_customer_message",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory, dbt_manifest) -> Warehouse:
    base = tmp_path_factory.mktemp("demo_backtest")
    generated = run_module(
        ["dagster_project.lib.demo_data", "--out", str(base / "inbox"), "--quiet"], base
    )
    assert generated.returncode == 0, generated.stderr
    ran = run_module(["dagster_project", "run"], base)
    assert ran.returncode == 0, ran.stdout[-5000:] + ran.stderr[-5000:]
    return Warehouse(dir=base, db_path=base / "warehouse.duckdb", work=base / "dbt")


def _auc(scores: list[float], labels: list[bool]) -> float:
    """P(a churned row outscores one that did not), ties half: every pair, counted directly."""
    pos = [s for s, y in zip(scores, labels, strict=True) if y]
    neg = [s for s, y in zip(scores, labels, strict=True) if not y]
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


@pytest.fixture(scope="module")
def measures(demo) -> dict[tuple[str, str, str | None], dict]:
    rows = demo.query("select * from marts.agg_churn_risk_backtest")
    return {(r["scorer"], r["measure"], r["bucket"]): r for r in rows}


def test_the_backtest_has_enough_rows_and_churns_to_judge(demo, measures) -> None:
    rows = demo.query("select * from marts.fct_churn_risk_backtest_scores")
    months = {r["as_of_date"] for r in rows}
    churned = sum(r["churned_within_horizon"] for r in rows)
    assert len(months) >= 4 and len(rows) >= 800 and churned >= 40, (
        len(months),
        len(rows),
        churned,
    )
    assert measures["churn_risk", "auc", None]["n_rows"] == len(rows)


def test_no_row_is_scored_by_a_fit_that_saw_its_future(demo) -> None:
    rows = demo.query(
        """select s.account_id, s.as_of_date, s.fit_as_of, f.trained_through
           from marts.fct_churn_risk_backtest_scores s
           join (select distinct fit_as_of, trained_through from intermediate.int_churn_model__fits) f
             on cast(f.fit_as_of as date) = s.fit_as_of"""
    )
    assert rows
    for r in rows:
        # The fit is the one made for the row's own date (walk-forward, one per month)...
        assert r["fit_as_of"] == r["as_of_date"]
        # ...and it learned only from snapshots whose churn window had closed by then.
        assert r["trained_through"].date() + HORIZON <= r["fit_as_of"]


def test_auc_and_top_decile_are_what_the_rows_say(demo, measures) -> None:
    rows = demo.query("select * from marts.fct_churn_risk_backtest_scores")
    labels = [r["churned_within_horizon"] for r in rows]
    base_rate = sum(labels) / len(labels)
    for scorer, column in SCORERS.items():
        scores = [float(r[column]) for r in rows]
        assert measures[scorer, "auc", None]["value"] == pytest.approx(_auc(scores, labels))
        due = [(s, y) for s, y, r in zip(scores, labels, rows, strict=True) if r["renewal_due"]]
        assert measures[scorer, "auc_renewal_due", None]["value"] == pytest.approx(
            _auc([s for s, _ in due], [y for _, y in due])
        )
        ranked = sorted(rows, key=lambda r: (-float(r[column]), r["account_id"], r["as_of_date"]))
        top = ranked[: -(-len(ranked) // 10)]  # ntile(10) puts the remainder in the first tiles
        top_rate = sum(r["churned_within_horizon"] for r in top) / len(top)
        assert measures[scorer, "top_decile_precision", None]["value"] == pytest.approx(top_rate)
        assert measures[scorer, "top_decile_lift", None]["value"] == pytest.approx(
            top_rate / base_rate
        )
        deciles = [m for k, m in measures.items() if k[0] == scorer and k[1] == "decile"]
        assert sum(m["n_rows"] for m in deciles) == len(rows)
        assert sum(m["n_churned"] for m in deciles) == sum(labels)


def test_the_risk_score_beats_both_naive_baselines(measures) -> None:
    auc = {s: measures[s, "auc", None]["value"] for s in SCORERS}
    lift = {s: measures[s, "top_decile_lift", None]["value"] for s in SCORERS}
    for baseline in ("naive_negative_share_90d", "naive_days_since_customer_message"):
        assert auc["churn_risk"] > auc[baseline], auc
        assert lift["churn_risk"] > lift[baseline], lift
    assert auc["churn_risk"] > 0.75 and lift["churn_risk"] > 3, (auc, lift)


def test_calibration_bands_order_the_observed_churn(measures) -> None:
    bands = sorted(
        (m for k, m in measures.items() if k[:2] == ("churn_risk", "calibration") and m["n_rows"]),
        key=lambda m: m["bucket_order"],
    )
    assert len(bands) >= 2
    observed = [m["observed_rate"] for m in bands]
    assert observed == sorted(observed), observed  # riskier bands churn more


def test_the_riskiest_accounts_have_reasons_in_words(demo) -> None:
    rows = demo.query(
        "select * from marts.fct_account_churn_risk order by churn_risk_higher_riskier desc limit 10"
    )
    assert len(rows) == 10
    with_reasons = [r for r in rows if r["reason_1"]]
    assert len(with_reasons) >= 8
    for r in with_reasons:
        reasons = [x for x in (r["reason_1"], r["reason_2"], r["reason_3"]) if x]
        assert len(reasons) == len(r["reason_features"])
        assert all(any(ch.isalpha() for ch in x) and "None" not in x for x in reasons), reasons


def test_reasons_say_one_of_a_thing_in_the_singular(demo) -> None:
    """'1 ticket unresolved', 'raised billing concerns 1 time': never '1 tickets'."""
    rows = demo.query(
        "select reason_1, reason_2, reason_3 from marts.fct_account_churn_risk where reason_1 is not null"
    )
    reasons = [x for r in rows for x in r.values() if x]
    assert any(re.search(r"\b1 (ticket|time|message)\b", x) for x in reasons)
    assert not [x for x in reasons if re.search(r"\b1 (tickets|times|messages)\b", x)]


def test_every_action_has_an_owner_and_a_reason(demo) -> None:
    rows = demo.query("select * from marts.fct_action_queue")
    assert rows
    kinds: dict[str, int] = defaultdict(int)
    for r in rows:
        kinds[r["action_type"]] += 1
        assert r["owner"] and r["evidence"] and r["status"] == "open"
    assert len(kinds) >= 4, kinds
