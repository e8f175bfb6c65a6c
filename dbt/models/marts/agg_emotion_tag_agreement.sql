-- How often a person's tag agrees with the model, by the model's emotion.
-- One vote per tagged interaction: its effective (latest) human tag, as used in fct_interactions.

with

tagged as (

    select * from {{ ref('int_interactions__scored') }}
    where human_emotion_tag is not null
        and model_emotion is not null

),

by_emotion as (

    select
        model_emotion as emotion,
        count(*) as tagged,
        count(*) filter (where human_emotion_tag = model_emotion) as agreed,
        count(*) filter (where human_emotion_tag != model_emotion) as disagreed
    from tagged
    group by model_emotion

),

top_override as (

    -- The tag people most often chose instead, to show where the model goes wrong.
    select
        model_emotion as emotion,
        human_emotion_tag as most_common_human_override
    from tagged
    where human_emotion_tag != model_emotion
    group by model_emotion, human_emotion_tag
    qualify row_number() over (
        partition by model_emotion
        order by count(*) desc, human_emotion_tag
    ) = 1

)

select
    by_emotion.emotion,
    by_emotion.tagged,
    by_emotion.agreed,
    by_emotion.disagreed,
    cast(100.0 * by_emotion.agreed / by_emotion.tagged as double) as agreement_pct,
    top_override.most_common_human_override
from by_emotion
left join top_override
    on by_emotion.emotion = top_override.emotion
