-- Churn risk per (account_id, as_of_date): 100 * the model's probability of a churn within the
-- horizon (`churn_horizon_days`), from its terms; with the outcome where it is known and the two
-- naive baselines the backtest compares it with, taken from the same snapshot.

with

terms as (

    select * from {{ ref('int_accounts__churn_risk_terms') }}

),

snapshots as (

    select * from {{ ref('int_accounts__snapshots') }}
    where is_month_start or is_latest

),

features as (

    select account_id, as_of_date, churned_within_horizon from {{ ref('int_accounts__risk_features') }}

),

scored as (

    select
        account_id,
        as_of_date,
        any_value(fit_as_of) as fit_as_of,
        sum(contribution) as log_odds
    from terms
    group by account_id, as_of_date

)

select
    scored.account_id,
    scored.as_of_date,
    snapshots.is_month_start,
    snapshots.is_latest,
    snapshots.has_full_history,
    scored.fit_as_of,
    scored.log_odds,
    100.0 / (1.0 + exp(-scored.log_odds)) as churn_risk_higher_riskier,
    -- Naive baseline 1: share of the customer's texts in the last 90 days that read negative.
    coalesce(snapshots.negative_texts_90d / nullif(snapshots.customer_texts_90d, 0), 0) as baseline_negative_share_90d,
    -- Naive baseline 2: days since the customer's last message (never wrote: 10000, the most silent).
    coalesce(
        date_diff('day', cast(snapshots.last_customer_message_at as date), snapshots.as_of_date),
        10000
    ) as baseline_days_since_customer_message,
    features.churned_within_horizon
from scored
inner join snapshots
    on scored.account_id = snapshots.account_id
    and scored.as_of_date = snapshots.as_of_date
inner join features
    on scored.account_id = features.account_id
    and scored.as_of_date = features.as_of_date
