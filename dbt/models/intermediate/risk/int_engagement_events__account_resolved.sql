-- Every engagement event (e-mail sent/open/click, login, demo, feature use) with its account:
-- its own, else its contact's company (the one rule, `resolve_account`).
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

resolved as (

    select
        events.* exclude (account_id),
        cast(events.occurred_at as date) as occurred_date,
        {{ resolve_account([
            ['record', 'events.account_id'],
            ['contact', 'contacts.account_id'],
        ]) }}

    from events
    left join contacts
        on events.contact_id = contacts.contact_id

)

select * from resolved
