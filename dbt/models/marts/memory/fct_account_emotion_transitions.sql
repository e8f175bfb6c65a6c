{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{% if is_incremental() %}delete from {{ this }} where changed_week >= {{ memory_literal(memory_rebuilt_weeks_from(ref('int_account_weeks__summarized'), this)) }}{% endif %}",
) }}
{%- if is_incremental() -%}
    {%- set since = memory_literal(memory_rebuilt_weeks_from(ref('int_account_weeks__summarized'), this)) -%}
{%- else -%}
    {%- set since = "date '1900-01-01'" -%}
{%- endif %}
-- Every change of an account's dominant state from one week with a state to its next: from and
-- to, the kind of change in words a leader uses (seeds emotion_states, emotion_transition_kinds:
-- frustrated -> delighted is a recovery, satisfied -> indifferent a cooling, into frustration or
-- anger an escalation, indifferent -> satisfied a warming; within one group, 'other'), and the
-- messages on either side: the last message of the week before that carried the old state and
-- the first of the week after that carried the new one.
-- Incremental: deletes and rebuilds the transitions from the earliest week the weekly facts
-- rewrote (a transition there may have gone), reading the state of the week before it.

with

weeks as (

    select
        account_id,
        week_start,
        dominant_emotion,
        dominant_source,
        dominant_confidence,
        dominant_first_message_id,
        dominant_last_message_id,
        first_message_id,
        last_message_id,
        loaded_through
    from {{ ref('int_account_weeks__summarized') }}
    where dominant_emotion is not null

),

{%- if is_incremental() %}

rebuilt as (

    -- The rebuilt weeks, and each account's last week with a state before them.
    select * from weeks where week_start >= {{ since }}
    union all
    select weeks.*
    from weeks
    inner join (
        select account_id, max(week_start) as week_start
        from weeks
        where week_start < {{ since }}
            and account_id in (select account_id from weeks where week_start >= {{ since }})
        group by account_id
    ) as previous using (account_id, week_start)

),
{%- else %}

rebuilt as (

    select * from weeks

),
{%- endif %}

paired as (

    select
        account_id,
        lag(week_start) over by_week as from_week,
        week_start as to_week,
        lag(dominant_emotion) over by_week as from_state,
        dominant_emotion as to_state,
        lag(coalesce(dominant_last_message_id, last_message_id)) over by_week as last_message_before_id,
        coalesce(dominant_first_message_id, first_message_id) as first_message_after_id,
        lag(dominant_source) over by_week as from_source,
        dominant_source as to_source,
        dominant_confidence as to_confidence,
        loaded_through
    from rebuilt
    window by_week as (partition by account_id order by week_start)

),

states as (

    select * from {{ ref('emotion_states') }}

),

kinds as (

    select * from {{ ref('emotion_transition_kinds') }}

),

classified as (

    select
        paired.account_id,
        paired.to_week as changed_week,
        paired.from_state,
        paired.to_state,
        from_states.state_group as from_group,
        to_states.state_group as to_group,
        coalesce(kinds.transition_kind, 'other') as transition_kind,
        format('{} -> {}', from_states.state_adjective, to_states.state_adjective) as transition_words,
        paired.last_message_before_id,
        paired.first_message_after_id,
        paired.from_week,
        paired.to_week,
        date_diff('week', paired.from_week, paired.to_week) as weeks_between,
        paired.from_source,
        paired.to_source,
        paired.to_confidence,
        paired.loaded_through
    from paired
    inner join states as from_states
        on paired.from_state = from_states.emotion
    inner join states as to_states
        on paired.to_state = to_states.emotion
    left join kinds
        on from_states.state_group = kinds.from_group
        and to_states.state_group = kinds.to_group
    where paired.from_state is not null
        and paired.from_state != paired.to_state
        and paired.to_week >= {{ since }}

)

select * from classified
