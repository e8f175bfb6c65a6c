{#- Issue 15's setting tests. -#}

{#- The column sums to `total` (weights that must add up to 100). An empty table fails too. -#}
{% test weights_sum_to(model, column_name, total) %}

select coalesce(sum({{ column_name }}), 0) as total_weight
from {{ model }}
having coalesce(sum({{ column_name }}), 0) != {{ total }}

{% endtest %}

{#- Bands [min_score, max_score) cover 0..100: sorted by min_score, the first starts at 0, each starts
    where the one before ends, the last ends at 100. -#}
{% test bands_cover_0_to_100(model) %}

with ordered as (
    select
        band,
        min_score,
        max_score,
        lag(max_score) over (order by min_score) as previous_max,
        row_number() over (order by min_score) as position,
        count(*) over () as n_bands
    from {{ model }}
),

problems as (
    select band, 'first band does not start at 0' as problem from ordered where position = 1 and min_score != 0
    union all
    select band, 'gap or overlap with the band below' from ordered where position > 1 and min_score != previous_max
    union all
    select band, 'last band does not end at 100' from ordered where position = n_bands and max_score != 100
    union all
    select band, 'empty band' from ordered where max_score <= min_score
    union all
    select 'none', 'no bands' where not exists (select 1 from {{ model }})
)

select * from problems

{% endtest %}

{#- Every row check of one model in one test, so that a build runs one test node per model instead
    of one per column and check (dbt's own cost per test node outweighs these queries' SQL).
    One row per problem found, `problem` naming the check:
      unique           a list of keys, each a list of columns; 'duplicate key (a, b)': one row
                       per combination of the key's columns that occurs more than once (nulls
                       group together, as in unique_combination_of_columns);
      not_null         '<column> is null': one row per row with a null there;
      accepted_values  '<column> not in (...)': one row per row whose value is not listed (nulls pass,
                       as in dbt's accepted_values);
      expressions      'not (<expression>)': one row per row where it is not true (nulls fail, as in
                       expression_is_true).
    The row checks read the model once. -#}
{% test risk_rows(model, unique=[], not_null=[], accepted_values={}, expressions=[]) %}

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
