{#-
    The seed risk_cue_thresholds as one row with a column per cue (issue 15):
    `cross join ({{ cue_thresholds() }}) as thresholds`, then `thresholds.engagement_drop_pct`.
-#}
{% macro cue_thresholds() %}
    select
        {%- for cue in ['engagement_drop_pct', 'engagement_baseline_min_events', 'demo_lift_pct',
                        'unresolved_ticket_age_days', 'unresolved_tickets_min', 'our_reply_hours',
                        'customer_reply_hours', 'silent_days'] %}
        max(threshold) filter (where cue = '{{ cue }}') as {{ cue }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ ref('risk_cue_thresholds') }}
{% endmacro %}

{#- Percent change of a recent count against its baseline scaled to the recent window; null when
    the baseline is below `min_events`. -#}
{% macro pct_change_vs_baseline(recent, baseline, min_events) %}
    case
        when coalesce(({{ baseline }}), 0) >= {{ min_events }} and ({{ baseline }}) > 0
            then 100.0 * (coalesce(({{ recent }}), 0) - ({{ baseline }}) * {{ var('cue_recent_days') }} / {{ var('cue_baseline_days') }})
                / (({{ baseline }}) * {{ var('cue_recent_days') }} / {{ var('cue_baseline_days') }})
    end
{% endmacro %}

{#- In int_accounts__snapshots: the signal day lies in the `days` days before the snapshot. -#}
{% macro risk_signal_in_window(days) -%}
    signals.signal_date >= spine.as_of_date - {{ days }}
{%- endmacro %}
