-- Every moment an account left or stayed, from both places a CRM records it: its account events
-- (`churned`, `renewed`) and its renewal deals closed after its first win (lost = churned, won =
-- renewed). HubSpot and Salesforce exports carry deals, not account events, so a lost renewal is
-- the only churn they record. Every model that asks whether or when an account churned reads this.

with

account_events as (

    select * from {{ ref('stg_crm__account_events') }}
    where event_type in ('churned', 'renewed')

),

deals as (

    select * from {{ ref('int_deals__outcome_resolved') }}
    where account_id is not null

),

first_win as (

    select account_id, min(closed_at) as won_at
    from deals
    where outcome = 'won' and closed_at is not null
    group by account_id

),

from_events as (

    select
        account_id,
        event_type as outcome,
        occurred_at,
        'account_event' as evidence_kind,
        format('{}:{}', event_type, strftime(occurred_at, '%Y-%m-%d')) as evidence_id
    from account_events

),

from_deals as (

    -- a renewal deal, not the first purchase: it closes after the account was first won
    select
        deals.account_id,
        case when deals.outcome = 'lost' then 'churned' else 'renewed' end as outcome,
        deals.closed_at as occurred_at,
        'deal' as evidence_kind,
        deals.deal_id as evidence_id
    from deals
    inner join first_win using (account_id)
    where deals.deal_type = 'renewal'
        and deals.outcome in ('won', 'lost')
        and deals.closed_at > first_win.won_at

)

select * from from_events
union all
select * from from_deals
