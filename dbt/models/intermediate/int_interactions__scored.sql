-- Every raw interaction with its current score and the final emotion:
-- a person's tag for the interaction overrides the model's emotion.

with

interactions as (

    select * from {{ ref('int_interactions__account_resolved') }}

),

scores as (

    select * from {{ ref('stg_scores__interaction_scores') }}

),

interaction_tags as (

    select * from {{ ref('int_emotion_tags__resolved') }}
    where target_type = 'interaction'

),

contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

joined as (

    select
        interactions.interaction_id,
        interactions.account_id,
        interactions.account_resolved_via,
        interactions.contact_id,
        interactions.ticket_id,
        interactions.channel,
        interactions.direction,
        interactions.author_type,
        interactions.occurred_at,
        cast(interactions.occurred_at as date) as occurred_date,
        interactions.subject,
        interactions.body,

        scores.text_hash,
        scores.scorer_version,
        scores.scored_at,
        scores.compound,
        scores.sentiment_label,
        scores.emotion as model_emotion,
        scores.emotion_intensity as model_emotion_intensity,

        coalesce(interaction_tags.emotion_tag, scores.emotion) as emotion,
        case
            when interaction_tags.emotion_tag is not null then 'human'
            when scores.emotion is not null then 'model'
        end as emotion_source,
        -- The model's intensity measures the model's emotion; it says nothing about a different
        -- emotion a person chose, so it is only carried over where the two agree.
        case
            when interaction_tags.emotion_tag is null
                or interaction_tags.emotion_tag = scores.emotion
                then scores.emotion_intensity
        end as emotion_intensity,
        interaction_tags.emotion_tag as human_emotion_tag,
        interaction_tags.tagged_by as human_tagged_by,
        interaction_tags.tagged_at as human_tagged_at,

        scores.churn_intent,
        scores.billing_concern,
        -- A billing concern is money written about unhappily: the scorer's billing cue marks any
        -- mention ('the move to annual billing went perfectly', 'could you send the invoice?').
        scores.billing_concern and (
            scores.sentiment_label = 'negative'
            or coalesce(interaction_tags.emotion_tag, scores.emotion) in ({{ emotion_list_sql(var('negative_emotions')) }})
        ) as is_billing_concern,
        scores.urgency,
        scores.praise,
        scores.sarcasm,
        scores.question,
        scores.language,
        scores.is_empty,

        coalesce(contacts.is_analysis_opt_out, false) as is_analysis_opt_out

    from interactions
    left join scores
        on interactions.interaction_id = scores.interaction_id
    left join interaction_tags
        on interactions.interaction_id = interaction_tags.interaction_id
    left join contacts
        on interactions.contact_id = contacts.contact_id

)

select * from joined
