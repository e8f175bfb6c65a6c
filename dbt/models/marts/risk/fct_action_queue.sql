-- The action queue: recommended next steps per account, each with the evidence that triggered it
-- and its owner; one row per (account, action type, reason). Rules, on the latest snapshot:
--   intervention_call      churn risk in the 'high' band (reason high_churn_risk), or churn words
--                          in the last 30 days (reason churn_intent);
--   route_to_senior_agent  a ticket unresolved past the stale age (reason stale_tickets);
--   apology_and_credit     2+ angry or frustrated texts in 30 days while tickets are unresolved
--                          (reason repeated_failures);
--   billing_review         billing concerns in the last 30 days (reason billing_concern);
--   loyalty_reward         healthy, praised us in 90 days and last NPS 9-10 (reason promoter_praise);
--   accelerate_deal        engagement up after a demo while a deal is open (reason demo_curiosity).
-- `action_id` = md5(account | type | reason | evidence_key), where evidence_key names the evidence
-- (ticket ids, message ids, the risk reasons' terms), not its changing numbers: a person's decision
-- (done, dismissed, snoozed until a date; made in the dashboard, read back from its app state as
-- raw.action_decisions) holds until the evidence changes, which gives a new id and so a new open
-- action. A snoozed action is open again from its snoozed_until day on; a reopened one (a person
-- took the decision back) is open at once.

with

cues as (

    select * from {{ ref('fct_account_cues_weekly') }}
    where is_latest_week

),

snapshots as (

    select account_id, angry_texts_30d, last_nps_score, last_nps_response_id
    from {{ ref('int_accounts__snapshots') }}
    where is_latest

),

risk as (

    select * from {{ ref('fct_account_churn_risk') }}

),

health as (

    select * from {{ ref('fct_account_health') }}

),

open_deals as (

    select
        account_id,
        arg_max(deal_id, created_at) as deal_id,
        arg_max(stage, created_at) as stage
    from {{ ref('int_deals__outcome_resolved') }}
    where closed_at is null and account_id is not null
    group by account_id

),

types as (

    select * from {{ ref('action_types') }}

),

decisions as (

    select *
    from {{ ref('stg_crm__action_decisions') }}
    qualify row_number() over (partition by action_id order by decided_at desc, decided_by) = 1

),

candidates as (

    select account_id, 'intervention_call' as action_type, 'high_churn_risk' as reason,
        concat_ws('; ', format('churn risk {:.0f}/100', churn_risk_higher_riskier), reason_1, reason_2, reason_3) as evidence,
        'high|' || array_to_string(list_sort(reason_features), ',') as evidence_key
    from risk
    where churn_risk_band = 'high'

    union all

    select account_id, 'intervention_call', 'churn_intent',
        format('spoke of leaving in {} in 30 days, latest {}', {{ counted('churn_intent_30d', 'message') }}, last_churn_intent_interaction_id),
        last_churn_intent_interaction_id
    from cues
    where churn_intent_30d > 0

    union all

    select account_id, 'route_to_senior_agent', 'stale_tickets',
        format('{} ({}), the oldest opened {} days ago', {{ counted('unresolved_tickets', 'unresolved ticket') }}, unresolved_ticket_ids, oldest_unresolved_ticket_days),
        unresolved_ticket_ids
    from cues
    where stale_tickets > 0

    union all

    select cues.account_id, 'apology_and_credit', 'repeated_failures',
        format('{} angry or frustrated messages in 30 days; unresolved: {}', snapshots.angry_texts_30d, cues.unresolved_ticket_ids),
        cues.unresolved_ticket_ids
    from cues
    inner join snapshots on cues.account_id = snapshots.account_id
    where snapshots.angry_texts_30d >= 2 and cues.unresolved_tickets > 0

    union all

    select account_id, 'billing_review', 'billing_concern',
        format('billing concern in {} in 30 days, latest {}', {{ counted('billing_concern_30d', 'message') }}, last_billing_concern_interaction_id),
        last_billing_concern_interaction_id
    from cues
    where billing_concern_30d > 0

    union all

    select cues.account_id, 'loyalty_reward', 'promoter_praise',
        format('NPS {:.0f} (response {}); praise in {} in 90 days, latest {}', snapshots.last_nps_score,
            snapshots.last_nps_response_id, {{ counted('cues.praise_90d', 'message') }}, cues.last_praise_interaction_id),
        snapshots.last_nps_response_id || '|' || cues.last_praise_interaction_id
    from cues
    inner join snapshots on cues.account_id = snapshots.account_id
    inner join health on cues.account_id = health.account_id
    where health.health_band = 'healthy' and cues.praise_90d > 0 and snapshots.last_nps_score >= 9

    union all

    select cues.account_id, 'accelerate_deal', 'demo_curiosity',
        format('engagement {:+.0f}% in the {} days after the demo of {}; open deal {} ({})', cues.demo_engagement_change_pct,
            {{ var('cue_demo_days') }}, strftime(cues.last_demo_date, '%-d %b %Y'), open_deals.deal_id, open_deals.stage),
        cast(cues.last_demo_date as varchar) || '|' || open_deals.deal_id
    from cues
    inner join open_deals on cues.account_id = open_deals.account_id
    where cues.cue_demo_curiosity

),

keyed as (

    select
        md5(concat_ws('|', account_id, action_type, reason, coalesce(evidence_key, ''))) as action_id,
        *
    from candidates

),

final as (

    select
        keyed.action_id,
        keyed.account_id,
        health.account_name,
        keyed.action_type,
        types.label as action_label,
        keyed.reason,
        keyed.evidence,
        keyed.evidence_key,
        -- An account without an owner in the CRM goes to the 'unassigned' queue, never nowhere.
        case
            when types.owner_role = 'account_owner' then coalesce(health.owner, 'unassigned')
            else types.owner_role
        end as owner,
        types.priority,
        types.task_type,
        health.as_of_date,
        cast(health.as_of_date + case types.priority when 'high' then 2 when 'medium' then 7 else 14 end as date) as due_date,
        risk.churn_risk_higher_riskier,
        health.health_higher_healthier,
        health.mrr,
        case
            when decisions.decision in ('done', 'dismissed') then decisions.decision
            when decisions.decision = 'snoozed' and decisions.snoozed_until > current_date then 'snoozed'
            else 'open'
        end as status,
        decisions.decision,
        decisions.decided_by,
        decisions.decided_at,
        decisions.note as decision_note,
        decisions.snoozed_until
    from keyed
    inner join types
        on keyed.action_type = types.action_type
    left join health
        on keyed.account_id = health.account_id
    left join risk
        on keyed.account_id = risk.account_id
    left join decisions
        on keyed.action_id = decisions.action_id

)

select *, status = 'open' as is_open from final
