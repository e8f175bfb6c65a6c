{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{{ emotion_timeline_clear('int_account_weeks__summarized', 'account_id') }}",
) }}
-- The weekly emotional timeline of every account: one row per account per week with activity,
-- with its dominant state (a person's tag wins), the messages it rests on and the trajectory in
-- words (macro emotion_timeline; the week's facts: int_account_weeks__summarized).

{{ emotion_timeline('int_account_weeks__summarized', 'account_id') }}
