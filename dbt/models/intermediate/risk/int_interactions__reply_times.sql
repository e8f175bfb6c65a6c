-- Reply times in both directions, one row per reply. The account's conversation is read as one
-- timeline of customer and agent messages (bots, internal notes and call notes are left out: they
-- answer nobody). A reply is a message whose previous message in the timeline came from the other
-- side; it answers the whole run of messages since that side last spoke, so its reply time runs
-- from the first message of that run.
--   our_reply:      an agent's reply to the customer (our reply time);
--   customer_reply: the customer's reply to our outbound messages (their reply time).
-- A message more than `reply_window_days` after the other side's starts a new conversation: it is
-- no reply (the customer's silence shows as days since they last wrote).
-- A reply is dated when it was written (`replied_at`), so a snapshot taken before it never sees it.
-- Incremental: for an account whose messages changed (int_accounts__risk_inputs_changed), the
-- replies from its `changed_from_date` on are recomputed (a reply depends only on the messages
-- before it). They read the messages from 2 * `reply_window_days` + 1 days before that date: such
-- a reply answers a run that started at most `reply_window_days` before it, and whether that run's
-- first message started a run is decided by the message before it, at most `reply_window_days`
-- earlier (else it starts one anyway): both are read. The first message read may look like the
-- start of a run that truly began earlier, but any reply to that run is dated before
-- changed_from_date, so it is not recomputed.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{{ risk_delete_recomputed('replied_date', with_latest=false) }}",
) }}
-- depends_on: {{ ref('int_accounts__risk_inputs_changed') }}

with

timeline_messages as (

    select * from {{ ref('int_interactions__scored') }}
    where account_id is not null
        and author_type in ('customer', 'agent')
        and channel not in ('note', 'call')

),

{% if is_incremental() -%}
read_from as (

    select
        account_id,
        changed_from_date,
        changed_from_date - to_days(2 * {{ var('reply_window_days') }} + 1) as read_from_at
    from {{ ref('int_accounts__risk_inputs_changed') }}

),

interactions as (

    select
        timeline_messages.interaction_id,
        timeline_messages.account_id,
        timeline_messages.author_type,
        timeline_messages.occurred_at,
        read_from.changed_from_date
    from timeline_messages
    inner join read_from
        on timeline_messages.account_id = read_from.account_id
        and timeline_messages.occurred_at >= read_from.read_from_at
    -- the same bound as a constant, so the scan skips older messages before the join
    where timeline_messages.occurred_at >= {{ risk_changed_since() }} - to_days(2 * {{ var('reply_window_days') }} + 1)

),
{%- else -%}
interactions as (

    select interaction_id, account_id, author_type, occurred_at, date '1900-01-01' as changed_from_date
    from timeline_messages

),
{%- endif %}

ordered as (

    select
        interaction_id,
        account_id,
        author_type,
        occurred_at,
        changed_from_date,
        lag(author_type) over timeline as previous_author_type,
        lag(occurred_at) over timeline as previous_occurred_at
    from interactions
    window timeline as (partition by account_id order by occurred_at, interaction_id)

),

runs as (

    -- The first message of each run of messages from one side; a message long after the one
    -- before it starts a new run too (a new conversation).
    select
        *,
        case
            when previous_author_type is distinct from author_type
                or occurred_at > previous_occurred_at + to_days({{ var('reply_window_days') }})
                then occurred_at
        end as run_started_at
    from ordered

),

with_run_start as (

    select
        *,
        last_value(run_started_at ignore nulls) over (
            partition by account_id
            order by occurred_at, interaction_id
            rows between unbounded preceding and 1 preceding
        ) as answered_run_started_at
    from runs

),

replies as (

    select
        interaction_id,
        account_id,
        case when author_type = 'agent' then 'our_reply' else 'customer_reply' end as reply_kind,
        answered_run_started_at as asked_at,
        occurred_at as replied_at,
        cast(occurred_at as date) as replied_date,
        date_diff('second', answered_run_started_at, occurred_at) / 3600.0 as reply_hours
    from with_run_start
    where previous_author_type is not null
        and previous_author_type != author_type
        and occurred_at <= answered_run_started_at + to_days({{ var('reply_window_days') }})
        and cast(occurred_at as date) >= changed_from_date

)

select * from replies
