"""The risk tables a nightly build updates in place or rebuilds (views aside): the ones whose
nightly rows must equal a full build's, in tests/dbt/test_risk_incremental.py on the demo data and
in tests/benchmarks/bench_risk.py at 1M."""

RISK_TABLES = (
    "intermediate.int_interactions__reply_times",
    "intermediate.int_accounts__daily_signals",
    "intermediate.int_accounts__snapshots",
    "intermediate.int_accounts__risk_features",
    "intermediate.int_churn_model__fits",
    "intermediate.int_accounts__churn_risk_scored",
    "intermediate.int_accounts__risk_inputs_committed",
    "marts.fct_account_cues_weekly",
    "marts.fct_account_health",
    "marts.fct_account_churn_risk",
    "marts.fct_action_queue",
    "marts.fct_churn_risk_backtest_scores",
    "marts.agg_churn_risk_backtest",
)
