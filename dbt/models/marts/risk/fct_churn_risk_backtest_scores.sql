-- The backtest's rows: every account as of the first of each past month (with a whole engagement
-- baseline behind it), scored by the model fitted for that date (only outcomes known before it),
-- next to the two naive baselines, and what happened in the following `churn_horizon_days`.
-- Only dates whose whole horizon is in the data are here.

-- `renewal_due`: a renewal falls within the horizon. Churn happens at renewals, so knowing the date
-- alone ranks well; the backtest also reports AUC among the rows with a renewal due, where only the
-- signals can tell accounts apart.

with

scored as (

    select * from {{ ref('int_accounts__churn_risk_scored') }}

),

features as (

    select account_id, as_of_date, f_renewal_due, churned_within_horizon
    from {{ ref('int_accounts__risk_features') }}

)

select
    scored.account_id,
    scored.as_of_date,
    scored.fit_as_of,
    scored.churn_risk_higher_riskier,
    scored.baseline_negative_share_90d,
    scored.baseline_days_since_customer_message,
    features.f_renewal_due = 1 as renewal_due,
    features.churned_within_horizon
from scored
inner join features
    on scored.account_id = features.account_id
    and scored.as_of_date = features.as_of_date
where scored.is_month_start
    and scored.has_full_history
    and features.churned_within_horizon is not null
