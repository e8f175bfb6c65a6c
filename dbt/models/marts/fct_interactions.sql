-- One row per raw interaction, with its current score and final emotion.
-- A contact who opted out of analysis is counted here (the row, its date and channel) but its
-- text is not published: subject, body and the text's hash are null.

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
    case when not is_analysis_opt_out then subject end as subject,
    case when not is_analysis_opt_out then body end as body,
    case when not is_analysis_opt_out then text_hash end as text_hash,
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
