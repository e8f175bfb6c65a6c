{#-
    What the risk models read, as one fingerprint per account and week: every input row (a message
    with its scores, an engagement event, a survey answer, a ticket, a commercial event, a closed deal)
    hashed with the columns the models use, combined (xor, and a count) per (account_id, week_start_date). Weeks, not
    days: a tenth of the rows to store and compare, for recomputing at most six extra days. Comparing these with the
    fingerprints of the last complete build (int_accounts__risk_inputs_changed) tells a nightly
    build which accounts changed and from which day, whatever the cause: new rows, late rows for old
    dates, updated tickets, re-scored texts, links to an account that resolved later, human tags.

    Rows are dated as the models date them (a ticket by its creation: it counts as unresolved in the
    snapshots after it). An account's creation date bears on all its snapshots, and its renewal date
    on its current one (which a nightly build recomputes only for changed accounts while the
    snapshot date stays), so they are dated 1900-01-01. One extra row (account_id null) holds what bears on every account: the first day
    of data (the snapshots' calendar and `has_full_history`), the cue windows and the thresholds seed.

    A query, not a table: int_accounts__risk_inputs_changed compares every fingerprint with the
    committed ones and keeps the changed accounts' new fingerprints (from each one's changed_from_date
    on), which int_accounts__risk_inputs_committed, at the end of the build, stores in place of the
    old ones: nothing is hashed twice. `everyone_only` gives the row of what bears on every account
    alone, which the committed table takes again only when some account changed from 1900-01-01
    (every account does when that row changed).
-#}
{% macro risk_input_fingerprints(everyone_only=false) %}

-- Not materialized: DuckDB would store every source's rows first.
with

interactions as not materialized (

    select account_id, occurred_date as day,
        hash(interaction_id, occurred_at, author_type, channel, is_empty, sentiment_label, compound,
            churn_intent, billing_concern, urgency, praise, emotion) as row_hash,
        true as is_signal
    from {{ ref('int_interactions__scored') }}
    where account_id is not null

),

engagement as not materialized (

    select account_id, occurred_date as day, hash(event_id, event_type, occurred_at) as row_hash,
        true as is_signal
    from {{ ref('int_engagement_events__account_resolved') }}
    where account_id is not null

),

surveys as not materialized (

    select account_id, response_date as day,
        hash(response_id, responded_at, survey_type, score, scale_max, score_normalized) as row_hash,
        score_normalized is not null as is_signal
    from {{ ref('int_surveys__classified') }}
    where account_id is not null

),

tickets as not materialized (

    select account_id, cast(created_at as date) as day,
        hash(ticket_id, created_at, status, solved_at, closed_at) as row_hash,
        false as is_signal
    from {{ ref('int_tickets__account_resolved') }}
    where account_id is not null and created_at is not null

),

account_events as not materialized (

    select account_id, cast(occurred_at as date) as day, hash(event_type, occurred_at) as row_hash,
        true as is_signal
    from {{ ref('stg_crm__account_events') }}
    where account_id is not null

),

closed_deals as not materialized (

    -- lost deals are a signal; a renewal deal's outcome is a churn or a renewal (after the
    -- account's first win, itself a closed deal)
    select account_id, cast(closed_at as date) as day,
        hash(deal_id, closed_at, outcome, deal_type) as row_hash,
        outcome = 'lost' as is_signal
    from {{ ref('int_deals__outcome_resolved') }}
    where outcome in ('won', 'lost') and closed_at is not null and account_id is not null

),

accounts as not materialized (

    select account_id, date '1900-01-01' as day, hash(created_at, renewal_date) as row_hash, false as is_signal
    from {{ ref('stg_crm__accounts') }}

),

rows_ as not materialized (

    select * from interactions
    union all select * from engagement
    union all select * from surveys
    union all select * from tickets
    union all select * from account_events
    union all select * from closed_deals
    union all select * from accounts

),

per_week as (

    select
        account_id,
        cast(date_trunc('week', day) as date) as week_start_date,
        bit_xor(row_hash) as fingerprint,
        count(*) as n_rows,
        -- for the first day of data, below: taken in this pass, not in a second one over every row
        min(day) filter (where is_signal) as first_signal_day
    from rows_
    group by all

),

everyone as (

    select
        null::varchar as account_id,
        null::date as week_start_date,
        hash(
            {% if everyone_only -%}
            (select min(day) from rows_ where is_signal),
            {%- else -%}
            (select min(first_signal_day) from per_week),
            {%- endif %}
            '{{ [var("cue_recent_days"), var("cue_baseline_days"), var("cue_demo_days"), var("cue_short_days"),
                var("cue_long_days"), var("reply_window_days"), var("churn_horizon_days")] | join(",") }}',
            (select string_agg(cue || '=' || threshold, ',' order by cue) from {{ ref('risk_cue_thresholds') }})
        ) as fingerprint,
        0 as n_rows

)

{% if not everyone_only -%}
select account_id, week_start_date, fingerprint, n_rows from per_week
union all
{% endif -%}
select * from everyone

{% endmacro %}
