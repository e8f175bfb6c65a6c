-- depends_on: {{ ref('int_accounts__risk_inputs_changed') }}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{{ risk_delete_recomputed('signal_date', with_latest=false) }}",
) }}
-- One row per account per day with anything that happened: engagement counts, the customer's
-- texts with their sentiment and verbal cues, reply times, survey answers and commercial events.
-- The snapshots (int_accounts__snapshots) sum these over trailing windows; the latest ids of each
-- kind of evidence ride along so a cue can name the message or answer behind it.
-- Incremental: a nightly build redoes, per account, the days from the first one whose inputs changed
-- (int_accounts__risk_inputs_changed, which also catches late rows for old dates).

with

engagement as (

    select
        account_id,
        occurred_date as signal_date,
        count(*) filter (where event_type = 'email_open') as email_opens,
        count(*) filter (where event_type = 'email_click') as email_clicks,
        count(*) filter (where event_type = 'login') as logins,
        count(*) filter (where event_type = 'feature_used') as feature_uses,
        count(*) filter (where event_type = 'demo_attended') as demos
    from {{ ref('int_engagement_events__account_resolved') }} as source_rows
    where account_id is not null{{ risk_and_recomputed('source_rows.account_id', 'source_rows.occurred_date') }}
    group by all

),

texts as (

    select
        account_id,
        occurred_date as signal_date,
        count(*) filter (where author_type = 'customer') as customer_messages,
        max(occurred_at) filter (where author_type = 'customer') as last_customer_message_at,
        count(*) filter (where is_text) as customer_texts,
        count(*) filter (where is_text and sentiment_label = 'negative') as negative_texts,
        -- exact (compound has 4 decimals): sums in any order, full or incremental, are equal
        sum(compound::decimal(18, 4)) filter (where is_text) as compound_sum,
        count(*) filter (where is_text and churn_intent) as churn_intent_texts,
        count(*) filter (where is_text and is_billing_concern) as billing_concern_texts,
        count(*) filter (where is_text and urgency) as urgency_texts,
        count(*) filter (where is_text and praise) as praise_texts,
        count(*) filter (where is_text and emotion in ('anger', 'frustration')) as angry_texts,
        arg_max(interaction_id, occurred_at) filter (where is_text and churn_intent) as last_churn_intent_id,
        arg_max(interaction_id, occurred_at) filter (where is_text and is_billing_concern) as last_billing_concern_id,
        arg_max(interaction_id, occurred_at) filter (where is_text and urgency) as last_urgency_id,
        arg_max(interaction_id, occurred_at) filter (where is_text and praise) as last_praise_id
    from (
        select
            *,
            author_type = 'customer' and not coalesce(is_empty, true) as is_text
        from {{ ref('int_interactions__scored') }} as source_rows
        where account_id is not null{{ risk_and_recomputed('source_rows.account_id', 'source_rows.occurred_date') }}
    )
    group by all

),

replies as (

    select
        account_id,
        replied_date as signal_date,
        count(*) filter (where reply_kind = 'our_reply') as our_replies,
        -- whole seconds, exact in any order; the snapshots turn their sums into hours
        sum(date_diff('second', asked_at, replied_at)) filter (where reply_kind = 'our_reply') as our_reply_seconds_sum,
        count(*) filter (where reply_kind = 'customer_reply') as customer_replies,
        sum(date_diff('second', asked_at, replied_at)) filter (where reply_kind = 'customer_reply') as customer_reply_seconds_sum
    from {{ ref('int_interactions__reply_times') }} as source_rows
    where true{{ risk_and_recomputed('source_rows.account_id', 'source_rows.replied_date') }}
    group by all

),

surveys as (

    select
        account_id,
        response_date as signal_date,
        arg_max(response_id, responded_at) as last_response_id,
        arg_max(score_normalized, responded_at) as last_score_normalized,
        arg_max(response_id, responded_at) filter (where survey_type = 'nps') as last_nps_response_id,
        arg_max(score, responded_at) filter (where survey_type = 'nps') as last_nps_score
    from {{ ref('int_surveys__classified') }} as source_rows
    where account_id is not null and score_normalized is not null{{ risk_and_recomputed('source_rows.account_id', 'source_rows.response_date') }}
    group by all

),

commercial as (

    select
        account_id,
        cast(occurred_at as date) as signal_date,
        count(*) filter (where event_type = 'downgraded') as downgrades,
        count(*) filter (where event_type = 'expanded') as expansions
    from {{ ref('stg_crm__account_events') }} as source_rows
    where account_id is not null{{ risk_and_recomputed('source_rows.account_id', 'cast(source_rows.occurred_at as date)') }}
    group by all

),

lost_deals as (

    select
        account_id,
        cast(closed_at as date) as signal_date,
        count(*) as lost_deals
    from {{ ref('int_deals__outcome_resolved') }} as source_rows
    where outcome = 'lost' and closed_at is not null and account_id is not null
        {{- risk_and_recomputed('source_rows.account_id', 'cast(source_rows.closed_at as date)') }}
    group by all

),

keys as (

    select account_id, signal_date from engagement
    union
    select account_id, signal_date from texts
    union
    select account_id, signal_date from replies
    union
    select account_id, signal_date from surveys
    union
    select account_id, signal_date from commercial
    union
    select account_id, signal_date from lost_deals

),

joined as (

    select
        keys.account_id,
        keys.signal_date,
        coalesce(engagement.email_opens, 0) as email_opens,
        coalesce(engagement.email_clicks, 0) as email_clicks,
        coalesce(engagement.logins, 0) as logins,
        coalesce(engagement.feature_uses, 0) as feature_uses,
        coalesce(engagement.demos, 0) as demos,
        coalesce(texts.customer_messages, 0) as customer_messages,
        texts.last_customer_message_at,
        coalesce(texts.customer_texts, 0) as customer_texts,
        coalesce(texts.negative_texts, 0) as negative_texts,
        coalesce(texts.compound_sum, 0) as compound_sum,
        coalesce(texts.churn_intent_texts, 0) as churn_intent_texts,
        coalesce(texts.billing_concern_texts, 0) as billing_concern_texts,
        coalesce(texts.urgency_texts, 0) as urgency_texts,
        coalesce(texts.praise_texts, 0) as praise_texts,
        coalesce(texts.angry_texts, 0) as angry_texts,
        texts.last_churn_intent_id,
        texts.last_billing_concern_id,
        texts.last_urgency_id,
        texts.last_praise_id,
        coalesce(replies.our_replies, 0) as our_replies,
        coalesce(replies.our_reply_seconds_sum, 0) as our_reply_seconds_sum,
        coalesce(replies.customer_replies, 0) as customer_replies,
        coalesce(replies.customer_reply_seconds_sum, 0) as customer_reply_seconds_sum,
        surveys.last_response_id,
        surveys.last_score_normalized,
        surveys.last_nps_response_id,
        surveys.last_nps_score,
        coalesce(commercial.downgrades, 0) as downgrades,
        coalesce(commercial.expansions, 0) as expansions,
        coalesce(lost_deals.lost_deals, 0) as lost_deals
    from keys
    left join engagement using (account_id, signal_date)
    left join texts using (account_id, signal_date)
    left join replies using (account_id, signal_date)
    left join surveys using (account_id, signal_date)
    left join commercial using (account_id, signal_date)
    left join lost_deals using (account_id, signal_date)

)

select * from joined
