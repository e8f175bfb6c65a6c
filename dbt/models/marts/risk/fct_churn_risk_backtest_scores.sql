-- The backtest's rows: every account as of the first of each past month (with a whole engagement
-- baseline behind it), scored by the model fitted for that date (only outcomes known before it),
-- next to the two naive baselines, and what happened in the following `churn_horizon_days`.
-- Only dates whose whole horizon is in the data are here.

with

scored as (

    select * from {{ ref('int_accounts__churn_risk_scored') }}

)

select
    account_id,
    as_of_date,
    fit_as_of,
    churn_risk_higher_riskier,
    baseline_negative_share_90d,
    baseline_days_since_customer_message,
    churned_within_horizon
from scored
where is_month_start
    and has_full_history
    and churned_within_horizon is not null
