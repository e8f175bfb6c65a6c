-- The dashboard's filterable roll-up of survey responses: one row per day, account, survey type
-- and (for CSAT) the emotion behind the response. It sums to agg_nps_trend (NPS rows) and to
-- agg_csat_by_emotion (CSAT rows). No comment text: numbers only.

with

nps as (

    select
        response_date,
        account_id,
        'nps' as survey_type,
        cast(null as varchar) as emotion,
        count(*) as responses,
        count(*) filter (where nps_bucket = 'promoter') as promoters,
        count(*) filter (where nps_bucket = 'passive') as passives,
        count(*) filter (where nps_bucket = 'detractor') as detractors,
        0 as satisfied_responses
    from {{ ref('int_surveys__classified') }}
    where nps_bucket is not null
    group by response_date, account_id

),

csat as (

    select
        response_date,
        account_id,
        'csat' as survey_type,
        emotion,
        count(*) as responses,
        0 as promoters,
        0 as passives,
        0 as detractors,
        count(*) filter (where is_csat_satisfied) as satisfied_responses
    from {{ ref('int_surveys__emotion_assigned') }}
    group by response_date, account_id, emotion

)

select * from nps
union all
select * from csat
