-- Every engagement event (e-mail sent/open/click, login, demo, feature use) with its account:
-- its own, else its contact's company (the one rule, `resolve_account`). The contact is the one
-- its id names, else the one with its e-mail address (marketing tools name people by address),
-- else the one with its product user id (an app's data events name people by the app's own id,
-- the contact's external_id).
-- A view: its readers (the input fingerprints, the daily signals) each read it once, and a nightly
-- build would otherwise rewrite millions of unchanged rows.
{{ config(materialized='view') }}

with

events as (

    select * from {{ ref('stg_crm__engagement_events') }}

),

contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

-- One contact per address (a CRM may hold the same person twice): the first by id.
contacts_by_email as (

    select lower(trim(email)) as email, min(contact_id) as contact_id,
        arg_min(account_id, contact_id) as account_id
    from contacts
    where nullif(trim(email), '') is not null
    group by 1

),

-- One contact per product user id, likewise.
contacts_by_external_id as (

    select external_id, min(contact_id) as contact_id, arg_min(account_id, contact_id) as account_id
    from contacts
    where external_id is not null
    group by 1

),

resolved as (

    select
        events.* exclude (account_id, contact_id),
        coalesce(contacts.contact_id, by_email.contact_id, by_external_id.contact_id, events.contact_id)
            as contact_id,
        cast(events.occurred_at as date) as occurred_date,
        {{ resolve_account([
            ['record', 'events.account_id'],
            ['contact', 'contacts.account_id'],
            ['contact_email', 'by_email.account_id'],
            ['contact_external_id', 'by_external_id.account_id'],
        ]) }}

    from events
    left join contacts
        on events.contact_id = contacts.contact_id
    left join contacts_by_email as by_email
        on contacts.contact_id is null
        and events.contact_email = by_email.email
    left join contacts_by_external_id as by_external_id
        on contacts.contact_id is null
        and by_email.contact_id is null
        and events.contact_external_id = by_external_id.external_id

)

select * from resolved
