-- Each account's lifecycle stage history: one row per stage it entered (repeated changes to the
-- same stage merged), when it entered and left it, days in it and which is current.
-- Changes come from int_accounts__lifecycle_changes (deals and account events); days in the
-- current stage count to the latest data in the warehouse, not to today.

with

changes as (

    select * from {{ ref('int_accounts__lifecycle_changes') }}

),

as_of as (

    select max(occurred_at) as as_of_at from {{ ref('stg_crm__interactions') }}

),

sequenced as (

    select
        *,
        lag(stage) over by_time as previous_stage
    from changes
    window by_time as (
        partition by account_id
        order by changed_at,
            case stage when 'lead' then 0 when 'onboarding' then 1 when 'renewal' then 2 else 3 end,
            evidence_id
    )

),

entered as (

    -- A change to the stage the account is already in changes nothing.
    select * from sequenced
    where previous_stage is null or previous_stage != stage

),

stages as (

    select
        entered.account_id,
        entered.stage,
        entered.changed_at as entered_at,
        lead(entered.changed_at) over by_time as left_at,
        row_number() over by_time as stage_number,
        entered.evidence_kind,
        entered.evidence_id
    from entered
    window by_time as (
        partition by entered.account_id
        order by entered.changed_at,
            case entered.stage when 'lead' then 0 when 'onboarding' then 1 when 'renewal' then 2 else 3 end,
            entered.evidence_id
    )

)

select
    stages.account_id,
    stages.stage,
    stages.stage_number,
    stages.entered_at,
    stages.left_at,
    date_diff('day', stages.entered_at, coalesce(stages.left_at, greatest(as_of.as_of_at, stages.entered_at))) as days_in_stage,
    stages.left_at is null as is_current,
    stages.evidence_kind,
    stages.evidence_id
from stages
cross join as_of
