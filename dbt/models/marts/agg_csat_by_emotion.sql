-- Daily CSAT by the emotion behind the response (see int_surveys__emotion_assigned):
-- csat_pct = 100 * satisfied responses / responses.

with

csat_responses as (

    select * from {{ ref('int_surveys__emotion_assigned') }}

),

daily as (

    select
        response_date,
        emotion,
        count(*) as responses,
        count(*) filter (where is_csat_satisfied) as satisfied_responses,
        count(*) filter (where emotion_basis = 'ticket') as ticket_basis_responses,
        count(*) filter (where emotion_basis = 'comment') as comment_basis_responses,
        count(*) filter (where emotion_basis = 'none') as no_basis_responses
    from csat_responses
    group by response_date, emotion

)

select
    response_date,
    emotion,
    responses,
    satisfied_responses,
    cast(100.0 * satisfied_responses / responses as double) as csat_pct,
    ticket_basis_responses,
    comment_basis_responses,
    no_basis_responses
from daily
