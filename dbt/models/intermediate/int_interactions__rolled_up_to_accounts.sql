-- Per-account interaction facts. Windows count back from the latest interaction timestamp in the
-- warehouse (as_of_at), not from now(), so a rebuild on the same data gives the same answer.
-- Sentiment averages and shares use customer-authored, non-empty texts only: an empty text scores
-- a neutral 0 and would dilute them.

with

interactions as (

    select * from {{ ref('int_interactions__scored') }}

),

as_of as (

    select max(occurred_at) as as_of_at from interactions

),

flagged as (

    select
        interactions.*,
        as_of.as_of_at,
        interactions.author_type = 'customer' as is_customer,
        interactions.author_type = 'customer' and interactions.is_empty = false as is_customer_text,
        interactions.occurred_at >= as_of.as_of_at - to_days({{ var('account_window_days') }}) as in_window,
        interactions.occurred_at >= as_of.as_of_at - to_days({{ var('disengaged_after_days') }}) as in_engagement_window
    from interactions
    cross join as_of

),

rolled_up as (

    select
        account_id,
        any_value(as_of_at) as as_of_at,
        min(occurred_at) as first_interaction_at,
        max(occurred_at) as last_interaction_at,
        max(case when is_customer then occurred_at end) as last_customer_interaction_at,
        count(*) filter (where is_customer and in_window) as customer_interactions_90d,
        count(*) filter (where is_customer and in_engagement_window) as customer_interactions_60d,
        count(*) filter (where is_customer_text and in_window) as customer_texts_90d,
        avg(compound) filter (where is_customer_text and in_window) as avg_compound_90d,
        avg(case when sentiment_label = 'negative' then 1.0 else 0.0 end)
            filter (where is_customer_text and in_window) as negative_share_90d,
        count(*) filter (where is_customer_text and in_window and churn_intent) as churn_intent_interactions_90d
    from flagged
    -- An interaction no link leads to an account for belongs to none (kept and counted upstream).
    where account_id is not null
    group by account_id

),

current_emotion as (

    -- The final emotion of the account's latest customer-authored, non-empty interaction.
    select
        account_id,
        emotion as current_emotion,
        emotion_intensity as current_emotion_intensity,
        emotion_source as current_emotion_source,
        occurred_at as current_emotion_at
    from flagged
    where is_customer_text and emotion is not null
    qualify row_number() over (
        partition by account_id
        order by occurred_at desc, interaction_id desc
    ) = 1

)

select
    rolled_up.*,
    current_emotion.current_emotion,
    current_emotion.current_emotion_intensity,
    current_emotion.current_emotion_source,
    current_emotion.current_emotion_at
from rolled_up
left join current_emotion
    on rolled_up.account_id = current_emotion.account_id
