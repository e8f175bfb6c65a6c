-- Churn status per account from its renewal outcomes (account events and renewal deals): an
-- account is churned when its last churn is later than every renewal (a renewal after a churn
-- means it came back).

with

outcomes as (

    select * from {{ ref('int_accounts__renewal_outcomes') }}

),

per_account as (

    select
        account_id,
        max(case when outcome = 'churned' then occurred_at end) as last_churned_at,
        max(case when outcome = 'renewed' then occurred_at end) as last_renewed_at
    from outcomes
    group by account_id

),

flagged as (

    select
        account_id,
        last_churned_at,
        last_renewed_at,
        coalesce(
            last_churned_at is not null
            and (last_renewed_at is null or last_churned_at > last_renewed_at),
            false
        ) as is_churned
    from per_account

)

select
    account_id,
    is_churned,
    case when is_churned then last_churned_at end as churned_at,
    last_churned_at,
    last_renewed_at
from flagged
