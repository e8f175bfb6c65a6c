{#- Each record's stage in the CRM's pipelines (stg_crm__pipeline_stages of `object`, deals or
    tickets), for the records (a CTE with `key`, `stage` and `pipeline`) whose export named a
    stage that says neither closed nor open: by the stage's id or name, in the record's pipeline
    (by id or name) or, where the record names none, in any. One row per record that names a
    known stage, with what every stage it may be agrees on: `is_closed` (all closed), `is_open`
    (none closed), and for deals `closed_outcome` (won where all win, lost where none may). -#}
{% macro stage_in_pipelines(records, key, object) %}
    select
        {{ records }}.{{ key }},
        bool_and(coalesce(stages.is_closed, false)) as is_closed,
        not bool_or(coalesce(stages.is_closed, false)) as is_open,
        case
            when min(stages.win_probability) >= 1 then 'won'
            when max(stages.win_probability) <= 0 then 'lost'
        end as closed_outcome
    from {{ records }}
    inner join {{ ref('stg_crm__pipeline_stages') }} as stages
        on stages.object = '{{ object }}'
        and ({{ records }}.stage = stages.stage or lower({{ records }}.stage) = lower(stages.stage_label))
        and (
            {{ records }}.pipeline is null
            or {{ records }}.pipeline = stages.pipeline
            or lower({{ records }}.pipeline) = lower(stages.pipeline_label)
        )
    group by 1
{% endmacro %}
