{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{% if is_incremental() %}delete from {{ this }} where week_start >= {{ memory_literal(memory_rebuild_from(this)) }}{% endif %}",
) }}
{%- if is_incremental() -%}
    {%- set since = memory_literal(memory_rebuild_from(this)) -%}
{%- else -%}
    {%- set since = "date '1900-01-01'" -%}
{%- endif %}
-- One row per contact (with its account) per week with any activity (macro emotion_week_facts: messages, emotion
-- mix, engagement, surveys, tickets, the dominant state and the messages it rests on).
-- Incremental (macro memory_rebuild_from): a nightly build deletes and rebuilds every week from
-- the earliest week that newly loaded rows touch (reckoned once, before the delete), so it ends
-- where a full build would.

with

weeks as (

    {{ emotion_week_facts(['contact_id', 'account_id'], since) }}

)

select
    *,
    {{ memory_literal(memory_loaded_through(), 'timestamp') }} as loaded_through
from weeks
