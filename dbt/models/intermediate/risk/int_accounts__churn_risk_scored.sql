-- Churn risk per (account_id, as_of_date): 100 * the model's probability of a churn within the
-- horizon (`churn_horizon_days`), the sum of its terms (macros/risk_churn_terms.sql: the model
-- applied term by term); with the two naive baselines the backtest compares it with, taken from the
-- same snapshot. (The outcome, which becomes known as time passes, is in int_accounts__risk_features.)
-- Incremental (macros/risk_incremental.sql): recomputes the snapshots that changed, every
-- account's latest when the snapshot date moved, and every row from the earliest fit that changed on.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{{ churn_delete_recomputed() }}",
) }}
-- depends_on: {{ ref('int_accounts__risk_inputs_changed') }}
-- depends_on: {{ ref('int_accounts__daily_signals') }}
-- depends_on: {{ ref('int_churn_model__fits') }}

with

terms as (

    {{ churn_risk_terms(
        churn_is_recomputed('recomputed.account_id', 'recomputed.as_of_date') if is_incremental() else none
    ) | indent(4) }}

),

snapshots as (

    select * from {{ ref('int_accounts__snapshots') }}
    where is_month_start or is_latest

),

scored as (

    select
        account_id,
        as_of_date,
        any_value(fit_as_of) as fit_as_of,
        any_value(fit_fingerprint) as fit_fingerprint,
        -- a term without a contribution leaves the score null (which its test fails), not smaller
        case when count(contribution) = count(*) then sum(contribution) end as log_odds
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
    scored.fit_fingerprint,
    scored.log_odds,
    100.0 / (1.0 + exp(-scored.log_odds)) as churn_risk_higher_riskier,
    -- Naive baseline 1: share of the customer's texts in the last 90 days that read negative.
    coalesce(snapshots.negative_texts_90d / nullif(snapshots.customer_texts_90d, 0), 0) as baseline_negative_share_90d,
    -- Naive baseline 2: days since the customer's last message (never wrote: 10000, the most silent).
    coalesce(
        date_diff('day', cast(snapshots.last_customer_message_at as date), snapshots.as_of_date),
        10000
    ) as baseline_days_since_customer_message
from scored
inner join snapshots
    on scored.account_id = snapshots.account_id
    and scored.as_of_date = snapshots.as_of_date

