-- One row per account: attributes, churn status, 90-day emotional facts and the emotional segment.
-- Segment rules (first match wins; see the `emotional_segment` doc block):
--   churned > disengaged > at_risk > frustrated > champion > content

with

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

churn as (

    select * from {{ ref('int_accounts__churn_flagged') }}

),

activity as (

    select * from {{ ref('int_interactions__rolled_up_to_accounts') }}

),

account_tags as (

    select * from {{ ref('int_emotion_tags__resolved') }}
    where target_type = 'account'

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

        activity.current_emotion as text_emotion,
        activity.current_emotion_intensity as text_emotion_intensity,
        activity.current_emotion_source as text_emotion_source,
        activity.current_emotion_at as last_customer_text_at,

        account_tags.emotion_tag as account_emotion_tag,
        account_tags.tagged_by as account_tagged_by,
        account_tags.tagged_at as account_tagged_at,
        -- A person's account-level tag overrides the texts' emotion when it was set at or after
        -- the latest customer text, i.e. when it judges the account as it is now.
        coalesce(
            account_tags.emotion_tag is not null
            and (activity.current_emotion_at is null or account_tags.tagged_at >= activity.current_emotion_at),
            false
        ) as is_account_tag_current,

        latest_nps.latest_nps_score,
        latest_nps.latest_nps_at

    from accounts
    left join churn
        on accounts.account_id = churn.account_id
    left join activity
        on accounts.account_id = activity.account_id
    left join account_tags
        on accounts.account_id = account_tags.account_id
    left join latest_nps
        on accounts.account_id = latest_nps.account_id

),

final as (

    select
        account_id,
        name,
        industry,
        plan,
        region,
        lifecycle_stage,
        owner,
        mrr,
        renewal_date,
        created_at,
        is_churned,
        churned_at,
        first_interaction_at,
        last_interaction_at,
        last_customer_interaction_at,
        customer_interactions_90d,
        customer_interactions_60d,
        avg_compound_90d,
        negative_share_90d,
        churn_intent_interactions_90d,

        case when is_account_tag_current then account_emotion_tag else text_emotion end as current_emotion,
        case when is_account_tag_current then null else text_emotion_intensity end as current_emotion_intensity,
        case when is_account_tag_current then 'human_account' else text_emotion_source end as current_emotion_source,
        last_customer_text_at,
        account_emotion_tag,
        account_tagged_by,
        account_tagged_at,

        latest_nps_score,
        latest_nps_at,

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

select * from final
