-- Survey responses with the metric classifications of ARCHITECTURE.md:
--   NPS: promoters 9-10, passives 7-8, detractors 0-6.
--   CSAT: satisfied = in the top `csat_top_box_points` points of the response's own scale.

with

surveys as (

    select * from {{ ref('int_surveys__account_resolved') }}

),

classified as (

    select
        response_id,
        account_id,
        contact_id,
        ticket_id,
        survey_type,
        score,
        scale_min,
        scale_max,
        comment,
        responded_at,
        cast(responded_at as date) as response_date,

        -- Position on the response's own scale, 0..1, so scales can be compared.
        case
            when scale_max > scale_min
                then (score - scale_min) / (scale_max - scale_min)
        end as score_normalized,

        -- A score outside 0..10 is no NPS answer: left unbucketed and so out of every NPS count.
        case
            when survey_type != 'nps' then null
            when score >= 9 and score <= 10 then 'promoter'
            when score >= 7 and score < 9 then 'passive'
            when score >= 0 and score < 7 then 'detractor'
        end as nps_bucket,

        case
            when survey_type != 'csat' then null
            else score >= scale_max - {{ var('csat_top_box_points') }} + 1
        end as is_csat_satisfied

    from surveys

)

select * from classified
