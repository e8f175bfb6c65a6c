-- The emotions customers wrote with in each lifecycle stage: each scored customer text is placed
-- in the stage its account was in when it was written (fct_account_lifecycle_stages), with its
-- final emotion (a person's tag wins). `share` is within the stage; texts from before an
-- account's first known stage are counted under 'unknown'.

with

texts as (

    select account_id, occurred_at, emotion, compound
    from {{ ref('int_interactions__scored') }}
    where author_type = 'customer' and not coalesce(is_empty, true) and emotion is not null
        and not is_analysis_opt_out and account_id is not null

),

stages as (

    select * from {{ ref('fct_account_lifecycle_stages') }}

),

placed as (

    select
        coalesce(stages.stage, 'unknown') as stage,
        texts.account_id,
        texts.emotion,
        texts.compound
    from texts
    left join stages
        on texts.account_id = stages.account_id
        and texts.occurred_at >= stages.entered_at
        and (stages.left_at is null or texts.occurred_at < stages.left_at)

),

counted as (

    select stage, emotion, count(*) as messages, count(distinct account_id) as accounts,
        avg(compound) as mean_sentiment
    from placed
    group by all

)

select
    stage,
    emotion,
    messages,
    accounts,
    messages / sum(messages) over (partition by stage) as share,
    mean_sentiment
from counted
