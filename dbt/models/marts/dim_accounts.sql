-- One row per account: attributes, churn status, 90-day emotional facts and the emotional segment.
-- Segment rules (first match wins; see the `emotional_segment` doc block):
--   churned > disengaged > at_risk > frustrated > champion > content

with

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

churn as (

    select * from {{ ref('int_account_events__churn_flagged') }}

),

activity as (

    select * from {{ ref('int_interactions__rolled_up_to_accounts') }}

),

latest_nps as (

    select
        account_id,
        score as latest_nps_score,
        responded_at as latest_nps_at
    from {{ ref('int_surveys__classified') }}
    where nps_bucket is not null
    qualify row_number() over (
        partition by account_id
        order by responded_at desc, response_id desc
    ) = 1

),

joined as (

    select
        accounts.account_id,
        accounts.account_name as name,
        accounts.industry,
        accounts.plan,
        accounts.region,
        accounts.lifecycle_stage,
        accounts.owner,
        accounts.mrr,
        accounts.renewal_date,
        accounts.created_at,

        coalesce(churn.is_churned, false) as is_churned,
        churn.churned_at,

        activity.first_interaction_at,
        activity.last_interaction_at,
        activity.last_customer_interaction_at,
        coalesce(activity.customer_interactions_90d, 0) as customer_interactions_90d,
        coalesce(activity.customer_interactions_60d, 0) as customer_interactions_60d,
        activity.avg_compound_90d,
        activity.negative_share_90d,
        coalesce(activity.churn_intent_interactions_90d, 0) as churn_intent_interactions_90d,
        activity.current_emotion,
        activity.current_emotion_intensity,
        activity.current_emotion_source,

        latest_nps.latest_nps_score,
        latest_nps.latest_nps_at

    from accounts
    left join churn
        on accounts.account_id = churn.account_id
    left join activity
        on accounts.account_id = activity.account_id
    left join latest_nps
        on accounts.account_id = latest_nps.account_id

),

segmented as (

    select
        *,
        case
            when is_churned then 'churned'
            when customer_interactions_60d = 0 then 'disengaged'
            when churn_intent_interactions_90d > 0 then 'at_risk'
            when negative_share_90d >= 0.4 then 'frustrated'
            when avg_compound_90d >= 0.4 and latest_nps_score >= 9 then 'champion'
            else 'content'
        end as emotional_segment
    from joined

)

select * from segmented
