{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{{ emotion_timeline_clear('int_contact_weeks__summarized', 'contact_id', var('contact_timeline_min_messages')) }}",
) }}
-- The weekly emotional timeline of each contact who has written at least
-- `contact_timeline_min_messages` scored messages (fewer say too little about one person):
-- the same columns as fct_account_emotion_weekly, per contact_id, with its account_id.

{{ emotion_timeline('int_contact_weeks__summarized', 'contact_id', var('contact_timeline_min_messages')) }}
