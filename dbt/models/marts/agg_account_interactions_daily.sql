-- The dashboard's filterable roll-up of what customers wrote: one row per day, account, channel
-- and emotion (customer-authored, non-empty, with an emotion; as agg_emotion_mix_daily, which
-- it sums to). Account attributes (segment, plan, region, stage, owner) come from dim_accounts.

with

interactions as (

    select * from {{ ref('int_interactions__scored') }}
    where author_type = 'customer'
        and is_empty = false
        and emotion is not null

)

select
    occurred_date as activity_date,
    account_id,
    channel,
    emotion,
    count(*) as interactions,
    count(*) filter (where sentiment_label = 'negative') as negative_interactions,
    count(*) filter (where sentiment_label = 'positive') as positive_interactions
from interactions
group by occurred_date, account_id, channel, emotion
