{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['contact_id', 'week_start'],
) }}
{%- set since, loaded_through = memory_build_window(this if is_incremental() else none) -%}
-- One row per contact (with its account) per week with any activity (macro emotion_week_facts:
-- messages, emotion mix, engagement, surveys, tickets, the dominant state and the messages it
-- rests on).
-- A contact has one account here, so a person who writes for two companies in a week (a HubSpot
-- contact with several, a Zendesk user in two organizations) keeps one row, counting both: the
-- account the CRM links the contact to, else the one its latest message names.
-- Incremental (macro memory_build_window): a nightly build rebuilds every week from the earliest
-- week that newly loaded rows touch and replaces those rows, so it ends where a full build would
-- (a row whose account changes for old data, when a link arrives late, waits for --full-refresh).

with

weeks as (

    {{ emotion_week_facts(['contact_id'], since) }}

),

contact_accounts as (

    select
        contact_id,
        coalesce(
            any_value(crm_account_id),
            arg_max(message_account_id, occurred_at) filter (where message_account_id is not null)
        ) as account_id
    from (
        select contact_id, account_id as crm_account_id, null as message_account_id, null::timestamp as occurred_at
        from {{ ref('stg_crm__contacts') }}
        union all
        select contact_id, null, account_id, occurred_at
        from {{ ref('int_interactions__scored') }}
        where contact_id is not null
    )
    group by contact_id

)

select
    weeks.contact_id,
    contact_accounts.account_id,
    weeks.* exclude (contact_id),
    {{ loaded_through }} as loaded_through
from weeks
inner join contact_accounts
    on weeks.contact_id = contact_accounts.contact_id
-- as before: a contact no link leads to an account has no timeline
where contact_accounts.account_id is not null
