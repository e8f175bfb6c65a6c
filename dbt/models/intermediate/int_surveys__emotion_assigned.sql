-- CSAT responses with the emotion behind them, in this order of preference:
--   1. 'ticket':  final emotion of the customer's last non-empty interaction on the survey's ticket
--                 at or before the response;
--   2. 'comment': crm_emotion(comment), the plugin's scorer, when the response has a comment and
--                its contact has not opted out of analysis (an opted-out comment is never scored);
--   3. 'none':    'neutral'.

with

csat_responses as (

    select * from {{ ref('int_surveys__classified') }}
    where survey_type = 'csat'

),

interactions as (

    select * from {{ ref('int_interactions__scored') }}

),

opted_out_contacts as (

    select contact_id from {{ ref('stg_crm__contacts') }}
    where is_analysis_opt_out

),

last_ticket_emotion as (

    select
        csat_responses.response_id,
        interactions.emotion,
        interactions.interaction_id
    from csat_responses
    inner join interactions
        on csat_responses.ticket_id = interactions.ticket_id
        and interactions.author_type = 'customer'
        and interactions.occurred_at <= csat_responses.responded_at
        and not coalesce(interactions.is_empty, false)
        and interactions.emotion is not null
    qualify row_number() over (
        partition by csat_responses.response_id
        order by interactions.occurred_at desc, interactions.interaction_id desc
    ) = 1

),

assigned as (

    select
        csat_responses.*,
        last_ticket_emotion.interaction_id as basis_interaction_id,
        case
            when last_ticket_emotion.emotion is not null then 'ticket'
            when nullif(trim(csat_responses.comment), '') is not null
                and opted_out_contacts.contact_id is null then 'comment'
            else 'none'
        end as emotion_basis,
        coalesce(
            last_ticket_emotion.emotion,
            case
                when nullif(trim(csat_responses.comment), '') is not null
                    and opted_out_contacts.contact_id is null
                    then crm_emotion(csat_responses.comment)
            end,
            'neutral'
        ) as emotion
    from csat_responses
    left join last_ticket_emotion
        on csat_responses.response_id = last_ticket_emotion.response_id
    left join opted_out_contacts
        on csat_responses.contact_id = opted_out_contacts.contact_id

)

select * from assigned
