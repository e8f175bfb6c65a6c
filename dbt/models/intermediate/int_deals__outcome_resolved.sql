-- Every deal with its outcome and close: as the export gave them, else from its stage in the
-- CRM's pipelines (stg_crm__deal_stages). An export names a stage outside the default pipeline
-- by an id (HubSpot's API) or a name (its CSV export) that says neither closed nor won: the
-- pipelines file says whether the stage is closed and its win probability (1 won, 0 lost), and
-- the close date the CRM holds (close_date) becomes closed_at once the stage is closed. Every
-- model that reads deals reads this. A view: a few rows per account, each reader filters them.
{{ config(materialized='view') }}

with

deals as (

    select * from {{ ref('stg_crm__deals') }}

),

stages as (

    select * from {{ ref('stg_crm__deal_stages') }}

),

-- The deal's stage by its id or its name, in its pipeline (by id or name) or, where the deal
-- names none, in any: every stage it may be must agree, or it stays unjudged.
stage_of_deal as (

    select
        deals.deal_id,
        bool_and(coalesce(stages.is_closed, false)) as is_closed,
        case
            when not bool_and(coalesce(stages.is_closed, false)) then null
            when min(stages.win_probability) >= 1 then 'won'
            when max(stages.win_probability) <= 0 then 'lost'
        end as outcome
    from deals
    inner join stages
        on (deals.stage = stages.stage or lower(deals.stage) = lower(stages.stage_label))
        and (
            deals.pipeline is null
            or deals.pipeline = stages.pipeline
            or lower(deals.pipeline) = lower(stages.pipeline_label)
        )
    where deals.outcome is null
    group by deals.deal_id

),

resolved as (

    select
        deals.* exclude (outcome, closed_at, close_date),
        coalesce(deals.outcome, stage_of_deal.outcome) as outcome,
        coalesce(deals.closed_at, case when stage_of_deal.is_closed then deals.close_date end)
            as closed_at,
        -- where the outcome came from: the export, the deal's stage in the pipelines, or
        -- nowhere yet (an open deal)
        case
            when deals.outcome is not null then 'export'
            when stage_of_deal.outcome is not null then 'pipeline_stage'
        end as outcome_from
    from deals
    left join stage_of_deal
        on deals.deal_id = stage_of_deal.deal_id

)

select * from resolved
