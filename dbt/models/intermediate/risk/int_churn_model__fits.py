"""The churn model's coefficients, fitted walk-forward on the warehouse's own history.

One fit per first of a month with enough history (the backtest scores that month's snapshots with
it) and one for the latest snapshot (the current score). Each fit learns only from monthly
snapshots whose churn window had closed before its date. The fitting is
dagster_project.lib.churn_model (tested there); this model only feeds it and stores the result.

A table rebuilt every time, but cheaply: a fit is keyed by the fingerprint of its training rows
(and the fitting code), so the fits stored by the previous build are reused where that fingerprint
is unchanged, and only dates whose training rows changed are refitted: a new latest date whose
training months differ from the last one's, a month whose outcomes became known, or an old month
that late data changed. Reuse is exact, so a full build gives the same table.

Most nights nothing is refitted: `inputs_digest` (every row holds it) hashes all that the fits
depend on, the labelled monthly snapshots, the dates to fit and the code. When it equals the
stored one, the stored fits are the answer, and DuckDB copies them without pandas or pyarrow
being imported (either import alone costs more than the rest of a nightly fit; dbt-duckdb imports
pyarrow for every Python model's result, and macros/py_write_table.sql spares a DuckDB relation).

Where the history cannot fit a model for the latest snapshot yet (a new warehouse: fewer than 15
churned accounts with a known outcome), the latest date gets the starting model instead: weights
set by people (seed churn_risk_prior_weights), marked by n_train = 0. Backtest months get no prior.
A starting model is standardised on the latest snapshots, which the digest leaves out, so a build
that stored one always recomputes.
"""

import hashlib
import importlib.util
from pathlib import Path

import duckdb


def _inputs_digest(features: duckdb.DuckDBPyRelation) -> str:
    """A hash of what the fits are computed from: the labelled monthly snapshots (every column),
    the dates to fit, and the code (this model, compiled with its settings, and the fitting)."""
    training, fit_dates = features.query(
        "features",
        """select
            (select bit_xor(hash(features)) || '/' || count(*) from features
             where is_month_start and churned_within_horizon is not null),
            (select string_agg(distinct as_of_date::varchar, ',' order by as_of_date::varchar)
             from features where is_latest or (is_month_start and has_full_history))""",
    ).fetchall()[0]
    digest = hashlib.sha256(f"{training}|{fit_dates}".encode())
    digest.update(Path(__file__).read_bytes())
    fitting = importlib.util.find_spec("dagster_project.lib.churn_model").origin
    digest.update(Path(fitting).read_bytes())
    return digest.hexdigest()


def _stored_if_current(session, this, digest: str) -> duckdb.DuckDBPyRelation | None:
    """The fits stored by the previous build, if they were computed from inputs with this digest
    and hold no starting model."""
    try:
        stored = session.sql(f"select * from {this}")
    except duckdb.CatalogException:  # the first build: nothing stored yet
        return None
    if "inputs_digest" not in stored.columns:
        return None
    stale, total = stored.aggregate(
        f"count(*) filter (where inputs_digest != '{digest}' or n_train = 0), count(*)"
    ).fetchall()[0]
    return stored if total and not stale else None


def model(dbt, session):
    dbt.config(materialized="table")
    features = dbt.ref("int_accounts__risk_features")
    digest = _inputs_digest(features)
    current = _stored_if_current(session, dbt.this, digest)
    if current is not None:
        return current
    return _fitted(dbt, session, features.df()).assign(inputs_digest=digest)


def _fitted(dbt, session, snapshots):
    """Fit every date that needs it (reusing the stored fits of unchanged training rows)."""
    import pandas as pd

    from dagster_project.lib.churn_model import prior_fit_rows, walk_forward_fits

    horizon_days = int(dbt.config.get("churn_horizon_days"))
    fit_dates = snapshots.loc[
        snapshots["is_latest"] | (snapshots["is_month_start"] & snapshots["has_full_history"]),
        "as_of_date",
    ]
    wanted = {d.date() for d in fit_dates.drop_duplicates()}
    try:
        stored = session.sql(f"select * from {dbt.this}").df()
    except duckdb.CatalogException:  # the first build: nothing stored yet
        stored = None
    if stored is not None and "training_fingerprint" not in stored.columns:
        stored = None  # stored by a version without fingerprints: refit everything
    if stored is not None:
        stored = stored[stored["n_train"] > 0]  # a starting model is never reused as a fit
    training = snapshots[snapshots["is_month_start"]]
    fits = walk_forward_fits(training, wanted, horizon_days=horizon_days, stored=stored)
    latest = snapshots[snapshots["is_latest"]]
    if latest.empty:
        return fits
    latest_date = latest["as_of_date"].max().date()
    if (fits["fit_as_of"].dt.date == latest_date).any():
        return fits
    seed = dbt.ref("churn_risk_prior_weights").df()
    weights = dict(zip(seed["feature"], seed["weight"].astype(float), strict=True))
    base_rate = float(dbt.config.get("churn_prior_base_rate"))
    prior = prior_fit_rows(latest, latest_date, weights, base_rate)
    return pd.concat([fits, prior], ignore_index=True)
