{#-
    The one rule for finding a record's account (issue 13): the record's own account, else the
    first of its links that has one. `links` is a list of [label, column] pairs in that order,
    e.g. [['record', 'surveys.account_id'], ['ticket', 'tickets.account_id'], ...]. Yields
    `account_id` and `account_resolved_via` (the label of the link that gave it; null: none did).
-#}
{% macro resolve_account(links) %}
        coalesce({% for label, column in links %}{{ column }}{{ ", " if not loop.last }}{% endfor %}) as account_id,
        case
        {%- for label, column in links %}
            when {{ column }} is not null then '{{ label }}'
        {%- endfor %}
        end as account_resolved_via
{%- endmacro %}
