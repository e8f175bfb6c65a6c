{#-
    The churn model's inputs, one home for their definitions: every column named f_<feature> is a
    model term (int_churn_model__fits fits one coefficient per f_ column; the score and its reasons
    are the terms' contributions). Each is a plain transform of a snapshot, so a term can be read
    back in words. Rows: monthly snapshots (training and backtest) and the latest (current score).
-#}
{%- set recent = var('cue_recent_days') -%}
{%- set baseline = var('cue_baseline_days') -%}

with

snapshots as (

    select * from {{ ref('int_accounts__snapshots') }}
    where is_month_start or is_latest

),

data_end as (

    select max(signal_date) as data_end_date from {{ ref('int_accounts__daily_signals') }}

),

churn_events as (

    -- a churned event or a lost renewal deal
    select account_id, cast(occurred_at as date) as churned_date
    from {{ ref('int_accounts__renewal_outcomes') }}
    where outcome = 'churned'

),

labelled as (

    -- Churn within the horizon after the snapshot; null where that future is not in the data yet.
    select
        snapshots.*,
        case
            when snapshots.as_of_date + {{ var('churn_horizon_days') }} > data_end.data_end_date + 1 then null
            else exists (
                select 1 from churn_events
                where churn_events.account_id = snapshots.account_id
                    and churn_events.churned_date >= snapshots.as_of_date
                    and churn_events.churned_date < snapshots.as_of_date + {{ var('churn_horizon_days') }}
            )
        end as churned_within_horizon
    from snapshots
    cross join data_end

),

features as (

    select
        account_id,
        as_of_date,
        is_month_start,
        is_latest,
        has_full_history,
        churned_within_horizon,

        -- Product use (logins + feature use) in the recent window against the baseline, as a log
        -- ratio: 0 unchanged, -0.69 halved. Baseline scaled to the recent window's length.
        ln(
            (coalesce(logins_recent, 0) + coalesce(feature_uses_recent, 0) + 1)
            / ((coalesce(logins_baseline, 0) + coalesce(feature_uses_baseline, 0)) * {{ recent }} / {{ baseline }} + 1)
        ) as f_usage_change,
        -- E-mail opens + clicks, the same way.
        ln(
            (coalesce(email_opens_recent, 0) + coalesce(email_clicks_recent, 0) + 1)
            / ((coalesce(email_opens_baseline, 0) + coalesce(email_clicks_baseline, 0)) * {{ recent }} / {{ baseline }} + 1)
        ) as f_email_change,
        least(stale_tickets, 5) as f_stale_tickets,
        least(unresolved_tickets, 5) as f_unresolved_tickets,
        least(coalesce(churn_intent_90d, 0), 3) as f_churn_intent_90d,
        least(coalesce(billing_concern_90d, 0), 3) as f_billing_concern_90d,
        least(coalesce(praise_90d, 0), 3) as f_praise_90d,
        coalesce(negative_texts_90d / nullif(customer_texts_90d, 0), 0) as f_negative_share_90d,
        -- Average sentiment of the last 30 days minus that of the 60 days before (0: no texts).
        coalesce(
            compound_sum_30d / nullif(customer_texts_30d, 0)
            - (compound_sum_90d - compound_sum_30d) / nullif(customer_texts_90d - customer_texts_30d, 0),
            0
        ) as f_sentiment_trend,
        least(coalesce(date_diff('day', cast(last_customer_message_at as date), as_of_date), 180), 180) as f_days_silent,
        ln(1 + coalesce(our_reply_hours_sum_90d / nullif(our_replies_90d, 0), 0)) as f_our_reply_log_hours,
        ln(1 + coalesce(customer_reply_hours_sum_90d / nullif(customer_replies_90d, 0), 0)) as f_customer_reply_log_hours,
        -- How far the latest survey answer sits below 0.7 of its scale (0: no answer yet).
        coalesce(0.7 - last_survey_score_normalized, 0) as f_survey_gap,
        least(coalesce(downgrades_180d, 0), 1) as f_downgraded_180d,
        least(coalesce(lost_deals_180d, 0), 1) as f_lost_deal_180d,
        case when next_renewal_date < as_of_date + {{ var('churn_horizon_days') }} then 1 else 0 end as f_renewal_due

    from labelled

)

-- In date order, as its snapshots: the current scores read the latest rows alone.
select * from features
order by as_of_date
