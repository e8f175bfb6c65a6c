-- Daily emotion mix of what customers wrote: customer-authored, non-empty texts only.

with

interactions as (

    select * from {{ ref('int_interactions__scored') }}
    where author_type = 'customer'
        and is_empty = false
        and emotion is not null

)

select
    occurred_date as activity_date,
    emotion,
    count(*) as interactions,
    count(*) filter (where sentiment_label = 'negative') as negative_interactions,
    count(*) filter (where sentiment_label = 'positive') as positive_interactions,
    avg(compound) as avg_compound
from interactions
group by occurred_date, emotion
