-- How many transitions of each kind per month and per quarter ("12 recoveries this quarter"),
-- counted by the week the state changed in (a week is counted in the month of its Monday).
-- Zero rows are written for the kinds with none in a period, so a chart shows the gap.

with

transitions as (

    select * from {{ ref('fct_account_emotion_transitions') }}

),

kinds as (

    select distinct transition_kind from {{ ref('emotion_transition_kinds') }}
    union
    select 'other'

),

counted as (

    select grain, period_start, transition_kind, count(*) as transitions,
        count(distinct account_id) as accounts
    from (
        select 'month' as grain, cast(date_trunc('month', changed_week) as date) as period_start, *
        from transitions
        union all
        select 'quarter' as grain, cast(date_trunc('quarter', changed_week) as date) as period_start, *
        from transitions
    )
    group by all

),

periods as (

    select distinct grain, period_start from counted

)

select
    periods.grain,
    periods.period_start,
    kinds.transition_kind,
    coalesce(counted.transitions, 0) as transitions,
    coalesce(counted.accounts, 0) as accounts
from periods
cross join kinds
left join counted
    on periods.grain = counted.grain
    and periods.period_start = counted.period_start
    and kinds.transition_kind = counted.transition_kind
