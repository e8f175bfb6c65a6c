-- One row per raw interaction, with its current score and final emotion.

with

interactions as (

    select * from {{ ref('int_interactions__scored') }}

)

select
    interaction_id,
    account_id,
    account_resolved_via,
    contact_id,
    ticket_id,
    channel,
    direction,
    author_type,
    occurred_at,
    occurred_date,
    subject,
    body,
    text_hash,
    scorer_version,
    compound,
    sentiment_label,
    model_emotion,
    emotion,
    emotion_source,
    emotion_intensity,
    model_emotion_intensity,
    human_tagged_by,
    human_tagged_at,
    churn_intent,
    billing_concern,
    urgency,
    praise,
    sarcasm,
    question,
    language,
    is_empty,
    is_analysis_opt_out
from interactions
