-- How good is the churn risk score, next to two naive baselines, on the same backtest rows
-- (fct_churn_risk_backtest_scores). One row per scorer and measure (and bucket):
--   auc                   P(a churned row outranks a row that did not), ties count half;
--   auc_renewal_due       the same among rows with a renewal due within the horizon (churn comes at
--                         renewals: there, only the signals tell accounts apart);
--   top_decile_precision  churn rate among the 10% ranked riskiest;
--   top_decile_lift       that rate over the base rate;
--   decile                per tenth of the ranking (1 = riskiest): rows, churned, rate, lift;
--   calibration           churn risk only, per risk band (seed churn_risk_bands): mean predicted
--                         probability against the observed churn rate.
-- Scorers: churn_risk (the model), naive_negative_share_90d (share of the customer's texts in the
-- last 90 days that read negative), naive_days_since_customer_message. Deciles break ties by
-- account and date, so a baseline with many equal values (no negative text) fills its deciles in
-- that order.

with

rows_ as (

    select * from {{ ref('fct_churn_risk_backtest_scores') }}

),

long as (

    select account_id, as_of_date, renewal_due, churned_within_horizon as churned,
        'churn_risk' as scorer, churn_risk_higher_riskier as score
    from rows_
    union all
    select account_id, as_of_date, renewal_due, churned_within_horizon,
        'naive_negative_share_90d', baseline_negative_share_90d
    from rows_
    union all
    select account_id, as_of_date, renewal_due, churned_within_horizon,
        'naive_days_since_customer_message', baseline_days_since_customer_message
    from rows_

),

totals as (

    select
        scorer,
        count(*) as n_rows,
        count(*) filter (where churned) as n_churned,
        avg(churned::double) as base_rate
    from long
    group by scorer

),

-- AUC from the counts per distinct score: each churned row beats the non-churned rows below it
-- and ties half of those level with it.
by_value as (

    select
        population,
        scorer,
        score,
        count(*) filter (where churned) as pos,
        count(*) filter (where not churned) as neg
    from (
        select 'all' as population, * from long
        union all
        select 'renewal_due', * from long where renewal_due
    )
    group by population, scorer, score

),

below as (

    select
        *,
        coalesce(sum(neg) over (
            partition by population, scorer order by score
            rows between unbounded preceding and 1 preceding
        ), 0) as neg_below
    from by_value

),

auc as (

    select
        population,
        scorer,
        sum(pos * (neg_below + 0.5 * neg)) as wins,
        cast(sum(pos) + sum(neg) as bigint) as n_rows,
        cast(sum(pos) as bigint) as n_churned
    from below
    group by population, scorer

),

deciled as (

    select
        *,
        ntile(10) over (partition by scorer order by score desc, account_id, as_of_date) as decile
    from long

),

deciles as (

    select
        deciled.scorer,
        deciled.decile,
        count(*) as n_rows,
        count(*) filter (where deciled.churned) as n_churned,
        avg(deciled.churned::double) as observed_rate,
        min(deciled.score) as min_score,
        max(deciled.score) as max_score
    from deciled
    group by deciled.scorer, deciled.decile

),

bands as (

    select * from {{ ref('churn_risk_bands') }}

),

calibration as (

    select
        bands.band,
        bands.min_score,
        count(long.score) as n_rows,
        count(*) filter (where long.churned) as n_churned,
        avg(long.churned::double) as observed_rate,
        -- summed in a fixed order: a parallel sum of doubles differs between runs in the last digit
        avg(long.score / 100.0 order by long.account_id, long.as_of_date) as predicted_rate
    from bands
    left join long
        on long.scorer = 'churn_risk'
        and long.score >= bands.min_score
        and (long.score < bands.max_score or (bands.max_score = 100 and long.score <= 100))
    group by bands.band, bands.min_score

),

measures as (

    select
        auc.scorer, case auc.population when 'all' then 'auc' else 'auc_renewal_due' end as measure,
        null::varchar as bucket, null::integer as bucket_order,
        auc.n_rows, auc.n_churned,
        auc.wins / nullif(auc.n_churned * (auc.n_rows - auc.n_churned), 0) as value,
        null::double as observed_rate, null::double as predicted_rate, null::double as lift
    from auc

    union all

    select
        totals.scorer, 'base_rate', null, null, totals.n_rows, totals.n_churned,
        totals.base_rate, totals.base_rate, null, 1.0
    from totals

    union all

    select
        deciles.scorer, 'top_decile_precision', null, null, deciles.n_rows, deciles.n_churned,
        deciles.observed_rate, deciles.observed_rate, null, deciles.observed_rate / nullif(totals.base_rate, 0)
    from deciles
    inner join totals on deciles.scorer = totals.scorer
    where deciles.decile = 1

    union all

    select
        deciles.scorer, 'top_decile_lift', null, null, deciles.n_rows, deciles.n_churned,
        deciles.observed_rate / nullif(totals.base_rate, 0), deciles.observed_rate, null,
        deciles.observed_rate / nullif(totals.base_rate, 0)
    from deciles
    inner join totals on deciles.scorer = totals.scorer
    where deciles.decile = 1

    union all

    select
        deciles.scorer, 'decile', cast(deciles.decile as varchar), deciles.decile,
        deciles.n_rows, deciles.n_churned,
        deciles.observed_rate / nullif(totals.base_rate, 0), deciles.observed_rate, null,
        deciles.observed_rate / nullif(totals.base_rate, 0)
    from deciles
    inner join totals on deciles.scorer = totals.scorer

    union all

    select
        'churn_risk', 'calibration', calibration.band,
        cast(row_number() over (order by calibration.min_score) as integer),
        calibration.n_rows, calibration.n_churned,
        calibration.observed_rate, calibration.observed_rate, calibration.predicted_rate, null
    from calibration

)

select * from measures
