{#-
    Every account as of a list of dates, using only what happened before each date: the base of
    the behavioral cues (one snapshot per week), of the churn-risk backtest (one per first of a
    month) and of the current scores (the latest snapshot). One row per (account_id, as_of_date).

    Dates: the Monday after each week (the week's snapshot; the current week's is the day after the
    latest data) and the first of each month. A snapshot sees the days before `as_of_date`.
    An account has snapshots from the day after it was created (or its first signal) until it
    churns (a churn on the as-of date or later is still ahead of the snapshot). Unresolved tickets
    are those opened in the long window (`cue_long_days`) and not solved or closed before the date;
    an older one still open is taken as abandoned.

    Windows sum the daily signals over trailing spans of whole days (a join of each snapshot with
    the 180 days before it, filtered by age); their lengths are the `cue_*` vars of
    dbt_project.yml, the thresholds that judge them are in the seed risk_cue_thresholds (applied
    in the marts).

    Incremental (the rule of macros/risk_incremental.sql): a nightly build recomputes, per account,
    the snapshots after the day its inputs changed (int_accounts__risk_inputs_changed: new data,
    late data for old dates, updated tickets...) and, when the current snapshot date has moved, every
    account's from the latest snapshot it holds on. It reads only the signals of the 180 days
    before them (the longest window), and the latest day with a message or survey answer.
    Everything that changes as time passes (the outcome after a snapshot, the latest data day) is
    computed downstream, in int_accounts__risk_features.
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{{ risk_delete_recomputed('as_of_date', after_change=true) }}",
) }}
-- depends_on: {{ ref('int_accounts__risk_inputs_changed') }}
{%- set recent = var('cue_recent_days') -%}
{%- set baseline = var('cue_baseline_days') -%}
{%- set short = var('cue_short_days') -%}
{%- set long = var('cue_long_days') -%}
{%- set demo = var('cue_demo_days') -%}
{%- set all_from = risk_all_accounts_from('as_of_date') %}

with

-- Not materialized: each use reads only the columns and days it needs, where a materialized
-- copy would hold every column of every day.
signals as not materialized (

    select * from {{ ref('int_accounts__daily_signals') }}

),

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

-- Churns and renewals: account events and renewal deals (int_accounts__renewal_outcomes).
churn_events as (

    select account_id, cast(occurred_at as date) as churned_date
    from {{ ref('int_accounts__renewal_outcomes') }}
    where outcome = 'churned'

),

renewal_events as (

    select account_id, cast(occurred_at as date) as renewed_date
    from {{ ref('int_accounts__renewal_outcomes') }}
    where outcome = 'renewed'

),

data_end as (

    -- The first and last days the warehouse has data for; the current snapshot is the day after
    -- the last.
    select min(signal_date) as data_start_date, max(signal_date) as data_end_date from signals

),

account_span as (

    -- An account is watched from its first signal (an account created before the warehouse's
    -- data began has no history to judge before that).
    select account_id, min(signal_date) as first_date
    from signals
    group by account_id

),

-- Per account, the day after which its snapshots are computed in this build (none: no row).
recompute_after as (

    {%- if is_incremental() %}
    select *
    from (
        select
            account_span.account_id,
            -- least() skips nulls: the earlier of the account's changed day and the day before
            -- every account's snapshots are recomputed from
            least(changed.changed_from_date, {{ all_from }} - 1) as since_date
        from account_span
        left join {{ ref('int_accounts__risk_inputs_changed') }} as changed
            on account_span.account_id = changed.account_id
    )
    where since_date is not null
    {%- else %}
    select account_id, date '1900-01-01' as since_date
    from account_span
    {%- endif %}

),

calendar as (

    select cast(day as date) as as_of_date
    from data_end,
        range(
            cast(data_start_date as timestamp),
            cast(data_end_date as timestamp) + interval 2 day,
            interval 1 day
        ) as days(day)

),

as_of_dates as (

    select
        as_of_date,
        dayofweek(as_of_date) = 1 or as_of_date = data_end_date + 1 as is_week_end,
        day(as_of_date) = 1 as is_month_start,
        as_of_date = data_end_date + 1 as is_latest,
        -- Enough warehouse history before the date for the engagement baseline to be whole.
        as_of_date >= data_start_date + {{ recent + baseline }} as has_full_history,
        data_end_date
    from calendar
    cross join data_end
    where dayofweek(as_of_date) = 1 or day(as_of_date) = 1 or as_of_date = data_end_date + 1

),

spine as (

    select
        account_span.account_id,
        as_of_dates.*
    from account_span
    inner join recompute_after
        on account_span.account_id = recompute_after.account_id
    inner join as_of_dates
        on as_of_dates.as_of_date > account_span.first_date
        and as_of_dates.as_of_date > recompute_after.since_date
    -- No snapshot after the account churned and did not come back.
    where not exists (
        select 1
        from churn_events
        where churn_events.account_id = account_span.account_id
            and churn_events.churned_date < as_of_dates.as_of_date
            and not exists (
                select 1 from renewal_events
                where renewal_events.account_id = churn_events.account_id
                    and renewal_events.renewed_date > churn_events.churned_date
                    and renewal_events.renewed_date < as_of_dates.as_of_date
            )
    )

),

-- Each snapshot with the signal days of its longest window (180 days before it): the windows are
-- sums over those days, filtered by age. A join, not window functions: a nightly build computes
-- one or two snapshots per account, and reads only the days they need. Each sum picks its window
-- with a `case` inside, not `filter (where ...)`: the same sums, and at 1M the nightly's query
-- needs 0.62 s of CPU instead of 1.05 (DuckDB runs 30 filtered aggregates more slowly).
windowed as (

    select
        spine.account_id,
        spine.as_of_date,

        -- engagement: the recent window and the baseline window before it
        sum(case when {{ risk_signal_in_window(recent) }} then signals.email_opens end) as email_opens_recent,
        sum(case when {{ risk_signal_in_window(recent) }} then signals.email_clicks end) as email_clicks_recent,
        sum(case when {{ risk_signal_in_window(recent) }} then signals.logins end) as logins_recent,
        sum(case when {{ risk_signal_in_window(recent) }} then signals.feature_uses end) as feature_uses_recent,
        {%- set in_baseline = risk_signal_in_window(recent + baseline) ~ ' and not ' ~ risk_signal_in_window(recent) %}
        sum(case when {{ in_baseline }} then signals.email_opens end) as email_opens_baseline,
        sum(case when {{ in_baseline }} then signals.email_clicks end) as email_clicks_baseline,
        sum(case when {{ in_baseline }} then signals.logins end) as logins_baseline,
        sum(case when {{ in_baseline }} then signals.feature_uses end) as feature_uses_baseline,

        -- the customer's words
        sum(case when {{ risk_signal_in_window(short) }} then signals.customer_texts end) as customer_texts_30d,
        sum(case when {{ risk_signal_in_window(short) }} then signals.negative_texts end) as negative_texts_30d,
        cast(sum(case when {{ risk_signal_in_window(short) }} then signals.compound_sum end) as double) as compound_sum_30d,
        sum(case when {{ risk_signal_in_window(short) }} then signals.churn_intent_texts end) as churn_intent_30d,
        sum(case when {{ risk_signal_in_window(short) }} then signals.billing_concern_texts end) as billing_concern_30d,
        sum(case when {{ risk_signal_in_window(short) }} then signals.urgency_texts end) as urgency_30d,
        sum(case when {{ risk_signal_in_window(short) }} then signals.praise_texts end) as praise_30d,
        sum(case when {{ risk_signal_in_window(short) }} then signals.angry_texts end) as angry_texts_30d,
        sum(case when {{ risk_signal_in_window(long) }} then signals.customer_texts end) as customer_texts_90d,
        sum(case when {{ risk_signal_in_window(long) }} then signals.negative_texts end) as negative_texts_90d,
        cast(sum(case when {{ risk_signal_in_window(long) }} then signals.compound_sum end) as double) as compound_sum_90d,
        sum(case when {{ risk_signal_in_window(long) }} then signals.churn_intent_texts end) as churn_intent_90d,
        sum(case when {{ risk_signal_in_window(long) }} then signals.billing_concern_texts end) as billing_concern_90d,
        sum(case when {{ risk_signal_in_window(long) }} then signals.urgency_texts end) as urgency_90d,
        sum(case when {{ risk_signal_in_window(long) }} then signals.praise_texts end) as praise_90d,
        {%- for cue in ['churn_intent', 'billing_concern', 'urgency', 'praise'] %}
        arg_max(signals.last_{{ cue }}_id, signals.signal_date) filter (
            where {{ risk_signal_in_window(long) }} and signals.last_{{ cue }}_id is not null
        ) as last_{{ cue }}_id,
        {%- endfor %}

        -- replies
        sum(case when {{ risk_signal_in_window(long) }} then signals.our_replies end) as our_replies_90d,
        sum(case when {{ risk_signal_in_window(long) }} then signals.our_reply_seconds_sum end) / 3600.0 as our_reply_hours_sum_90d,
        sum(case when {{ risk_signal_in_window(long) }} then signals.customer_replies end) as customer_replies_90d,
        sum(case when {{ risk_signal_in_window(long) }} then signals.customer_reply_seconds_sum end) / 3600.0 as customer_reply_hours_sum_90d,

        -- commercial history
        sum(case when {{ risk_signal_in_window(180) }} then signals.downgrades end) as downgrades_180d,
        sum(case when {{ risk_signal_in_window(180) }} then signals.expansions end) as expansions_180d,
        sum(case when {{ risk_signal_in_window(180) }} then signals.lost_deals end) as lost_deals_180d

    from spine
    left join signals
        on spine.account_id = signals.account_id
        and signals.signal_date >= spine.as_of_date - 180
        and signals.signal_date < spine.as_of_date
        {%- if is_incremental() %}
        -- the same bound as a constant (every recomputed date is after the earliest since_date),
        -- so that the scan drops older days before the join
        and signals.signal_date >= {{ risk_recompute_bound([all_from]) }} - 181
        {%- endif %}
    group by spine.account_id, spine.as_of_date

),

-- All-time values: the latest day before the snapshot that has one.
last_messages as (

    select account_id, signal_date, last_customer_message_at
    from signals
    where last_customer_message_at is not null
        and account_id in (select account_id from spine)

),

last_surveys as (

    select account_id, signal_date, last_response_id, last_score_normalized
    from signals
    where last_response_id is not null
        and account_id in (select account_id from spine)

),

last_nps as (

    select account_id, signal_date, last_nps_response_id, last_nps_score
    from signals
    where last_nps_response_id is not null
        and account_id in (select account_id from spine)

),

snapshots as (

    select
        spine.account_id,
        spine.as_of_date,
        spine.is_week_end,
        spine.is_month_start,
        spine.is_latest,
        spine.has_full_history,
        windowed.* exclude (account_id, as_of_date),
        last_messages.last_customer_message_at,
        last_surveys.last_response_id as last_survey_response_id,
        last_surveys.last_score_normalized as last_survey_score_normalized,
        last_nps.last_nps_response_id,
        last_nps.last_nps_score
    from spine
    inner join windowed
        on spine.account_id = windowed.account_id
        and spine.as_of_date = windowed.as_of_date
    asof left join last_messages
        on spine.account_id = last_messages.account_id
        and spine.as_of_date > last_messages.signal_date
    asof left join last_surveys
        on spine.account_id = last_surveys.account_id
        and spine.as_of_date > last_surveys.signal_date
    asof left join last_nps
        on spine.account_id = last_nps.account_id
        and spine.as_of_date > last_nps.signal_date

),

-- Engagement in the days after each demo against as many days before it.
demo_days as (

    select
        demos.account_id,
        demos.signal_date as demo_date,
        sum(around.email_opens + around.email_clicks + around.logins + around.feature_uses)
            filter (where around.signal_date < demos.signal_date) as engagement_before_demo,
        sum(around.email_opens + around.email_clicks + around.logins + around.feature_uses)
            filter (where around.signal_date > demos.signal_date) as engagement_after_demo
    from signals as demos
    inner join recompute_after
        on demos.account_id = recompute_after.account_id
        and demos.signal_date > recompute_after.since_date - 181
    left join signals as around
        on demos.account_id = around.account_id
        and around.signal_date between demos.signal_date - {{ demo }} and demos.signal_date + {{ demo }}
        and around.signal_date != demos.signal_date
    where demos.demos > 0
    group by demos.account_id, demos.signal_date

),

-- The latest demo whose after-window has closed before the snapshot, if within the long window.
latest_demo as (

    select
        snapshots.account_id,
        snapshots.as_of_date,
        demo_days.demo_date as last_demo_date,
        coalesce(demo_days.engagement_before_demo, 0) as engagement_before_demo,
        coalesce(demo_days.engagement_after_demo, 0) as engagement_after_demo
    from snapshots
    asof inner join demo_days
        on snapshots.account_id = demo_days.account_id
        and snapshots.as_of_date > demo_days.demo_date + {{ demo }}
    where demo_days.demo_date >= snapshots.as_of_date - {{ long }}

),

tickets as (

    select
        ticket_id,
        account_id,
        cast(created_at as date) as created_date,
        -- Resolved when it is solved or closed now; open tickets were open at every earlier date.
        case when status in ('solved', 'closed') then cast(coalesce(solved_at, closed_at) as date) end as resolved_date
    from {{ ref('int_tickets__account_resolved') }}
    where account_id is not null and created_at is not null

),

open_tickets as (

    select
        snapshots.account_id,
        snapshots.as_of_date,
        count(*) as unresolved_tickets,
        count(*) filter (
            where snapshots.as_of_date - tickets.created_date > (
                select threshold from {{ ref('risk_cue_thresholds') }} where cue = 'unresolved_ticket_age_days'
            )
        ) as stale_tickets,
        max(snapshots.as_of_date - tickets.created_date) as oldest_unresolved_ticket_days,
        string_agg(tickets.ticket_id, ', ' order by tickets.created_date, tickets.ticket_id) as unresolved_ticket_ids
    from snapshots
    inner join tickets
        on snapshots.account_id = tickets.account_id
        and tickets.created_date < snapshots.as_of_date
        -- A ticket untouched for longer than the long window is abandoned, not awaiting us.
        and tickets.created_date >= snapshots.as_of_date - {{ long }}
        and (tickets.resolved_date is null or tickets.resolved_date >= snapshots.as_of_date)
    group by all

),

accounts_renewal as (

    select
        account_id,
        cast(created_at as date) as created_date,
        renewal_date
    from accounts

),

final as (

    select
        snapshots.*,
        latest_demo.last_demo_date,
        latest_demo.engagement_before_demo,
        latest_demo.engagement_after_demo,
        coalesce(open_tickets.unresolved_tickets, 0) as unresolved_tickets,
        coalesce(open_tickets.stale_tickets, 0) as stale_tickets,
        open_tickets.oldest_unresolved_ticket_days,
        open_tickets.unresolved_ticket_ids,
        -- Next renewal: the CRM's renewal date for the current snapshot; for past snapshots (and
        -- where the CRM has none) the next anniversary of the account's creation.
        case
            when snapshots.is_latest and accounts_renewal.renewal_date >= snapshots.as_of_date
                then accounts_renewal.renewal_date
            when accounts_renewal.created_date is not null then cast(
                accounts_renewal.created_date + to_years(
                    greatest(1, year(snapshots.as_of_date) - year(accounts_renewal.created_date))
                    + case
                        when accounts_renewal.created_date + to_years(
                            greatest(1, year(snapshots.as_of_date) - year(accounts_renewal.created_date))
                        ) < snapshots.as_of_date then 1 else 0
                    end
                ) as date)
        end as next_renewal_date,
    from snapshots
    left join latest_demo
        on snapshots.account_id = latest_demo.account_id
        and snapshots.as_of_date = latest_demo.as_of_date
    left join open_tickets
        on snapshots.account_id = open_tickets.account_id
        and snapshots.as_of_date = open_tickets.as_of_date
    left join accounts_renewal
        on snapshots.account_id = accounts_renewal.account_id

)

-- Stored in date order: the readers of the latest or recent snapshots (the cue weeks, the risk
-- features, health, churn risk, the action queue) then skip every older row group by its date
-- range instead of reading the whole table; a nightly build's rows are appended after them.
select * from final
order by as_of_date
