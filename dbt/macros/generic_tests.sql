{#-
    The two dbt_utils tests this project needs, written out (dbt deps cannot download anything here).
-#}

{#- Rows where the expression is not true fail; nulls count as failures too. Model- or column-level. -#}
{% test expression_is_true(model, expression, column_name=none) %}

select *
from {{ model }}
where not coalesce(({{ expression }}), false)

{% endtest %}

{#- Combinations of the listed columns that occur more than once fail. -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

select
    {{ combination_of_columns | join(', ') }},
    count(*) as n_rows
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1

{% endtest %}
