{#- The emotion taxonomy of ARCHITECTURE.md, kept in the project vars so SQL and docs share it. -#}
{% macro emotion_list_sql(names=none) -%}
    {%- set names = names if names is not none else var('emotions') -%}
    {%- for name in names -%}
        '{{ name }}'{{ ", " if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
