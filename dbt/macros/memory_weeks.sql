{#-
    One row per key (account, or contact with its account) per week with any activity: the
    customer's messages and their emotions, engagement, survey answers, tickets opened and closed,
    and the week's dominant emotional state. Used by int_account_weeks__summarized and
    int_contact_weeks__summarized, so both grains follow one definition.

    `keys`: ['account_id'] or ['contact_id', 'account_id']; `since`: SQL date, only weeks from it
    on are built. Customer messages count every message the customer wrote; the emotion figures
    use its scored, non-empty texts (a contact who opted out of analysis is never scored, so counted
    but never read). The dominant state: a person's tag given in the week wins (the latest, on
    one of the week's messages or, for an account, on the account); otherwise the emotion most of
    the week's texts carry (ties: the higher mean intensity, then the name). Its confidence is
    the number of the week's texts that carry it.
-#}
{% macro emotion_week_facts(keys, since) %}
{%- set key_list = keys | join(', ') -%}
{%- set is_account = keys == ['account_id'] -%}

with

texts as (

    select
        {{ key_list }},
        {{ week_of('occurred_at') }} as week_start,
        interaction_id,
        occurred_at,
        emotion,
        emotion_intensity,
        compound,
        churn_intent,
        human_emotion_tag,
        human_tagged_at,
        not coalesce(is_empty, true) and compound is not null and not is_analysis_opt_out as is_text
    from {{ ref('int_interactions__scored') }}
    where author_type = 'customer'
        {%- for key in keys %}
        and {{ key }} is not null
        {%- endfor %}
        and occurred_at >= {{ since }}

),

messages as (

    select
        {{ key_list }},
        week_start,
        count(*) as customer_messages,
        count(*) filter (where is_text) as scored_messages,
        -- Rounded: a sum of doubles depends on the order a parallel scan adds them in, and a
        -- nightly build must give what a full build gives, to the last digit.
        round(avg(compound) filter (where is_text), 6) as mean_sentiment,
        round(avg(emotion_intensity) filter (where is_text), 6) as mean_intensity,
        count(*) filter (where is_text and churn_intent) as churn_intent_messages,
        {%- for emotion in var('emotions') %}
        round(coalesce(
            count(*) filter (where is_text and emotion = '{{ emotion }}')
            / nullif(count(*) filter (where is_text and emotion is not null), 0),
            0
        ), 6) as share_{{ emotion }},
        {%- endfor %}
        arg_min(interaction_id, (occurred_at, interaction_id)) filter (where is_text) as first_message_id,
        arg_max(interaction_id, (occurred_at, interaction_id)) filter (where is_text) as last_message_id
    from texts
    group by all

),

emotion_counts as (

    select
        {{ key_list }},
        week_start,
        emotion,
        count(*) as messages,
        round(avg(emotion_intensity), 6) as mean_intensity,
        arg_min(interaction_id, (occurred_at, interaction_id)) as first_message_id,
        arg_max(interaction_id, (occurred_at, interaction_id)) as last_message_id
    from texts
    where is_text and emotion is not null
    group by all

),

model_dominant as (

    select *
    from emotion_counts
    qualify row_number() over (
        partition by {{ key_list }}, week_start
        order by messages desc, mean_intensity desc nulls last, emotion
    ) = 1

),

human_tags as (

    select {{ key_list }}, week_start, human_emotion_tag as emotion_tag, human_tagged_at as tagged_at
    from texts
    where human_emotion_tag is not null and is_text
    {%- if is_account %}
    union all
    select
        account_id,
        {{ week_of('tagged_at') }} as week_start,
        emotion_tag,
        tagged_at
    from {{ ref('int_emotion_tags__resolved') }}
    where target_type = 'account' and tagged_at >= {{ since }}
    {%- endif %}

),

human_dominant as (

    select *
    from human_tags
    qualify row_number() over (
        partition by {{ key_list }}, week_start
        order by tagged_at desc, emotion_tag
    ) = 1

),

engagement as (

    select
        {{ key_list }},
        {{ week_of('occurred_at') }} as week_start,
        count(*) as engagement_events
    from {{ ref('int_engagement_events__account_resolved') }}
    -- What the customer did: our own sends are not their engagement.
    where event_type != 'email_sent'
        {%- for key in keys %}
        and {{ key }} is not null
        {%- endfor %}
        and occurred_at >= {{ since }}
    group by all

),

surveys as (

    select
        {{ key_list }},
        {{ week_of('responded_at') }} as week_start,
        count(*) as survey_responses,
        round(avg(score) filter (where survey_type = 'csat'), 6) as csat_mean,
        round(avg(score) filter (where survey_type = 'nps'), 6) as nps_mean
    from {{ ref('int_surveys__classified') }}
    where responded_at >= {{ since }}
        {%- for key in keys %}
        and {{ key }} is not null
        {%- endfor %}
    group by all

),

tickets as (

    select
        {{ key_list }},
        created_at,
        -- Resolution as ARCHITECTURE.md measures it: last solved, else closed.
        coalesce(solved_at, closed_at) as resolved_at
    from {{ ref('int_tickets__account_resolved') }}
    where true
        {%- for key in keys %}
        and {{ key }} is not null
        {%- endfor %}
        and (created_at >= {{ since }} or coalesce(solved_at, closed_at) >= {{ since }})

),

tickets_opened as (

    select {{ key_list }}, {{ week_of('created_at') }} as week_start, count(*) as tickets_opened
    from tickets
    where created_at >= {{ since }}
    group by all

),

tickets_closed as (

    select {{ key_list }}, {{ week_of('resolved_at') }} as week_start, count(*) as tickets_closed
    from tickets
    where resolved_at >= {{ since }}
    group by all

),

keys as (

    select {{ key_list }}, week_start from messages
    union
    select {{ key_list }}, week_start from human_dominant
    union
    select {{ key_list }}, week_start from engagement
    union
    select {{ key_list }}, week_start from surveys
    union
    select {{ key_list }}, week_start from tickets_opened
    union
    select {{ key_list }}, week_start from tickets_closed

),

joined as (

    select
        {%- for key in keys %}
        keys.{{ key }},
        {%- endfor %}
        keys.week_start,
        coalesce(messages.customer_messages, 0) as customer_messages,
        coalesce(messages.scored_messages, 0) as scored_messages,
        messages.mean_sentiment,
        messages.mean_intensity,
        coalesce(messages.churn_intent_messages, 0) as churn_intent_messages,
        {%- for emotion in var('emotions') %}
        coalesce(messages.share_{{ emotion }}, 0) as share_{{ emotion }},
        {%- endfor %}
        coalesce(engagement.engagement_events, 0) as engagement_events,
        coalesce(surveys.survey_responses, 0) as survey_responses,
        surveys.csat_mean,
        surveys.nps_mean,
        coalesce(tickets_opened.tickets_opened, 0) as tickets_opened,
        coalesce(tickets_closed.tickets_closed, 0) as tickets_closed,
        coalesce(human_dominant.emotion_tag, model_dominant.emotion) as dominant_emotion,
        case
            when human_dominant.emotion_tag is not null then 'human'
            when model_dominant.emotion is not null then 'model'
        end as dominant_source,
        messages.first_message_id,
        messages.last_message_id
    from keys
    left join messages using ({{ key_list }}, week_start)
    left join model_dominant using ({{ key_list }}, week_start)
    left join human_dominant using ({{ key_list }}, week_start)
    left join engagement using ({{ key_list }}, week_start)
    left join surveys using ({{ key_list }}, week_start)
    left join tickets_opened using ({{ key_list }}, week_start)
    left join tickets_closed using ({{ key_list }}, week_start)

),

with_evidence as (

    -- The messages the dominant state rests on: how many, and the first and last of them.
    select
        joined.*,
        coalesce(dominant_counts.messages, 0) as dominant_confidence,
        dominant_counts.first_message_id as dominant_first_message_id,
        dominant_counts.last_message_id as dominant_last_message_id
    from joined
    left join emotion_counts as dominant_counts
        on {% for key in keys %}joined.{{ key }} = dominant_counts.{{ key }} and {% endfor %}joined.week_start = dominant_counts.week_start
        and joined.dominant_emotion = dominant_counts.emotion

)

select * from with_evidence
{% endmacro %}
