-- One effective human tag per target (an interaction, or a whole account).
-- Several people may tag the same target; the most recent judgement wins.

with

tags as (

    select * from {{ ref('stg_crm__emotion_tags') }}

),

valid_tags as (

    -- A tag outside the taxonomy cannot replace an emotion; it is ignored here (and flagged by a
    -- warning test on stg_crm__emotion_tags) rather than breaking every emotion downstream.
    select *
    from tags
    where emotion_tag in ({{ emotion_list_sql() }})

),

targeted as (

    select
        target_type,
        case when target_type = 'interaction' then interaction_id else account_id end as target_id,
        interaction_id,
        account_id,
        emotion_tag,
        tagged_by,
        tagged_at,
        count(*) over (partition by target_type, case when target_type = 'interaction' then interaction_id else account_id end) as tag_count
    from valid_tags
    where coalesce(interaction_id, account_id) is not null

),

latest as (

    select *
    from targeted
    qualify row_number() over (
        partition by target_type, target_id
        order by tagged_at desc, tagged_by
    ) = 1

)

select * from latest
