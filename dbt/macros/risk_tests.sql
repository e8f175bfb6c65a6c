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
