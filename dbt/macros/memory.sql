{#-
    Emotional memory (issue 16): how its incremental models know what to rebuild.

    Every incremental memory model stores `loaded_through`, the newest load time of its inputs when
    the row was built. A nightly build rebuilds every week from the earliest week that a row loaded
    (or scored, or tagged) since then touches, for every account, so late and corrected data is
    rebuilt too and a nightly build gives what a full build gives. Weeks before it are kept.
-#}

{#- The newest load time of everything the weekly timeline reads. -#}
{% macro memory_loaded_through() %}
    greatest(
        (select max(loaded_at) from {{ ref('stg_crm__interactions') }}),
        (select max(scored_at) from {{ source('scores', 'interaction_scores') }}),
        (select max(loaded_at) from {{ ref('stg_crm__emotion_tags') }}),
        (select max(loaded_at) from {{ ref('stg_crm__engagement_events') }}),
        (select max(loaded_at) from {{ ref('stg_crm__surveys') }}),
        (select max(loaded_at) from {{ ref('stg_crm__tickets') }}),
        (select max(loaded_at) from {{ ref('stg_crm__contacts') }})
    )
{% endmacro %}

{#- The Monday of the earliest week that rows loaded after `relation`'s newest `loaded_through`
    touch (a far-future date when nothing is new). A ticket counts from its creation (its
    resolution may have moved), a contact or score from its messages, a tag from its message
    (an account tag from when it was given). -#}
{% macro memory_rebuild_from(relation) %}
    {#- the watermark as a literal: scanned once, and the filters below can prune on it -#}
    {%- set since = memory_literal("select coalesce(max(loaded_through), timestamp '1900-01-01') from " ~ relation, 'timestamp') -%}
    coalesce(cast(date_trunc('week', least(
        (select min(occurred_at) from {{ ref('stg_crm__interactions') }} where loaded_at > {{ since }}),
        (
            select min(interactions.occurred_at)
            from {{ source('scores', 'interaction_scores') }} as scores
            inner join {{ ref('stg_crm__interactions') }} as interactions
                on scores.interaction_id = interactions.interaction_id
            where scores.scored_at > {{ since }}
        ),
        (
            select min(coalesce(interactions.occurred_at, tags.tagged_at))
            from {{ ref('stg_crm__emotion_tags') }} as tags
            left join {{ ref('stg_crm__interactions') }} as interactions
                on tags.interaction_id = interactions.interaction_id
            where tags.loaded_at > {{ since }}
        ),
        (
            select min(interactions.occurred_at)
            from {{ ref('stg_crm__contacts') }} as contacts
            inner join {{ ref('stg_crm__interactions') }} as interactions
                on contacts.contact_id = interactions.contact_id
            where contacts.loaded_at > {{ since }}
        ),
        (select min(occurred_at) from {{ ref('stg_crm__engagement_events') }} where loaded_at > {{ since }}),
        (select min(responded_at) from {{ ref('stg_crm__surveys') }} where loaded_at > {{ since }}),
        (select min(created_at) from {{ ref('stg_crm__tickets') }} where loaded_at > {{ since }})
    )) as date), date '9999-12-31')
{% endmacro %}

{#- What a weekly facts model builds, reckoned in one query before it builds: [the week it
    rebuilds from (a date literal), the load time its rows record (a timestamp literal)]. On a full
    build (`relation` none), from the start. -#}
{% macro memory_build_window(relation) %}
    {%- if not execute -%}
        {#- parsing: render both queries once, so dbt sees the models they read -#}
        {%- do memory_rebuild_from(this) -%}
        {%- do memory_loaded_through() -%}
        {{ return(["date '1900-01-01'", "timestamp '1900-01-01'"]) }}
    {%- endif -%}
    {%- set since = memory_rebuild_from(relation) if relation is not none else "date '1900-01-01'" -%}
    {%- set row = run_query(
        "select cast((" ~ since ~ ") as varchar), cast((" ~ memory_loaded_through() ~ ") as varchar)"
    ).rows[0] -%}
    {{ return(["date '" ~ row[0] ~ "'", "cast(null as timestamp)" if row[1] is none else "timestamp '" ~ row[1] ~ "'"]) }}
{% endmacro %}

{#- The week a marts model rebuilds from: the earliest week its weekly input rewrote since the
    model's own newest `loaded_through`. -#}
{% macro memory_rebuilt_weeks_from(weeks_relation, relation) %}
    coalesce(
        (
            select min(week_start) from {{ weeks_relation }}
            where loaded_through > (
                select coalesce(max(loaded_through), timestamp '1900-01-01') from {{ relation }}
            )
        ),
        date '9999-12-31'
    )
{% endmacro %}

{#- A SQL expression's value, run once now, as a SQL literal: a date or timestamp that the
    filters it goes into can prune on. (At parse time, when nothing runs, a placeholder.) -#}
{% macro memory_literal(sql_expression, type='date') %}
    {%- if not execute -%}
        {{ return(type ~ " '1900-01-01'") }}
    {%- endif -%}
    {%- set value = run_query("select cast((" ~ sql_expression ~ ") as varchar)").columns[0].values()[0] -%}
    {{ return("cast(null as " ~ type ~ ")" if value is none else type ~ " '" ~ value ~ "'") }}
{% endmacro %}

{#- Monday of the week of a timestamp, as a date. -#}
{% macro week_of(ts) -%}
    cast(date_trunc('week', {{ ts }}) as date)
{%- endmacro %}
