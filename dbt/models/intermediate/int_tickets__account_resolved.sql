-- Every ticket with its account: its own, else its requester's company.

with

tickets as (

    select * from {{ ref('stg_crm__tickets') }}

),

contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

resolved as (

    select
        tickets.* exclude (account_id),
        {{ resolve_account([
            ['record', 'tickets.account_id'],
            ['contact', 'contacts.account_id'],
        ]) }}

    from tickets
    left join contacts
        on tickets.contact_id = contacts.contact_id

)

select * from resolved
