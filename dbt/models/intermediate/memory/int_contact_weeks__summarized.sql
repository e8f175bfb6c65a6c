{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['contact_id', 'week_start'],
) }}
{%- set since, loaded_through = memory_build_window(this if is_incremental() else none) -%}
-- One row per contact (with its account) per week with any activity (macro emotion_week_facts:
-- messages, emotion mix, engagement, surveys, tickets, the dominant state and the messages it
-- rests on).
-- Incremental (macro memory_build_window): a nightly build rebuilds every week from the earliest
-- week that newly loaded rows touch and replaces those rows, so it ends where a full build would
-- (a row whose account changes for old data, when a link arrives late, waits for --full-refresh).

with

weeks as (

    {{ emotion_week_facts(['contact_id', 'account_id'], since) }}

)

select
    *,
    {{ loaded_through }} as loaded_through
from weeks
