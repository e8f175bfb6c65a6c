with

source as (

    select * from {{ source('scores', 'interaction_scores') }}

),

renamed as (

    select
        -- ids
        cast(interaction_id as varchar) as interaction_id,
        text_hash,
        scorer_version,

        -- sentiment
        cast(compound as double) as compound,
        sentiment_label,

        -- emotion
        emotion,
        cast(emotion_intensity as double) as emotion_intensity,
        emotion_scores,

        -- cues
        churn_intent,
        billing_concern,
        urgency,
        praise,
        sarcasm,
        question,

        -- text facts
        language,
        is_empty,

        -- timestamps
        cast(scored_at as timestamp) as scored_at

    from source

),

current_scores as (

    -- A re-score with a new scorer version supersedes the old one: keep the latest per interaction.
    select *
    from renamed
    qualify row_number() over (
        partition by interaction_id
        order by scored_at desc, scorer_version desc
    ) = 1

)

select * from current_scores
