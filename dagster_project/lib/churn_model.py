"""The churn-risk model: an L2-regularised logistic regression fitted on the warehouse's own history.

Explainable term by term: each feature is standardised with the training rows' mean and standard
deviation, so a term's contribution to the log-odds is `coefficient * (value - mean) / sd`, and the
score is `100 * sigmoid(intercept + sum of contributions)` (a probability of churn within the
horizon, in percent). The coefficients, means and sds are stored in the warehouse
(`int_churn_model__fits`), and dbt applies them in SQL.

Fits walk forward in time: the fit for date `d` learns only from snapshots whose outcome window
closed before `d` (`as_of + horizon <= d`), so no account is ever scored from its own future; the
backtest scores the snapshot of `d` with the fit for `d`.

Pure numpy (no scikit-learn in this environment): Newton's method on the penalised log-likelihood.

A fit is a pure function of its training rows, so it is keyed by their fingerprint
(`training_fingerprints`): a nightly build refits only the dates whose training rows changed (a new
month's outcomes, or late data for an old month) and reuses every other fit as it was stored.
"""

from __future__ import annotations

import hashlib
import inspect
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

FEATURE_PREFIX = "f_"
INTERCEPT = "(intercept)"
# Penalty on the standardised coefficients (not on the intercept); 1.0 is mild at hundreds of rows.
DEFAULT_L2 = 1.0
# A fit needs at least this many churned training rows; earlier dates get no fit (no score).
DEFAULT_MIN_CHURNED = 15


@dataclass(frozen=True)
class LogisticFit:
    """A fitted model on standardised features."""

    features: tuple[str, ...]
    intercept: float
    coefficients: tuple[float, ...]
    means: tuple[float, ...]
    sds: tuple[float, ...]
    n_train: int
    n_churned: int

    def log_odds(self, x: np.ndarray) -> np.ndarray:
        """Log-odds of churn for rows of raw (unstandardised) feature values."""
        z = (x - np.asarray(self.means)) / np.asarray(self.sds)
        return self.intercept + z @ np.asarray(self.coefficients)

    def probability(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.log_odds(x)))


def fit_logistic(
    x: np.ndarray,
    y: np.ndarray,
    features: Sequence[str],
    *,
    l2: float = DEFAULT_L2,
    max_iter: int = 100,
    tol: float = 1e-9,
) -> LogisticFit:
    """Fit P(y=1 | x) = sigmoid(b0 + z·b), z the standardised x, by Newton's method.

    A constant column (sd 0) gets sd 1 and so a coefficient the penalty keeps at 0.

    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=(4000, 1))
    >>> y = (rng.random(4000) < 1 / (1 + np.exp(-(2.0 * x[:, 0] - 1.0)))).astype(float)
    >>> fit = fit_logistic(x, y, ["f_a"], l2=0.0)
    >>> slope = fit.coefficients[0] / fit.sds[0]
    >>> round(slope, 1), round(fit.intercept - slope * fit.means[0], 1)
    (2.0, -1.0)
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.ndim != 2 or x.shape[0] != y.shape[0] or x.shape[1] != len(features):
        raise ValueError("x must be rows x features, y one label per row")
    if x.shape[0] == 0:
        raise ValueError("no training rows")
    means = x.mean(axis=0)
    sds = x.std(axis=0)
    sds[sds == 0] = 1.0
    z = np.column_stack([np.ones(len(x)), (x - means) / sds])
    penalty = np.full(z.shape[1], l2)
    penalty[0] = 0.0
    beta = np.zeros(z.shape[1])
    base = np.clip(y.mean(), 1e-6, 1 - 1e-6)
    beta[0] = np.log(base / (1 - base))
    objective = _penalised_log_likelihood(z, y, beta, penalty)
    for _ in range(max_iter):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ beta, -35.0, 35.0)))
        gradient = z.T @ (y - p) - penalty * beta
        hessian = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty)
        step = np.linalg.solve(hessian + 1e-9 * np.eye(len(beta)), gradient)
        # A full Newton step can overshoot when a feature nearly separates the classes (seen at
        # 1M rows: the fit ran off to an intercept of -4e13); halve it until the fit improves.
        scale = 1.0
        while scale > 1e-8:
            trial = _penalised_log_likelihood(z, y, beta + scale * step, penalty)
            if trial >= objective - 1e-12:
                break
            scale /= 2
        beta += scale * step
        objective = _penalised_log_likelihood(z, y, beta, penalty)
        if np.max(np.abs(scale * step)) < tol:
            break
    return LogisticFit(
        features=tuple(features),
        intercept=float(beta[0]),
        coefficients=tuple(float(b) for b in beta[1:]),
        means=tuple(float(m) for m in means),
        sds=tuple(float(s) for s in sds),
        n_train=int(len(y)),
        n_churned=int(y.sum()),
    )


def prior_fit(
    x: np.ndarray, features: Sequence[str], weights: Mapping[str, float], base_rate: float
) -> LogisticFit:
    """The starting model, for a warehouse with too little churn history to fit one.

    ``weights`` are log-odds per standard deviation of each feature, set by people (the seed
    ``churn_risk_prior_weights``), never learned; features without a weight count 0. The means and
    sds are those of ``x`` (features only: no outcome is read), the intercept is the log-odds of
    ``base_rate``. Scored and explained exactly like a fitted model.

    >>> fit = prior_fit(np.array([[0.0], [2.0]]), ["f_a"], {"f_a": 1.0}, 0.5)
    >>> fit.intercept, fit.coefficients, fit.means, fit.sds, fit.n_train
    (0.0, (1.0,), (1.0,), (1.0,), 0)
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 2 or x.shape[1] != len(features):
        raise ValueError("x must be rows x features")
    if not 0.0 < base_rate < 1.0:
        raise ValueError(f"base_rate must be between 0 and 1, got {base_rate}")
    means = x.mean(axis=0) if len(x) else np.zeros(len(features))
    sds = x.std(axis=0) if len(x) else np.ones(len(features))
    sds[sds == 0] = 1.0
    return LogisticFit(
        features=tuple(features),
        intercept=float(np.log(base_rate / (1.0 - base_rate))),
        coefficients=tuple(float(weights.get(f, 0.0)) for f in features),
        means=tuple(float(m) for m in means),
        sds=tuple(float(s) for s in sds),
        n_train=0,
        n_churned=0,
    )


def _penalised_log_likelihood(
    z: np.ndarray, y: np.ndarray, beta: np.ndarray, penalty: np.ndarray
) -> float:
    """What the fit maximises: the log-likelihood minus the L2 penalty (computed without overflow)."""
    eta = z @ beta
    return float(y @ eta - np.logaddexp(0.0, eta).sum() - 0.5 * penalty @ (beta * beta))


def feature_columns(columns: Iterable[str]) -> list[str]:
    """The model terms: every column named f_<feature>, in a stable order."""
    return sorted(c for c in columns if c.startswith(FEATURE_PREFIX))


FIT_COLUMNS = [
    "fit_as_of",
    "feature",
    "coefficient",
    "feature_mean",
    "feature_sd",
    "n_train",
    "n_churned",
    "trained_through",
    "training_fingerprint",
]


def _code_fingerprint() -> bytes:
    """This module's source: a change to the fitting refits every date."""
    return hashlib.sha256(inspect.getsource(sys.modules[__name__]).encode()).digest()


def _training_table(snapshots: pd.DataFrame, horizon_days: int) -> pd.DataFrame:
    """The labelled snapshots in a canonical order (as_of, account), with the date each one's
    outcome is known (`known_on`): the fit for date d trains on the rows known on or before d,
    a prefix of this table."""
    labelled = snapshots[snapshots["churned_within_horizon"].notna()]
    table = labelled.sort_values(["as_of_date", "account_id"], kind="stable", ignore_index=True)
    known_on = pd.to_datetime(table["as_of_date"]) + pd.Timedelta(days=horizon_days)
    return table.assign(_known_on=known_on.dt.date)


def training_fingerprints(
    snapshots: pd.DataFrame,
    fit_dates: Iterable[date],
    *,
    horizon_days: int,
    min_churned: int = DEFAULT_MIN_CHURNED,
    l2: float = DEFAULT_L2,
) -> dict[date, str]:
    """Per fit date, a hash of everything its fit depends on: its training rows (in a canonical
    order), the settings and this module's code. Equal fingerprints give equal fits, whatever the
    date."""
    table = _training_table(snapshots, horizon_days)
    columns = [
        "account_id",
        "as_of_date",
        "churned_within_horizon",
        *feature_columns(table.columns),
    ]
    row_hashes = pd.util.hash_pandas_object(table[columns], index=False).to_numpy()
    known_on = table["_known_on"].to_numpy()
    prefix = hashlib.sha256(_code_fingerprint())
    prefix.update(repr((columns, horizon_days, min_churned, l2)).encode())
    out = {}
    for fit_date in set(fit_dates):
        digest = prefix.copy()
        digest.update(row_hashes[known_on <= fit_date].tobytes())
        out[fit_date] = digest.hexdigest()
    return out


def walk_forward_fits(
    snapshots: pd.DataFrame,
    fit_dates: Iterable[date],
    *,
    horizon_days: int,
    min_churned: int = DEFAULT_MIN_CHURNED,
    l2: float = DEFAULT_L2,
    stored: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One fit per date in `fit_dates`, each from the snapshots whose outcome was known before it.

    `snapshots` holds `account_id`, `as_of_date`, `churned_within_horizon` (bool, null where
    unknown) and the f_ columns. Returns one row per fit and term (the intercept included):
    fit_as_of, feature, coefficient, feature_mean, feature_sd, n_train, n_churned,
    trained_through (the latest as-of date trained on) and training_fingerprint. A fit in `stored`
    (an earlier return value) with the same fingerprint is reused, under the new date, instead of
    refitted.
    """
    features = feature_columns(snapshots.columns)
    settings = {"horizon_days": horizon_days, "min_churned": min_churned, "l2": l2}
    fingerprints = training_fingerprints(snapshots, fit_dates, **settings)
    reusable = {}
    if stored is not None and len(stored):
        for fingerprint, rows in stored.groupby("training_fingerprint"):
            first = rows["fit_as_of"].min()
            reusable[fingerprint] = rows[rows["fit_as_of"] == first]
    table = _training_table(snapshots, horizon_days)
    known_on = table["_known_on"].to_numpy()
    out: list[dict] = []
    kept: list[pd.DataFrame] = []
    for fit_date in sorted(fingerprints):
        fingerprint = fingerprints[fit_date]
        if fingerprint in reusable:
            kept.append(reusable[fingerprint][FIT_COLUMNS].assign(fit_as_of=fit_date))
            continue
        train_rows = table[known_on <= fit_date]
        if train_rows.empty:
            continue
        y = train_rows["churned_within_horizon"].astype(bool).to_numpy(dtype=float)
        if y.sum() < min_churned or y.sum() == len(y):
            continue
        x = train_rows[features].astype(float).fillna(0.0).to_numpy()
        fit = fit_logistic(x, y, features, l2=l2)
        common = {
            "fit_as_of": fit_date,
            "n_train": fit.n_train,
            "n_churned": fit.n_churned,
            "trained_through": pd.to_datetime(train_rows["as_of_date"]).max().date(),
            "training_fingerprint": fingerprint,
        }
        out.append(
            {
                **common,
                "feature": INTERCEPT,
                "coefficient": fit.intercept,
                "feature_mean": 0.0,
                "feature_sd": 1.0,
            }
        )
        for name, coef, mean, sd in zip(
            fit.features, fit.coefficients, fit.means, fit.sds, strict=True
        ):
            out.append(
                {
                    **common,
                    "feature": name,
                    "coefficient": coef,
                    "feature_mean": mean,
                    "feature_sd": sd,
                }
            )
    frame = pd.concat(
        [_typed(pd.DataFrame(out, columns=FIT_COLUMNS)), *(_typed(k) for k in kept)],
        ignore_index=True,
    )
    return frame.sort_values(["fit_as_of", "feature"], ignore_index=True)


PRIOR_FINGERPRINT_PREFIX = "prior:"


def prior_fit_rows(
    latest: pd.DataFrame, fit_date: date, weights: Mapping[str, float], base_rate: float
) -> pd.DataFrame:
    """The starting model (:func:`prior_fit`) as fit rows for ``fit_date``, standardised on the
    ``latest`` snapshots' f_ columns; ``n_train`` 0 marks it, and no ``trained_through``.

    Used only for the current score of a warehouse whose history cannot fit a model yet; the
    backtest scores only fitted months.
    """
    features = feature_columns(latest.columns)
    x = latest[features].astype(float).fillna(0.0).to_numpy()
    fit = prior_fit(x, features, weights, base_rate)
    digest = hashlib.sha256(
        repr((fit.intercept, fit.coefficients, fit.means, fit.sds)).encode()
    ).hexdigest()[:16]
    common = {
        "fit_as_of": fit_date,
        "n_train": 0,
        "n_churned": 0,
        "trained_through": pd.NaT,
        "training_fingerprint": PRIOR_FINGERPRINT_PREFIX + digest,
    }
    rows = [{**common, "feature": INTERCEPT, "coefficient": fit.intercept,
             "feature_mean": 0.0, "feature_sd": 1.0}]  # fmt: skip
    rows += [
        {**common, "feature": name, "coefficient": coef, "feature_mean": mean, "feature_sd": sd}
        for name, coef, mean, sd in zip(
            fit.features, fit.coefficients, fit.means, fit.sds, strict=True
        )
    ]
    return _typed(pd.DataFrame(rows, columns=FIT_COLUMNS))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Typed even when empty, so the stored table has the same columns and types on any data."""
    return frame.astype(
        {
            "fit_as_of": "datetime64[us]",
            "feature": "string",
            "coefficient": "float64",
            "feature_mean": "float64",
            "feature_sd": "float64",
            "n_train": "int64",
            "n_churned": "int64",
            "trained_through": "datetime64[us]",
            "training_fingerprint": "string",
        }
    )
