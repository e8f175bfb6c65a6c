-- Every deal with its outcome and close: as the export gave them, else from its stage in the
-- CRM's pipelines (macros/pipeline_stages.sql). An export names a stage outside the default
-- pipeline by an id (HubSpot's API) or a name (its CSV export, a Salesforce org's own stage)
-- that says neither closed nor won: the pipelines say whether the stage is closed and its win
-- probability (1 won, 0 lost), and the close date the CRM holds (close_date) becomes closed_at
-- once the stage is closed. Every model that reads deals reads this. A view: a few rows per
-- account, each reader filters them.
{{ config(materialized='view') }}

with

deals as (

    select * from {{ ref('stg_crm__deals') }}

),

unjudged as (

    select deal_id, stage, pipeline from deals where outcome is null

),

stage_of_deal as (

    {{ stage_in_pipelines('unjudged', 'deal_id', 'deals') | indent(4) }}

),

resolved as (

    select
        deals.* exclude (outcome, closed_at, close_date),
        coalesce(
            deals.outcome, case when stage_of_deal.is_closed then stage_of_deal.closed_outcome end
        ) as outcome,
        coalesce(deals.closed_at, case when stage_of_deal.is_closed then deals.close_date end)
            as closed_at,
        -- where the outcome came from: the export, the deal's stage in the pipelines, or
        -- nowhere yet (an open deal)
        case
            when deals.outcome is not null then 'export'
            when stage_of_deal.is_closed and stage_of_deal.closed_outcome is not null
                then 'pipeline_stage'
        end as outcome_from
    from deals
    left join stage_of_deal
        on deals.deal_id = stage_of_deal.deal_id

)

select * from resolved
