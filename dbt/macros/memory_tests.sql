{#- Exactly one row per key carries `flag` (a timeline's latest week, a current stage). -#}
{% test one_latest_week_per_key(model, key, flag='is_latest_week') %}
    select {{ key }}, count(*) filter (where {{ flag }}) as flagged
    from {{ model }}
    group by {{ key }}
    having count(*) filter (where {{ flag }}) != 1
{% endtest %}

{#- Every key has at least `min_messages` scored messages over its rows. -#}
{% test min_messages_per_key(model, key, min_messages) %}
    select {{ key }}, sum(scored_messages) as messages
    from {{ model }}
    group by {{ key }}
    having sum(scored_messages) < {{ min_messages }}
{% endtest %}
