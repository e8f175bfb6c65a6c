-- Every survey response with its account: its own, else its ticket's, else its contact's company.

with

surveys as (

    select * from {{ ref('stg_crm__surveys') }}

),

tickets as (

    select * from {{ ref('int_tickets__account_resolved') }}

),

contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

resolved as (

    select
        surveys.* exclude (account_id),
        {{ resolve_account([
            ['record', 'surveys.account_id'],
            ['ticket', 'tickets.account_id'],
            ['contact', 'contacts.account_id'],
        ]) }}

    from surveys
    left join tickets
        on surveys.ticket_id = tickets.ticket_id
    left join contacts
        on surveys.contact_id = contacts.contact_id

)

select * from resolved
