-- For each churned account, the cues that came before the churn, how long before, and whether
-- the team could have acted on them (a cue at least `churn_review_act_days` before the churn left
-- time to act). Cues within the `churn_review_days` before the churn:
--   first_frustration      the first message written in frustration or anger;
--   churn_intent           the first message with churn intent ("cancel", "switch to", ...);
--   billing_concern        the first message with a billing concern;
--   engagement_drop        the first week issue 15's engagement-drop cue was raised
--                          (fct_account_cues_weekly; evidence: the last usage before it);
--   negative_survey        the first detractor NPS or unsatisfied CSAT answer;
--   unresolved_tickets     tickets still unresolved at the churn, from the oldest one's opening;
-- and, from any time before it, last_positive_message: the last message written with delight or
-- satisfaction, or praise. Messages of contacts who opted out of analysis are never read.

with

churned as (

    select account_id, churned_at
    from {{ ref('int_accounts__churn_flagged') }}
    where is_churned

),

texts as (

    select
        texts.interaction_id,
        texts.account_id,
        texts.occurred_at,
        texts.emotion,
        texts.channel,
        texts.ticket_id,
        texts.churn_intent,
        texts.is_billing_concern,
        texts.praise,
        churned.churned_at
    from {{ ref('int_interactions__scored') }} as texts
    inner join churned using (account_id)
    where texts.author_type = 'customer' and not coalesce(texts.is_empty, true)
        and texts.compound is not null and not texts.is_analysis_opt_out
        and texts.occurred_at < churned.churned_at

),

in_window as (

    select * from texts
    where occurred_at >= churned_at - to_days({{ var('churn_review_days') }})

),

message_cues as (

    select account_id, 'first_frustration' as cue,
        arg_min(interaction_id, (occurred_at, interaction_id)) as evidence_id,
        min(occurred_at) as cue_at, count(*) as occurrences,
        'first message in frustration or anger' as what
    from in_window where emotion in ('frustration', 'anger')
    group by account_id

    union all
    select account_id, 'churn_intent', arg_min(interaction_id, (occurred_at, interaction_id)),
        min(occurred_at), count(*), 'first message saying they might leave'
    from in_window where churn_intent
    group by account_id

    union all
    select account_id, 'billing_concern', arg_min(interaction_id, (occurred_at, interaction_id)),
        min(occurred_at), count(*), 'first billing concern'
    from in_window where is_billing_concern
    group by account_id

    union all
    select account_id, 'last_positive_message', arg_max(interaction_id, (occurred_at, interaction_id)),
        max(occurred_at), count(*), 'last message with delight, satisfaction or praise'
    from texts where emotion in ('delight', 'satisfaction') or praise
    group by account_id

),

engagement_drop as (

    select
        cues.account_id,
        min(cues.as_of_date) as cue_date,
        arg_min(cues.engagement_change_pct, cues.as_of_date) as engagement_change_pct
    from {{ ref('fct_account_cues_weekly') }} as cues
    inner join churned using (account_id)
    where cues.cue_engagement_drop
        and cues.as_of_date >= cast(churned.churned_at - to_days({{ var('churn_review_days') }}) as date)
        and cues.as_of_date <= cast(churned.churned_at as date)
    group by cues.account_id

),

engagement_cues as (

    select
        engagement_drop.account_id,
        'engagement_drop' as cue,
        (
            select arg_max(events.event_id, events.occurred_at)
            from {{ ref('int_engagement_events__account_resolved') }} as events
            where events.account_id = engagement_drop.account_id
                and events.event_type != 'email_sent'
                and events.occurred_at < engagement_drop.cue_date
        ) as evidence_id,
        cast(engagement_drop.cue_date as timestamp) as cue_at,
        1 as occurrences,
        format('usage down {:.0f}% against its {}-day baseline', -engagement_drop.engagement_change_pct,
            {{ var('cue_baseline_days') }}) as what
    from engagement_drop

),

survey_cues as (

    select
        surveys.account_id,
        'negative_survey' as cue,
        arg_min(surveys.response_id, (surveys.responded_at, surveys.response_id)) as evidence_id,
        min(surveys.responded_at) as cue_at,
        count(*) as occurrences,
        'first detractor NPS or unsatisfied CSAT answer' as what
    from {{ ref('int_surveys__classified') }} as surveys
    inner join churned using (account_id)
    where (surveys.nps_bucket = 'detractor' or surveys.is_csat_satisfied = false)
        and surveys.responded_at < churned.churned_at
        and surveys.responded_at >= churned.churned_at - to_days({{ var('churn_review_days') }})
    group by surveys.account_id

),

ticket_cues as (

    select
        tickets.account_id,
        'unresolved_tickets' as cue,
        arg_min(tickets.ticket_id, (tickets.created_at, tickets.ticket_id)) as evidence_id,
        min(tickets.created_at) as cue_at,
        count(*) as occurrences,
        format('{} still unresolved at the churn, the oldest opened',
            case when count(*) = 1 then 'a ticket' else format('{} tickets', count(*)) end) as what
    from {{ ref('int_tickets__account_resolved') }} as tickets
    inner join churned using (account_id)
    where tickets.created_at < churned.churned_at
        and coalesce(tickets.solved_at, tickets.closed_at, churned.churned_at) >= churned.churned_at
    group by tickets.account_id

),

cues as (

    select *, 'interaction' as evidence_kind from message_cues
    union all
    select *, 'engagement' from engagement_cues
    union all
    select *, 'survey' from survey_cues
    union all
    select *, 'ticket' from ticket_cues

),

timed as (

    select
        cues.account_id,
        churned.churned_at,
        cues.cue,
        cues.cue_at,
        date_diff('day', cues.cue_at, churned.churned_at) as days_before_churn,
        date_diff('day', cues.cue_at, churned.churned_at) >= {{ var('churn_review_act_days') }} as could_have_acted,
        cues.occurrences,
        cues.what,
        cues.evidence_kind,
        cues.evidence_id
    from cues
    inner join churned using (account_id)

)

select
    account_id,
    churned_at,
    cue,
    cue_at,
    days_before_churn,
    could_have_acted,
    format(
        '{} on {}, {} days before the churn{}; {}',
        what,
        strftime(cue_at, '%-d %b %Y'),
        days_before_churn,
        case
            when occurrences > 1 and cue not in ('unresolved_tickets', 'last_positive_message')
                then format(' ({} such before the churn)', occurrences)
            else ''
        end,
        case
            when could_have_acted then 'time enough to act'
            else format('less than {} days before it, too late to act', {{ var('churn_review_act_days') }})
        end
    ) as reason,
    occurrences,
    evidence_kind,
    evidence_id
from timed
