{#- Evidence in words. -#}

{#- "1 ticket", "3 tickets": a count (SQL) with its noun in the number it takes. -#}
{% macro counted(count_sql, noun, plural_noun=none) %}
    format('{} {}', {{ count_sql }},
        case when {{ count_sql }} = 1 then '{{ noun }}' else '{{ plural_noun or noun ~ "s" }}' end)
{%- endmacro %}
