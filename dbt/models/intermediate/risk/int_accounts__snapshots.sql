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

    Windows sum the daily signals over trailing frames of whole days; their lengths are the
    `cue_*` vars of dbt_project.yml, the thresholds that judge them are in the seed
    risk_cue_thresholds (applied in the marts).

    Incremental (the rule of macros/risk_incremental.sql): a nightly build recomputes, per account,
    the snapshots after the day its inputs changed (int_accounts__risk_inputs_changed: new data,
    late data for old dates, updated tickets...) and, for every account, those from the latest
    snapshot it holds on (the current one moves every night). It reads only the signals of the 181
    days before them (the longest window) plus one carried row per account with the all-time values
    (last message, last survey answer). Everything that changes as time passes (the outcome after a
    snapshot, the latest data day) is computed downstream, in int_accounts__risk_features.
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
{%- set latest_kept = risk_latest_kept('as_of_date') %}

with

signals as (

    select * from {{ ref('int_accounts__daily_signals') }}

),

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

churn_events as (

    select account_id, cast(occurred_at as date) as churned_date
    from {{ ref('stg_crm__account_events') }}
    where event_type = 'churned'

),

renewal_events as (

    select account_id, cast(occurred_at as date) as renewed_date
    from {{ ref('stg_crm__account_events') }}
    where event_type = 'renewed'

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

-- Per account, the day after which its snapshots are computed in this build.
recompute_after as (

    select
        account_span.account_id,
        {%- if is_incremental() %}
        least(
            coalesce(changed.changed_from_date, {{ latest_kept }} - 1, date '1900-01-01'),
            coalesce({{ latest_kept }} - 1, date '1900-01-01')
        ) as since_date
        {%- else %}
        date '1900-01-01' as since_date
        {%- endif %}
    from account_span
    {%- if is_incremental() %}
    left join {{ ref('int_accounts__risk_inputs_changed') }} as changed
        on account_span.account_id = changed.account_id
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

-- Spine rows and signal rows in one timeline per account, so each window is one sorted pass.
timeline as (

    select
        account_id,
        as_of_date as day,
        true as is_snapshot,
        null::integer as email_opens, null::integer as email_clicks, null::integer as logins,
        null::integer as feature_uses, null::integer as demos, null::integer as customer_messages,
        null::timestamp as last_customer_message_at, null::integer as customer_texts,
        null::integer as negative_texts, null::decimal(38, 4) as compound_sum,
        null::integer as churn_intent_texts, null::integer as billing_concern_texts,
        null::integer as urgency_texts, null::integer as praise_texts, null::integer as angry_texts,
        null::varchar as last_churn_intent_id, null::varchar as last_billing_concern_id,
        null::varchar as last_urgency_id, null::varchar as last_praise_id,
        null::integer as our_replies, null::hugeint as our_reply_seconds_sum,
        null::integer as customer_replies, null::hugeint as customer_reply_seconds_sum,
        null::varchar as last_response_id, null::double as last_score_normalized,
        null::varchar as last_nps_response_id, null::double as last_nps_score,
        null::integer as downgrades, null::integer as expansions, null::integer as lost_deals
    from spine

    union all by name

    select
        signals.* exclude (signal_date),
        signals.signal_date as day,
        false as is_snapshot
    from signals
    inner join recompute_after
        on signals.account_id = recompute_after.account_id
        and signals.signal_date > recompute_after.since_date - 181
    where signals.account_id in (select account_id from spine)

    union all by name

    -- What the unbounded windows need from before the signals read above, one row per account.
    select
        signals.account_id,
        any_value(recompute_after.since_date) - 181 as day,
        false as is_snapshot,
        max(signals.last_customer_message_at) as last_customer_message_at,
        arg_max(signals.last_response_id, signals.signal_date) filter (where signals.last_response_id is not null) as last_response_id,
        arg_max(signals.last_score_normalized, signals.signal_date) filter (where signals.last_response_id is not null) as last_score_normalized,
        arg_max(signals.last_nps_response_id, signals.signal_date) filter (where signals.last_nps_response_id is not null) as last_nps_response_id,
        arg_max(signals.last_nps_score, signals.signal_date) filter (where signals.last_nps_response_id is not null) as last_nps_score
    from signals
    inner join recompute_after
        on signals.account_id = recompute_after.account_id
        and signals.signal_date <= recompute_after.since_date - 181
    where signals.account_id in (select account_id from spine)
    group by signals.account_id

),

windowed as (

    select
        account_id,
        day as as_of_date,
        is_snapshot,

        -- engagement: the recent window and the baseline window before it
        sum(email_opens) over recent_w as email_opens_recent,
        sum(email_clicks) over recent_w as email_clicks_recent,
        sum(logins) over recent_w as logins_recent,
        sum(feature_uses) over recent_w as feature_uses_recent,
        sum(email_opens) over baseline_w as email_opens_baseline,
        sum(email_clicks) over baseline_w as email_clicks_baseline,
        sum(logins) over baseline_w as logins_baseline,
        sum(feature_uses) over baseline_w as feature_uses_baseline,

        -- the customer's words
        sum(customer_texts) over short_w as customer_texts_30d,
        sum(negative_texts) over short_w as negative_texts_30d,
        cast(sum(compound_sum) over short_w as double) as compound_sum_30d,
        sum(churn_intent_texts) over short_w as churn_intent_30d,
        sum(billing_concern_texts) over short_w as billing_concern_30d,
        sum(urgency_texts) over short_w as urgency_30d,
        sum(praise_texts) over short_w as praise_30d,
        sum(angry_texts) over short_w as angry_texts_30d,
        sum(customer_texts) over long_w as customer_texts_90d,
        sum(negative_texts) over long_w as negative_texts_90d,
        cast(sum(compound_sum) over long_w as double) as compound_sum_90d,
        sum(churn_intent_texts) over long_w as churn_intent_90d,
        sum(billing_concern_texts) over long_w as billing_concern_90d,
        sum(urgency_texts) over long_w as urgency_90d,
        sum(praise_texts) over long_w as praise_90d,
        last_value(last_churn_intent_id ignore nulls) over long_w as last_churn_intent_id,
        last_value(last_billing_concern_id ignore nulls) over long_w as last_billing_concern_id,
        last_value(last_urgency_id ignore nulls) over long_w as last_urgency_id,
        last_value(last_praise_id ignore nulls) over long_w as last_praise_id,

        -- replies
        sum(our_replies) over long_w as our_replies_90d,
        sum(our_reply_seconds_sum) over long_w / 3600.0 as our_reply_hours_sum_90d,
        sum(customer_replies) over long_w as customer_replies_90d,
        sum(customer_reply_seconds_sum) over long_w / 3600.0 as customer_reply_hours_sum_90d,
        max(last_customer_message_at) over all_before as last_customer_message_at,

        -- surveys and commercial history
        last_value(last_response_id ignore nulls) over all_before as last_survey_response_id,
        last_value(last_score_normalized ignore nulls) over all_before as last_survey_score_normalized,
        last_value(last_nps_response_id ignore nulls) over all_before as last_nps_response_id,
        last_value(last_nps_score ignore nulls) over all_before as last_nps_score,
        sum(downgrades) over half_year_w as downgrades_180d,
        sum(expansions) over half_year_w as expansions_180d,
        sum(lost_deals) over half_year_w as lost_deals_180d

    from timeline
    window
        recent_w as (partition by account_id order by day range between {{ recent }} preceding and 1 preceding),
        baseline_w as (partition by account_id order by day range between {{ recent + baseline }} preceding and {{ recent + 1 }} preceding),
        short_w as (partition by account_id order by day range between {{ short }} preceding and 1 preceding),
        long_w as (partition by account_id order by day range between {{ long }} preceding and 1 preceding),
        half_year_w as (partition by account_id order by day range between 180 preceding and 1 preceding),
        all_before as (partition by account_id order by day range between unbounded preceding and 1 preceding)

),

snapshots as (

    select
        spine.account_id,
        spine.as_of_date,
        spine.is_week_end,
        spine.is_month_start,
        spine.is_latest,
        spine.has_full_history,
        windowed.* exclude (account_id, as_of_date, is_snapshot)
    from spine
    inner join windowed
        on spine.account_id = windowed.account_id
        and spine.as_of_date = windowed.as_of_date
        and windowed.is_snapshot

),

-- Engagement in the days after each demo against as many days before it.
demo_days as (

    select
        signals.account_id,
        signals.signal_date as demo_date,
        sum(signals.email_opens + signals.email_clicks + signals.logins + signals.feature_uses) over before_w as engagement_before_demo,
        sum(signals.email_opens + signals.email_clicks + signals.logins + signals.feature_uses) over after_w as engagement_after_demo,
        signals.demos
    from signals
    inner join recompute_after
        on signals.account_id = recompute_after.account_id
        and signals.signal_date > recompute_after.since_date - 181
    window
        before_w as (partition by signals.account_id order by signals.signal_date range between {{ demo }} preceding and 1 preceding),
        after_w as (partition by signals.account_id order by signals.signal_date range between 1 following and {{ demo }} following)
    qualify demos > 0

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

select * from final
