-- Daily NPS (ARCHITECTURE.md): promoters 9-10, passives 7-8, detractors 0-6;
-- NPS = %promoters - %detractors, from -100 to 100.

with

nps_responses as (

    select * from {{ ref('int_surveys__classified') }}
    where nps_bucket is not null

),

daily as (

    select
        response_date,
        count(*) as responses,
        count(*) filter (where nps_bucket = 'promoter') as promoters,
        count(*) filter (where nps_bucket = 'passive') as passives,
        count(*) filter (where nps_bucket = 'detractor') as detractors
    from nps_responses
    group by response_date

)

select
    response_date,
    responses,
    promoters,
    passives,
    detractors,
    cast(100.0 * (promoters - detractors) / responses as double) as nps
from daily
