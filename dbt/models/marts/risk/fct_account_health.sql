-- Relationship health 0-100 (higher = healthier), one row per active account as of the latest
-- snapshot: six components, each 0-100, weighted by the seed health_weights (the weights sum to
-- 100, a test) into `health_higher_healthier`, banded by the seed health_bands. Components:
--   sentiment      50 * (1 + average compound of the customer's texts in 90 days); 50 with no text;
--   emotion_trend  50 + 100 * (30-day average compound - the 60 days before), clipped to 0..100;
--                  50 where either window has no text;
--   engagement     100 + the engagement change in % against the account's baseline, clipped to
--                  0..100 (no drop: 100); 50 without enough baseline;
--   support        100 - 15 per unresolved ticket - 25 per stale ticket - 20 when our replies are
--                  slow, floored at 0;
--   surveys        100 * the latest survey answer on its own scale; 50 with no answer;
--   commercial     100 - 40 after a downgrade, - 30 after a lost deal (180 days), - 30 after churn
--                  intent (90 days), floored at 0.
-- A person's override (value, who, why, until) sits beside the computed score, never in it:
-- `effective_health_higher_healthier` takes the override while it holds. Which override holds:
-- two sources, one timeline per account, the latest entry (by overridden_at) wins:
--   app     the dashboard's app state (stg_crm__health_overrides): a CSM sets or clears it;
--   seed    health_overrides.csv: analysts' bulk overrides, kept for them (they have no clear:
--           delete the row, or a later clear in the dashboard takes it back).
-- A latest entry that is a clear (no value), or whose valid_until day has passed, leaves the
-- account without an override: an expired override stops applying, and an older one does not
-- come back in its place. (Computed here, not in a model of its own: this is its one reader, and
-- a model costs a nightly build about 0.1 s of dbt's own work whatever its size.)

with

cues as (

    select * from {{ ref('fct_account_cues_weekly') }}
    where is_latest_week

),

snapshots as (

    select account_id, compound_sum_30d, customer_texts_30d, compound_sum_90d, customer_texts_90d,
        downgrades_180d, lost_deals_180d
    from {{ ref('int_accounts__snapshots') }}
    where is_latest

),

weights as (

    select
        {%- for component in ['sentiment', 'emotion_trend', 'engagement', 'support', 'surveys', 'commercial'] %}
        coalesce(max(weight) filter (where component = '{{ component }}'), 0) as w_{{ component }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ ref('health_weights') }}

),

bands as (

    select * from {{ ref('health_bands') }}

),

override_entries as (

    select account_id, override_score, reason, valid_until, overridden_by, overridden_at,
        'app' as override_source
    from {{ ref('stg_crm__health_overrides') }}
    union all
    select account_id, override_score, reason, valid_until, overridden_by, overridden_at,
        'seed' as override_source
    from {{ ref('health_overrides') }}

),

overrides as (

    -- the override that holds now: the account's latest entry, if it sets a value still valid
    select *
    from override_entries
    -- seed rows without a time are the oldest; on a tie the app's entry wins
    qualify row_number() over (
        partition by account_id
        order by overridden_at desc nulls last, override_source, overridden_by
    ) = 1
        and override_score is not null
        and (valid_until is null or valid_until >= current_date)

),

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

components as (

    select
        cues.account_id,
        cues.as_of_date,
        -- (literals cast to double: DuckDB reads 100.0 as a decimal)
        case
            when snapshots.customer_texts_90d > 0
                then 50.0::double * (1 + snapshots.compound_sum_90d / snapshots.customer_texts_90d)
            else 50.0::double
        end as sentiment_component,
        case
            when snapshots.customer_texts_30d > 0 and snapshots.customer_texts_90d > snapshots.customer_texts_30d
                then greatest(0.0::double, least(100.0::double, 50.0::double + 100.0::double * (
                    snapshots.compound_sum_30d / snapshots.customer_texts_30d
                    - (snapshots.compound_sum_90d - snapshots.compound_sum_30d)
                        / (snapshots.customer_texts_90d - snapshots.customer_texts_30d)
                )))
            else 50.0::double
        end as emotion_trend_component,
        coalesce(greatest(0.0::double, least(100.0::double, 100.0::double + cues.engagement_change_pct)), 50.0::double) as engagement_component,
        greatest(
            0.0::double,
            100.0::double - 15.0::double * cues.unresolved_tickets - 25.0::double * cues.stale_tickets
            - case when cues.cue_slow_reply then 20.0::double else 0.0::double end
        ) as support_component,
        coalesce(100.0::double * cues.last_survey_score_normalized, 50.0::double) as surveys_component,
        greatest(
            0.0::double,
            100.0::double
            - case when coalesce(snapshots.downgrades_180d, 0) > 0 then 40.0::double else 0.0::double end
            - case when coalesce(snapshots.lost_deals_180d, 0) > 0 then 30.0::double else 0.0::double end
            - case when cues.churn_intent_90d > 0 then 30.0::double else 0.0::double end
        ) as commercial_component
    from cues
    left join snapshots
        on cues.account_id = snapshots.account_id

),

scored as (

    select
        components.*,
        (
            weights.w_sentiment * sentiment_component
            + weights.w_emotion_trend * emotion_trend_component
            + weights.w_engagement * engagement_component
            + weights.w_support * support_component
            + weights.w_surveys * surveys_component
            + weights.w_commercial * commercial_component
        ) / nullif(
            weights.w_sentiment + weights.w_emotion_trend + weights.w_engagement
            + weights.w_support + weights.w_surveys + weights.w_commercial, 0
        ) as health_higher_healthier
    from components
    cross join weights

),

final as (

    select
        scored.account_id,
        accounts.account_name,
        accounts.owner,
        accounts.plan,
        accounts.region,
        accounts.lifecycle_stage,
        accounts.mrr,
        accounts.renewal_date,
        scored.as_of_date,
        scored.health_higher_healthier,
        computed_band.band as health_band,
        scored.sentiment_component,
        scored.emotion_trend_component,
        scored.engagement_component,
        scored.support_component,
        scored.surveys_component,
        scored.commercial_component,
        overrides.override_score,
        overrides.overridden_by,
        overrides.reason as override_reason,
        overrides.overridden_at,
        overrides.valid_until as override_valid_until,
        overrides.override_source,
        overrides.override_score is not null as is_overridden,
        coalesce(overrides.override_score, scored.health_higher_healthier) as effective_health_higher_healthier,
        coalesce(override_band.band, computed_band.band) as effective_health_band
    from scored
    left join accounts
        on scored.account_id = accounts.account_id
    left join bands as computed_band
        on scored.health_higher_healthier >= computed_band.min_score
        and (scored.health_higher_healthier < computed_band.max_score or computed_band.max_score = 100)
    left join overrides
        on scored.account_id = overrides.account_id
    left join bands as override_band
        on overrides.override_score >= override_band.min_score
        and (overrides.override_score < override_band.max_score or override_band.max_score = 100)

)

select * from final
