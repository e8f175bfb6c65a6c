"""The churn model's coefficients, fitted walk-forward on the warehouse's own history.

One fit per first of a month with enough history (the backtest scores that month's snapshots with
it) and one for the latest snapshot (the current score). Each fit learns only from monthly
snapshots whose churn window had closed before its date. The fitting is
dagster_project.lib.churn_model (tested there); this model only feeds it and stores the result.

Incremental: a fit, once made, never changes (it learned only from outcomes known before its date),
so a nightly build fits only the dates that have none yet: the new latest snapshot's date, and the
first of a month when one passes. (Earlier nights' latest-date fits stay; no snapshot but their
own night's uses them.)
"""

from dagster_project.lib.churn_model import walk_forward_fits


def model(dbt, session):
    dbt.config(materialized="incremental", incremental_strategy="append")
    horizon_days = int(dbt.config.get("churn_horizon_days"))
    snapshots = dbt.ref("int_accounts__risk_features").df()
    fit_dates = snapshots.loc[
        snapshots["is_latest"] | (snapshots["is_month_start"] & snapshots["has_full_history"]),
        "as_of_date",
    ]
    wanted = {d.date() for d in fit_dates.drop_duplicates()}
    if dbt.is_incremental:
        done = session.sql(f"select distinct cast(fit_as_of as date) from {dbt.this}").fetchall()
        wanted -= {row[0] for row in done}
    training = snapshots[snapshots["is_month_start"]]
    return walk_forward_fits(training, wanted, horizon_days=horizon_days)
