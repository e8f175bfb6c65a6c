"""The churn model's coefficients, fitted walk-forward on the warehouse's own history.

One fit per first of a month with enough history (the backtest scores that month's snapshots with
it) and one for the latest snapshot (the current score). Each fit learns only from monthly
snapshots whose churn window had closed before its date. The fitting is
dagster_project.lib.churn_model (tested there); this model only feeds it and stores the result.
"""

from dagster_project.lib.churn_model import walk_forward_fits


def model(dbt, session):
    dbt.config(materialized="table")
    horizon_days = int(dbt.config.get("churn_horizon_days"))
    snapshots = dbt.ref("int_accounts__risk_features").df()
    fit_dates = snapshots.loc[
        snapshots["is_latest"] | (snapshots["is_month_start"] & snapshots["has_full_history"]),
        "as_of_date",
    ]
    training = snapshots[snapshots["is_month_start"]]
    return walk_forward_fits(
        training, (d.date() for d in fit_dates.drop_duplicates()), horizon_days=horizon_days
    )
