-- Churn risk now, one row per active account: `churn_risk_higher_riskier` (0-100: the model's
-- probability of a churn within `churn_horizon_days`, in percent), its band (seed
-- churn_risk_bands), and its top three reasons in words a CSM can say out loud. A reason is a model
-- term that raises the risk (positive contribution to the log-odds) and whose value is a warning
-- sign (tickets stale, usage down, churn words written...); the three largest are kept.

{%- set recent = var('cue_recent_days') -%}
{%- set baseline = var('cue_baseline_days') %}

with

scored as (

    select * from {{ ref('int_accounts__churn_risk_scored') }}
    where is_latest

),

terms as (

    -- the model's terms of the latest snapshots (macros/risk_churn_terms.sql)
    {{ churn_risk_terms('recomputed.is_latest') | indent(4) }}

),

snapshots as (

    -- the evidence's columns only: this CTE is read several times, so DuckDB stores what it selects
    select
        account_id, as_of_date, stale_tickets, unresolved_tickets, oldest_unresolved_ticket_days,
        churn_intent_90d, billing_concern_90d, negative_texts_90d, customer_texts_90d,
        last_customer_message_at, our_reply_hours_sum_90d, our_replies_90d,
        customer_reply_hours_sum_90d, customer_replies_90d, logins_recent, feature_uses_recent,
        logins_baseline, feature_uses_baseline, email_opens_recent, email_clicks_recent,
        email_opens_baseline, email_clicks_baseline, next_renewal_date, last_churn_intent_id,
        last_survey_response_id
    from {{ ref('int_accounts__snapshots') }}
    where is_latest

),

thresholds as (

    {{ cue_thresholds() }}

),

interactions as (

    -- When the churn message was written: read apart from its body, the warehouse's widest
    -- column, which a scan would otherwise read for every message to keep a few hundred.
    select interaction_id, occurred_at from {{ ref('int_interactions__scored') }}
    where interaction_id in (select last_churn_intent_id from snapshots)

),

churn_phrases as (

    -- The words that raised churn_intent, as the scorer's evidence quotes them.
    select
        interaction_id,
        min(regexp_extract(evidence_text, '''([^'']+)''', 1)) as phrase
    from {{ ref('stg_scores__interaction_evidence') }}
    where evidence_target = 'churn_intent'
        and interaction_id in (select last_churn_intent_id from snapshots)
    group by interaction_id

),

openings as (

    -- The opening words of a churn message without evidence (usually none: then no body is read).
    select interaction_id, left(body, 60) as opening from {{ ref('int_interactions__scored') }}
    where interaction_id in (
        select last_churn_intent_id from snapshots
        where last_churn_intent_id not in (select interaction_id from churn_phrases)
    )

),

surveys as (

    select response_id, survey_type, score, scale_max, responded_at
    from {{ ref('int_surveys__classified') }}

),

bands as (

    select * from {{ ref('churn_risk_bands') }}

),

accounts as (

    select * from {{ ref('dim_accounts') }}

),

health as (

    select account_id, health_higher_healthier, health_band, effective_health_higher_healthier, effective_health_band
    from {{ ref('fct_account_health') }}

),

evidence as (

    select
        snapshots.account_id,
        snapshots.as_of_date,
        snapshots.stale_tickets,
        snapshots.unresolved_tickets,
        snapshots.oldest_unresolved_ticket_days,
        snapshots.churn_intent_90d,
        snapshots.billing_concern_90d,
        snapshots.negative_texts_90d,
        snapshots.customer_texts_90d,
        date_diff('day', cast(snapshots.last_customer_message_at as date), snapshots.as_of_date) as days_silent,
        snapshots.our_reply_hours_sum_90d / nullif(snapshots.our_replies_90d, 0) as our_reply_hours,
        snapshots.customer_reply_hours_sum_90d / nullif(snapshots.customer_replies_90d, 0) as customer_reply_hours,
        coalesce(snapshots.logins_recent, 0) + coalesce(snapshots.feature_uses_recent, 0) as usage_recent,
        (coalesce(snapshots.logins_baseline, 0) + coalesce(snapshots.feature_uses_baseline, 0)) * {{ recent }} / {{ baseline }} as usage_expected,
        coalesce(snapshots.email_opens_recent, 0) + coalesce(snapshots.email_clicks_recent, 0) as email_recent,
        (coalesce(snapshots.email_opens_baseline, 0) + coalesce(snapshots.email_clicks_baseline, 0)) * {{ recent }} / {{ baseline }} as email_expected,
        snapshots.next_renewal_date,
        churn_message.occurred_at as churn_intent_at,
        coalesce(churn_phrases.phrase, openings.opening) as churn_intent_phrase,
        surveys.survey_type as last_survey_type,
        surveys.score as last_survey_score,
        surveys.scale_max as last_survey_scale_max,
        surveys.responded_at as last_survey_at,
        thresholds.unresolved_ticket_age_days
    from snapshots
    cross join thresholds
    left join interactions as churn_message
        on snapshots.last_churn_intent_id = churn_message.interaction_id
    left join churn_phrases
        on snapshots.last_churn_intent_id = churn_phrases.interaction_id
    left join openings
        on snapshots.last_churn_intent_id = openings.interaction_id
    left join surveys
        on snapshots.last_survey_response_id = surveys.response_id

),

reasons as (

    select
        terms.account_id,
        terms.feature,
        terms.contribution,
        case terms.feature
            when 'f_stale_tickets' then format('{} unresolved for over {:.0f} days',
                {{ counted('evidence.stale_tickets', 'ticket') }}, evidence.unresolved_ticket_age_days)
            when 'f_unresolved_tickets' then format('{} unresolved, the oldest opened {} days ago',
                {{ counted('evidence.unresolved_tickets', 'ticket') }}, evidence.oldest_unresolved_ticket_days)
            when 'f_churn_intent_90d' then
                case when evidence.churn_intent_phrase is not null
                    then format('wrote ''{}'' on {}', evidence.churn_intent_phrase, strftime(evidence.churn_intent_at, '%-d %b'))
                    else format('spoke of leaving {} in 90 days', {{ counted('evidence.churn_intent_90d', 'time') }})
                end
            when 'f_billing_concern_90d' then format('raised billing concerns {} in 90 days',
                {{ counted('evidence.billing_concern_90d', 'time') }})
            when 'f_usage_change' then
                case when evidence.usage_expected > 0
                    then format('logins and feature use down {:.0f}% against their {}-day baseline',
                        100 * (1 - evidence.usage_recent / evidence.usage_expected), {{ baseline }})
                    else format('no logins or feature use in {} days', {{ recent }})
                end
            when 'f_email_change' then
                case when evidence.email_expected > 0
                    then format('e-mail opens and clicks down {:.0f}% against their {}-day baseline',
                        100 * (1 - evidence.email_recent / evidence.email_expected), {{ baseline }})
                    else format('opened none of our e-mails in {} days', {{ recent }})
                end
            when 'f_negative_share_90d' then format('{} of their {} in 90 days read negative',
                evidence.negative_texts_90d, {{ counted('evidence.customer_texts_90d', 'message') }})
            when 'f_sentiment_trend' then 'their tone turned more negative in the last 30 days'
            when 'f_days_silent' then
                coalesce(format('no word from them for {} days', evidence.days_silent), 'they have never written to us')
            when 'f_our_reply_log_hours' then format('our replies took {:.0f} hours on average', evidence.our_reply_hours)
            when 'f_customer_reply_log_hours' then format('they take {:.0f} hours to answer us', evidence.customer_reply_hours)
            when 'f_survey_gap' then format('last {} answer {:.0f} of {} on {}', upper(evidence.last_survey_type),
                evidence.last_survey_score, evidence.last_survey_scale_max, strftime(evidence.last_survey_at, '%-d %b'))
            when 'f_downgraded_180d' then 'downgraded in the last 6 months'
            when 'f_lost_deal_180d' then 'lost a deal in the last 6 months'
            when 'f_renewal_due' then format('renewal due on {}', strftime(evidence.next_renewal_date, '%-d %b %Y'))
        end as reason
    from terms
    inner join scored
        on terms.account_id = scored.account_id
        and terms.as_of_date = scored.as_of_date
    inner join evidence
        on terms.account_id = evidence.account_id
    -- A reason moves the log-odds by at least 0.1 (about 10% of the odds).
    where terms.contribution >= 0.1
        -- the value is a warning sign, not the absence of a good one
        and case terms.feature
            when 'f_usage_change' then terms.feature_value < 0
            when 'f_email_change' then terms.feature_value < 0
            when 'f_sentiment_trend' then terms.feature_value < 0
            when 'f_praise_90d' then false
            when 'f_days_silent' then terms.feature_value >= 14
            when 'f_our_reply_log_hours' then evidence.our_reply_hours is not null
            when 'f_customer_reply_log_hours' then evidence.customer_reply_hours is not null
            when '(intercept)' then false
            else terms.feature_value > 0
        end

),

top_reasons as (

    select
        account_id,
        -- Ties (equal contributions, to float noise) go by feature name: the same reasons every build.
        list(reason order by round(contribution, 9) desc, feature)[1:3] as reasons,
        list(feature order by round(contribution, 9) desc, feature)[1:3] as reason_features
    from reasons
    group by account_id

),

models as (

    -- Which model scored a date: fitted on this warehouse's history, or the starting weights.
    select
        cast(fit_as_of as date) as fit_as_of,
        case when max(n_train) = 0 then 'starting weights' else 'fitted' end as churn_model
    from {{ ref('int_churn_model__fits') }}
    group by 1

),

final as (

    select
        scored.account_id,
        accounts.name as account_name,
        accounts.owner,
        accounts.plan,
        accounts.region,
        accounts.lifecycle_stage,
        accounts.emotional_segment,
        accounts.mrr,
        accounts.renewal_date,
        accounts.current_emotion,
        scored.as_of_date,
        scored.fit_as_of,
        models.churn_model,
        scored.churn_risk_higher_riskier,
        bands.band as churn_risk_band,
        top_reasons.reasons[1] as reason_1,
        top_reasons.reasons[2] as reason_2,
        top_reasons.reasons[3] as reason_3,
        top_reasons.reason_features,
        health.health_higher_healthier,
        health.health_band,
        health.effective_health_higher_healthier,
        health.effective_health_band
    from scored
    left join top_reasons
        on scored.account_id = top_reasons.account_id
    -- Only accounts the CRM knows: messages can name an account whose record never arrived.
    inner join accounts
        on scored.account_id = accounts.account_id
    left join health
        on scored.account_id = health.account_id
    left join models
        on scored.fit_as_of = models.fit_as_of
    left join bands
        on scored.churn_risk_higher_riskier >= bands.min_score
        and (scored.churn_risk_higher_riskier < bands.max_score or bands.max_score = 100)

)

select * from final
