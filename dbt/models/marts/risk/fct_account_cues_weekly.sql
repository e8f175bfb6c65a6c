{{ config(materialized='view') }}
-- Behavioral cues: one row per account per week (the snapshot the Monday after the week; the
-- current week's is the day after the latest data, `is_latest_week`), each cue a flag with the
-- measures and evidence behind it. Thresholds: seed risk_cue_thresholds; windows: the `cue_*` vars.
--   engagement drop   opens/clicks/logins/feature use in the last 28 days against the account's own
--                     90-day baseline before them ("sudden drop in email opens = disappointment");
--   demo curiosity    engagement in the 14 days after the latest demo against the 14 before it
--                     ("high engagement after a demo = curiosity");
--   ticket frustration several unresolved tickets ("multiple unresolved tickets = frustration");
--   slow reply        our average reply time to the customer in the last 90 days;
--   hesitation        the customer's average reply time to our messages, or days since they last
--                     wrote ("delayed or no responses = hesitation");
--   verbal cues       churn_intent, billing_concern, urgency, praise counts in 30 and 90 days;
--   survey            the latest survey answer.
-- A view: each row is its week-end snapshot's measures judged against the thresholds, so storing
-- them would copy the snapshots (incremental, macros/risk_incremental.sql) a second time; and the
-- nightly's delete and append of its recomputed rows made DuckDB rewrite a whole row group of this
-- 60-column table at checkpoint. Its readers take the latest week (health, the action queue), one
-- account, or the weeks before a churn (the churned-account review); the pipeline's publish step
-- stores it for the dashboard.

with

snapshots as (

    select * from {{ ref('int_accounts__snapshots') }}
    where is_week_end

),

thresholds as (

    {{ cue_thresholds() }}

),

surveys as (

    select response_id, survey_type, score, scale_max, responded_at
    from {{ ref('int_surveys__classified') }}

),

measured as (

    select
        snapshots.account_id,
        cast(date_trunc('week', snapshots.as_of_date - 1) as date) as week_start_date,
        snapshots.as_of_date,
        snapshots.is_latest as is_latest_week,

        -- engagement against the account's own baseline
        snapshots.email_opens_recent,
        snapshots.email_clicks_recent,
        snapshots.logins_recent,
        snapshots.feature_uses_recent,
        snapshots.email_opens_baseline,
        snapshots.email_clicks_baseline,
        snapshots.logins_baseline,
        snapshots.feature_uses_baseline,
        {{ pct_change_vs_baseline('snapshots.email_opens_recent', 'snapshots.email_opens_baseline', 'thresholds.engagement_baseline_min_events') }} as email_opens_change_pct,
        {{ pct_change_vs_baseline('snapshots.email_clicks_recent', 'snapshots.email_clicks_baseline', 'thresholds.engagement_baseline_min_events') }} as email_clicks_change_pct,
        {{ pct_change_vs_baseline('snapshots.logins_recent', 'snapshots.logins_baseline', 'thresholds.engagement_baseline_min_events') }} as logins_change_pct,
        {{ pct_change_vs_baseline('snapshots.feature_uses_recent', 'snapshots.feature_uses_baseline', 'thresholds.engagement_baseline_min_events') }} as feature_uses_change_pct,
        {{ pct_change_vs_baseline(
            'coalesce(snapshots.email_opens_recent, 0) + coalesce(snapshots.email_clicks_recent, 0) + coalesce(snapshots.logins_recent, 0) + coalesce(snapshots.feature_uses_recent, 0)',
            'coalesce(snapshots.email_opens_baseline, 0) + coalesce(snapshots.email_clicks_baseline, 0) + coalesce(snapshots.logins_baseline, 0) + coalesce(snapshots.feature_uses_baseline, 0)',
            'thresholds.engagement_baseline_min_events') }} as engagement_change_pct,

        -- after the latest demo
        snapshots.last_demo_date,
        snapshots.engagement_before_demo,
        snapshots.engagement_after_demo,
        case
            when snapshots.engagement_before_demo > 0
                then 100.0 * (snapshots.engagement_after_demo - snapshots.engagement_before_demo) / snapshots.engagement_before_demo
        end as demo_engagement_change_pct,

        -- tickets
        snapshots.unresolved_tickets,
        snapshots.stale_tickets,
        snapshots.oldest_unresolved_ticket_days,
        snapshots.unresolved_ticket_ids,

        -- replies
        snapshots.our_reply_hours_sum_90d / nullif(snapshots.our_replies_90d, 0) as our_reply_hours_avg_90d,
        coalesce(snapshots.our_replies_90d, 0) as our_replies_90d,
        snapshots.customer_reply_hours_sum_90d / nullif(snapshots.customer_replies_90d, 0) as customer_reply_hours_avg_90d,
        coalesce(snapshots.customer_replies_90d, 0) as customer_replies_90d,
        snapshots.last_customer_message_at,
        date_diff('day', cast(snapshots.last_customer_message_at as date), snapshots.as_of_date) as days_since_customer_message,

        -- verbal cues
        coalesce(snapshots.churn_intent_30d, 0) as churn_intent_30d,
        coalesce(snapshots.churn_intent_90d, 0) as churn_intent_90d,
        coalesce(snapshots.billing_concern_30d, 0) as billing_concern_30d,
        coalesce(snapshots.billing_concern_90d, 0) as billing_concern_90d,
        coalesce(snapshots.urgency_30d, 0) as urgency_30d,
        coalesce(snapshots.urgency_90d, 0) as urgency_90d,
        coalesce(snapshots.praise_30d, 0) as praise_30d,
        coalesce(snapshots.praise_90d, 0) as praise_90d,
        snapshots.last_churn_intent_id as last_churn_intent_interaction_id,
        snapshots.last_billing_concern_id as last_billing_concern_interaction_id,
        snapshots.last_urgency_id as last_urgency_interaction_id,
        snapshots.last_praise_id as last_praise_interaction_id,

        -- the latest survey answer
        snapshots.last_survey_response_id,
        surveys.survey_type as last_survey_type,
        surveys.score as last_survey_score,
        surveys.scale_max as last_survey_scale_max,
        snapshots.last_survey_score_normalized,
        surveys.responded_at as last_survey_at,

        thresholds.*

    from snapshots
    cross join thresholds
    left join surveys
        on snapshots.last_survey_response_id = surveys.response_id

),

cued as (

    select
        * exclude (
            engagement_drop_pct, engagement_baseline_min_events, demo_lift_pct,
            unresolved_ticket_age_days, unresolved_tickets_min, our_reply_hours,
            customer_reply_hours, silent_days
        ),
        coalesce(engagement_change_pct <= -engagement_drop_pct, false) as cue_engagement_drop,
        coalesce(demo_engagement_change_pct >= demo_lift_pct, false) as cue_demo_curiosity,
        unresolved_tickets >= unresolved_tickets_min as cue_ticket_frustration,
        stale_tickets > 0 as cue_stale_tickets,
        coalesce(our_reply_hours_avg_90d > our_reply_hours, false) as cue_slow_reply,
        coalesce(customer_reply_hours_avg_90d > customer_reply_hours, false)
            or coalesce(days_since_customer_message >= silent_days, true) as cue_hesitation,
        churn_intent_30d > 0 as cue_churn_intent,
        billing_concern_30d > 0 as cue_billing_concern,
        urgency_30d > 0 as cue_urgency,
        praise_30d > 0 as cue_praise,

        -- The evidence of the raised cues, in words.
        concat_ws('; ',
            case when coalesce(engagement_change_pct <= -engagement_drop_pct, false) then
                format('engagement {:.0f}% against the {}-day baseline (logins {}, feature use {}, opens {}, clicks {} in {} days)',
                    engagement_change_pct, {{ var('cue_baseline_days') }},
                    coalesce(logins_recent, 0), coalesce(feature_uses_recent, 0),
                    coalesce(email_opens_recent, 0), coalesce(email_clicks_recent, 0), {{ var('cue_recent_days') }})
            end,
            case when coalesce(demo_engagement_change_pct >= demo_lift_pct, false) then
                format('engagement {:+.0f}% in the {} days after the demo of {}', demo_engagement_change_pct,
                    {{ var('cue_demo_days') }}, strftime(last_demo_date, '%-d %b %Y'))
            end,
            case when unresolved_tickets >= unresolved_tickets_min or stale_tickets > 0 then
                format('{} ({}), the oldest {} days old', {{ counted('unresolved_tickets', 'unresolved ticket') }},
                    unresolved_ticket_ids, oldest_unresolved_ticket_days)
            end,
            case when coalesce(our_reply_hours_avg_90d > our_reply_hours, false) then
                format('our replies took {:.0f} hours on average', our_reply_hours_avg_90d)
            end,
            case when coalesce(customer_reply_hours_avg_90d > customer_reply_hours, false) then
                format('they answered us in {:.0f} hours on average', customer_reply_hours_avg_90d)
            end,
            case when coalesce(days_since_customer_message >= silent_days, true) then
                coalesce(format('no word from them for {} days', days_since_customer_message), 'they have never written')
            end,
            case when churn_intent_30d > 0 then format('churn intent in {} (latest {})', {{ counted('churn_intent_30d', 'message') }}, last_churn_intent_interaction_id) end,
            case when billing_concern_30d > 0 then format('billing concern in {} (latest {})', {{ counted('billing_concern_30d', 'message') }}, last_billing_concern_interaction_id) end,
            case when urgency_30d > 0 then format('urgency in {} (latest {})', {{ counted('urgency_30d', 'message') }}, last_urgency_interaction_id) end,
            case when praise_30d > 0 then format('praise in {} (latest {})', {{ counted('praise_30d', 'message') }}, last_praise_interaction_id) end
        ) as cue_evidence

    from measured

)

select * from cued
