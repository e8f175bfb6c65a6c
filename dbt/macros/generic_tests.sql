{#-
    The two dbt_utils tests this project needs, written out (dbt deps cannot download anything here),
    and row_checks: all of a model's row checks in one test node.
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

{#- Every row check of one model or seed in one test, so that a build runs one test node per model
    instead of one per column and check (dbt's own cost per test node outweighs these queries' SQL).
    One row per problem found, `problem` naming the check:
      unique           a list of keys, each a list of columns; 'duplicate key (a, b)': one row
                       per combination of the key's columns that occurs more than once (nulls
                       group together, as in unique_combination_of_columns);
      not_null         '<column> is null': one row per row with a null there;
      accepted_values  '<column> not in (...)': one row per row whose value is not listed (nulls pass,
                       as in dbt's accepted_values);
      expressions      'not (<expression>)': one row per row where it is not true (nulls fail, as in
                       expression_is_true).
    The row checks read the model once. Their failures are kept as a view in the dbt_test__audit
    schema, named as the test, which a failing build names ("See test failures: select * from
    ..."): one node holds many checks, and that view says which ones failed, on which rows. -#}
{% test row_checks(model, unique=[], not_null=[], accepted_values={}, expressions=[]) %}

{{ config(store_failures_as='view') }}

{%- set checks = [] -%}
{%- for column in not_null -%}
    {%- do checks.append(("case when " ~ column ~ " is null then '" ~ column ~ " is null' end")) -%}
{%- endfor -%}
{%- for column, values in accepted_values.items() -%}
    {%- set listed = "'" ~ values | join("', '") ~ "'" -%}
    {%- do checks.append(("case when " ~ column ~ " not in (" ~ listed ~ ") then '" ~ column
        ~ " not in (" ~ values | join(", ") ~ ")' end")) -%}
{%- endfor -%}
{%- for expression in expressions -%}
    {%- do checks.append(("case when not coalesce((" ~ expression ~ "), false) then 'not (" ~ expression | replace("'", "''") ~ ")' end")) -%}
{%- endfor %}

{%- set queries = [] -%}
{%- for key in unique -%}
    {%- do queries.append(
        "select 'duplicate key (" ~ key | join(", ") ~ ")' as problem from " ~ model
        ~ " group by " ~ key | join(", ") ~ " having count(*) > 1") -%}
{%- endfor -%}
{%- if checks -%}
    {%- do queries.append(
        "select problem from (select unnest([\n        " ~ checks | join(",\n        ")
        ~ "\n    ]) as problem from " ~ model ~ ") where problem is not null") -%}
{%- endif %}

{{ queries | join('\nunion all\n') }}

{% endtest %}
