"""The churn model's fitter: recovers known coefficients, explains itself term by term, and fits
walk-forward without ever training on an outcome that was not known at the fit's date."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from dagster_project.lib.churn_model import (
    INTERCEPT,
    feature_columns,
    fit_logistic,
    prior_fit,
    walk_forward_fits,
)


def _simulated(n: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = np.column_stack([rng.normal(2.0, 3.0, n), rng.normal(size=n), rng.normal(size=n)])
    log_odds = -2.0 + 0.5 * x[:, 0] - 1.0 * x[:, 1] + 0.0 * x[:, 2]
    y = (rng.random(n) < 1 / (1 + np.exp(-log_odds))).astype(float)
    return x, y


def test_recovers_the_coefficients_of_a_known_process() -> None:
    x, y = _simulated(20_000)
    fit = fit_logistic(x, y, ["f_a", "f_b", "f_noise"], l2=0.0)
    slopes = np.asarray(fit.coefficients) / np.asarray(fit.sds)
    assert slopes == pytest.approx([0.5, -1.0, 0.0], abs=0.06)
    intercept = fit.intercept - float(np.sum(slopes * np.asarray(fit.means)))
    assert intercept == pytest.approx(-2.0, abs=0.1)
    assert (fit.n_train, fit.n_churned) == (20_000, int(y.sum()))


def test_the_score_is_the_sum_of_its_terms() -> None:
    x, y = _simulated(3_000, seed=2)
    fit = fit_logistic(x, y, ["f_a", "f_b", "f_c"])
    row = x[:1]
    terms = [
        c * (row[0, i] - m) / s
        for i, (c, m, s) in enumerate(zip(fit.coefficients, fit.means, fit.sds, strict=True))
    ]
    assert fit.log_odds(row)[0] == pytest.approx(fit.intercept + sum(terms))
    assert fit.probability(row)[0] == pytest.approx(1 / (1 + np.exp(-(fit.intercept + sum(terms)))))


def test_the_penalty_shrinks_coefficients_and_a_constant_column_gets_none() -> None:
    x, y = _simulated(400, seed=3)
    x = np.column_stack([x, np.ones(len(x))])
    names = ["f_a", "f_b", "f_c", "f_constant"]
    loose, tight = fit_logistic(x, y, names, l2=0.0), fit_logistic(x, y, names, l2=200.0)
    assert abs(tight.coefficients[0]) < abs(loose.coefficients[0])
    assert tight.coefficients[3] == 0.0 and loose.sds[3] == 1.0


def test_a_rare_outcome_on_a_heavy_tailed_feature_converges() -> None:
    """Plain Newton steps ran off to coefficients of 1e12 on data like this (and on the 1M demo's
    later months); the step is shortened until the fit improves, so it lands on the optimum."""
    rng = np.random.default_rng(8)
    n = 2000
    flag = (rng.random(n) < rng.uniform(0.05, 0.3)).astype(float)
    tail = rng.exponential(1, n) ** rng.uniform(1, 3)
    x = np.column_stack([flag, tail])
    logit = rng.uniform(-9, -4) + ((x - x.mean(0)) / x.std(0)) @ rng.normal(0, 3, 2)
    y = (rng.random(n) < 1 / (1 + np.exp(-np.clip(logit, -30, 30)))).astype(float)
    assert 5 <= y.sum() <= 50  # rare, as churn is
    fit = fit_logistic(x, y, ["f_flag", "f_tail"])
    assert np.isfinite(fit.intercept) and max(abs(c) for c in fit.coefficients) < 50
    # At the optimum the intercept's score equation holds: predicted churns = observed churns.
    assert fit.probability(x).sum() == pytest.approx(y.sum(), rel=1e-4)


def test_the_prior_scores_warning_signs_as_riskier_and_reads_no_outcome() -> None:
    features = ["f_churn_intent_90d", "f_stale_tickets", "f_usage_change"]
    weights = {"f_churn_intent_90d": 0.8, "f_stale_tickets": 0.5, "f_usage_change": -0.5}
    x = np.array(
        [
            [0.0, 0.0, 0.2],  # calm, using the product more
            [0.0, 1.0, 0.0],
            [2.0, 3.0, -1.5],  # wrote about cancelling, stale tickets, usage down
        ]
    )
    fit = prior_fit(x, features, weights, base_rate=0.05)
    risk = fit.probability(x)
    assert risk[0] < risk[1] < risk[2]
    assert fit.intercept == pytest.approx(np.log(0.05 / 0.95))
    assert fit.n_train == 0 and fit.n_churned == 0
    # A feature without a weight adds nothing; a base rate outside (0, 1) is refused.
    assert prior_fit(x, features, {}, 0.05).probability(x) == pytest.approx([0.05] * 3)
    with pytest.raises(ValueError, match="base_rate"):
        prior_fit(x, features, weights, base_rate=1.0)


def test_rejects_shapes_that_do_not_match() -> None:
    with pytest.raises(ValueError):
        fit_logistic(np.zeros((3, 2)), np.zeros(3), ["f_a"])
    with pytest.raises(ValueError):
        fit_logistic(np.zeros((0, 1)), np.zeros(0), ["f_a"])


def _monthly_snapshots(months: int, accounts: int, seed: int = 4) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    first = date(2025, 1, 1)
    for m in range(months):
        as_of = date(first.year + (first.month - 1 + m) // 12, (first.month - 1 + m) % 12 + 1, 1)
        for a in range(accounts):
            signal = rng.normal()
            churned = bool(rng.random() < 1 / (1 + np.exp(-(-2.5 + 1.5 * signal))))
            rows.append(
                {
                    "account_id": f"A{a}",
                    "as_of_date": pd.Timestamp(as_of),
                    "churned_within_horizon": churned,
                    "f_signal": signal,
                    "f_noise": rng.normal(),
                    "not_a_feature": 1.0,
                }
            )
    return pd.DataFrame(rows)


def test_walk_forward_fits_train_only_on_outcomes_known_before_their_date() -> None:
    snapshots = _monthly_snapshots(months=12, accounts=150)
    fit_dates = sorted({d.date() for d in snapshots["as_of_date"]})
    fits = walk_forward_fits(snapshots, fit_dates, horizon_days=90, min_churned=15)
    assert not fits.empty
    assert set(fits["feature"]) == {INTERCEPT, "f_noise", "f_signal"}
    per_fit = fits.groupby("fit_as_of").first()
    for fit_as_of, row in per_fit.iterrows():
        # Every training row's horizon closed before the fit's date...
        assert row["trained_through"] + timedelta(days=90) <= fit_as_of
        # ...and the fit used exactly those rows.
        known = snapshots[snapshots["as_of_date"] + timedelta(days=90) <= fit_as_of]
        assert row["n_train"] == len(known)
        assert row["n_churned"] == int(known["churned_within_horizon"].sum())
    # The first dates have no outcome known yet: no fit, so nothing is scored from the future.
    assert per_fit.index.min() > pd.Timestamp(fit_dates[2])
    latest = fits[fits["fit_as_of"] == fits["fit_as_of"].max()].set_index("feature")
    assert latest.loc["f_signal", "coefficient"] > 0.5 > abs(latest.loc["f_noise", "coefficient"])


def test_walk_forward_skips_dates_with_too_few_churned_rows_and_unknown_outcomes() -> None:
    snapshots = _monthly_snapshots(months=6, accounts=40)
    snapshots["churned_within_horizon"] = snapshots["churned_within_horizon"].astype(object)
    snapshots.loc[snapshots.index[:30], "churned_within_horizon"] = None
    fits = walk_forward_fits(snapshots, [date(2025, 7, 1)], horizon_days=90, min_churned=10_000)
    assert fits.empty and list(fits.columns)[:2] == ["fit_as_of", "feature"]
    fits = walk_forward_fits(snapshots, [date(2025, 7, 1)], horizon_days=90, min_churned=1)
    known = snapshots.iloc[30:]
    known = known[known["as_of_date"] + timedelta(days=90) <= pd.Timestamp(2025, 7, 1)]
    assert fits["n_train"].iloc[0] == len(known)


def test_feature_columns_are_the_f_columns_in_a_stable_order() -> None:
    assert feature_columns(["x", "f_b", "f_a", "fa"]) == ["f_a", "f_b"]


def test_a_stored_fit_is_reused_while_its_training_rows_are_unchanged() -> None:
    snapshots = _monthly_snapshots(months=10, accounts=120)
    fit_dates = [date(2025, 8, 1), date(2025, 9, 1), date(2025, 9, 17)]
    first = walk_forward_fits(snapshots, fit_dates, horizon_days=90, min_churned=15)
    # The same rows in another order give the same fits, fingerprints included.
    shuffled = snapshots.sample(frac=1.0, random_state=3)
    pd.testing.assert_frame_equal(
        walk_forward_fits(shuffled, fit_dates, horizon_days=90, min_churned=15), first
    )
    # A marked stored copy shows which fits were reused and which refitted.
    stored = first.assign(coefficient=first["coefficient"] + 100.0)
    late = snapshots.copy()
    june = late["as_of_date"] == pd.Timestamp(2025, 6, 1)
    late.loc[june & (late["account_id"] == "A0"), "f_noise"] += 1.0  # late data for June
    again = walk_forward_fits(late, fit_dates, horizon_days=90, min_churned=15, stored=stored)
    by_date = {d: rows for d, rows in again.groupby("fit_as_of")}
    # 1 August trained on months up to May: unchanged, reused.
    aug = by_date[pd.Timestamp(2025, 8, 1)]
    assert (aug["coefficient"] > 50).all()
    # 1 and 17 September trained on June too: refitted (and equal, as their rows are the same).
    for day in (pd.Timestamp(2025, 9, 1), pd.Timestamp(2025, 9, 17)):
        assert (by_date[day]["coefficient"] < 50).all()
    sep_1 = by_date[pd.Timestamp(2025, 9, 1)].drop(columns="fit_as_of").reset_index(drop=True)
    sep_17 = by_date[pd.Timestamp(2025, 9, 17)].drop(columns="fit_as_of").reset_index(drop=True)
    pd.testing.assert_frame_equal(sep_1, sep_17)
    # A fit for a new date whose training rows are those of a stored fit is that fit, re-dated.
    later = walk_forward_fits(
        snapshots, [date(2025, 9, 20)], horizon_days=90, min_churned=15, stored=stored
    )
    assert (later["coefficient"] > 50).all()
    assert set(later["fit_as_of"]) == {pd.Timestamp(2025, 9, 20)}
