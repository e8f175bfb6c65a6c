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
"""

import duckdb

from dagster_project.lib.churn_model import walk_forward_fits


def model(dbt, session):
    dbt.config(materialized="table")
    horizon_days = int(dbt.config.get("churn_horizon_days"))
    snapshots = dbt.ref("int_accounts__risk_features").df()
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
    training = snapshots[snapshots["is_month_start"]]
    return walk_forward_fits(training, wanted, horizon_days=horizon_days, stored=stored)
