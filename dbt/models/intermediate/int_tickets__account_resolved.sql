-- Every ticket with its account (its own, else its requester's company) and a status a model
-- can read: as the export gave it, else, where the export named a stage of another pipeline
-- than the default (an id, or a name no vendor mapping knows), from that stage in the CRM's
-- pipelines (macros/pipeline_stages.sql): closed, or open.

with

tickets as (

    select * from {{ ref('stg_crm__tickets') }}

),

contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

unjudged as (

    select ticket_id, stage, pipeline
    from tickets
    where stage is not null
        and (status is null or status not in ('new', 'open', 'pending', 'hold', 'solved', 'closed'))

),

stage_of_ticket as (

    {{ stage_in_pipelines('unjudged', 'ticket_id', 'tickets') | indent(4) }}

),

resolved as (

    select
        tickets.* exclude (account_id, status),
        case
            when stage_of_ticket.is_closed then 'closed'
            when stage_of_ticket.is_open then 'open'
            else tickets.status
        end as status,
        {{ resolve_account([
            ['record', 'tickets.account_id'],
            ['contact', 'contacts.account_id'],
        ]) }}

    from tickets
    left join contacts
        on tickets.contact_id = contacts.contact_id
    left join stage_of_ticket
        on tickets.ticket_id = stage_of_ticket.ticket_id

)

select * from resolved
