-- Every change of an account's lifecycle stage, read from its deals and account events (the CRM
-- exports carry no stage history of their own):
--   lead        from its first deal's creation, when that is before its first won deal closed
--               (or from its creation, for an account the CRM calls a lead and no deal was won);
--   lost_lead   its new-business deal was lost and none was ever won;
--   onboarding  from its first won deal's close (else from its creation, for a customer);
--   adoption    `onboarding_days` after onboarding began, if nothing else happened first, and
--               after each renewal (a won renewal deal, or a `renewed` event);
--   renewal     from the creation of each renewal deal (deal_type 'renewal') after the first win;
--   churned     a `churned` event, or a lost renewal deal (int_accounts__renewal_outcomes, the
--               rule dim_accounts.is_churned follows too).
-- Changes later than the latest data (an open deal dated ahead) are left out.

with

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

deals as (

    select * from {{ ref('int_deals__outcome_resolved') }}
    where account_id is not null

),

renewal_outcomes as (

    select * from {{ ref('int_accounts__renewal_outcomes') }}

),

as_of as (

    select max(occurred_at) as as_of_at from {{ ref('stg_crm__interactions') }}

),

first_win as (

    select account_id, min(closed_at) as won_at
    from deals
    where outcome = 'won' and closed_at is not null
    group by account_id

),

first_deal as (

    select account_id, arg_min(deal_id, (created_at, deal_id)) as deal_id, min(created_at) as created_at
    from deals
    where created_at is not null
    group by account_id

),

changes as (

    -- lead: the first deal, opened before any win
    select first_deal.account_id, 'lead' as stage, first_deal.created_at as changed_at,
        'deal' as evidence_kind, first_deal.deal_id as evidence_id
    from first_deal
    left join first_win using (account_id)
    where first_win.won_at is null or first_deal.created_at < first_win.won_at

    union all
    -- lead: an account the CRM calls a lead, with no deal at all
    select accounts.account_id, 'lead', accounts.created_at, 'account', accounts.account_id
    from accounts
    left join first_deal using (account_id)
    where accounts.lifecycle_stage = 'lead' and first_deal.account_id is null
        and accounts.created_at is not null

    union all
    -- lost_lead: a new-business deal lost, nothing ever won
    select deals.account_id, 'lost_lead', deals.closed_at, 'deal', deals.deal_id
    from deals
    left join first_win using (account_id)
    where first_win.won_at is null and deals.outcome = 'lost' and deals.closed_at is not null
        and coalesce(deals.deal_type, 'new_business') = 'new_business'

    union all
    -- onboarding: the first win, else the creation of an account that is no lead
    select first_win.account_id, 'onboarding', first_win.won_at, 'deal',
        (select arg_min(deal_id, closed_at) from deals as won
         where won.account_id = first_win.account_id and won.outcome = 'won')
    from first_win

    union all
    select accounts.account_id, 'onboarding', accounts.created_at, 'account', accounts.account_id
    from accounts
    left join first_win using (account_id)
    left join first_deal using (account_id)
    where first_win.account_id is null and first_deal.account_id is null
        and coalesce(accounts.lifecycle_stage, '') != 'lead'
        and accounts.created_at is not null

    union all
    -- renewal: a renewal deal opened after the first win; its close ends it
    select deals.account_id, 'renewal', deals.created_at, 'deal', deals.deal_id
    from deals
    inner join first_win using (account_id)
    where deals.deal_type = 'renewal' and deals.created_at > first_win.won_at

    union all
    -- churned (a churned event or a lost renewal deal), and renewed (a renewed event or a won
    -- renewal deal): back in adoption, also after a churn
    select account_id, case when outcome = 'churned' then 'churned' else 'adoption' end,
        occurred_at, evidence_kind, evidence_id
    from renewal_outcomes

),

ordered as (

    select
        changes.*,
        lead(changed_at) over by_time as next_changed_at,
        lag(stage) over by_time as previous_stage
    from changes
    cross join as_of
    where changed_at <= as_of.as_of_at
    window by_time as (
        partition by account_id
        order by changed_at,
            -- at one moment: the deal's close before the event that records it
            case stage when 'lead' then 0 when 'onboarding' then 1 when 'renewal' then 2 else 3 end,
            evidence_id
    )

),

with_adoption as (

    select account_id, stage, changed_at, evidence_kind, evidence_id from ordered
    union all
    -- adoption after onboarding, unless the next change came first
    select ordered.account_id, 'adoption', ordered.changed_at + to_days({{ var('onboarding_days') }}),
        ordered.evidence_kind, ordered.evidence_id
    from ordered
    cross join as_of
    where ordered.stage = 'onboarding'
        and ordered.changed_at + to_days({{ var('onboarding_days') }}) <= as_of.as_of_at
        and (ordered.next_changed_at is null
            or ordered.next_changed_at > ordered.changed_at + to_days({{ var('onboarding_days') }}))

)

select * from with_adoption
