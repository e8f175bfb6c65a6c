{#-
    The scores whose evidence fct_interaction_evidence publishes: each interaction's current score
    (int_interactions__scored holds it with the interaction's account), unless its contact opted
    out of analysis (evidence quotes the text).
-#}
{% macro evidence_scores() %}
select interaction_id, scorer_version, scored_at, account_id
from {{ ref('int_interactions__scored') }}
where scorer_version is not null and not is_analysis_opt_out
{% endmacro %}

{#-
    fct_interaction_evidence's pre-hook on a nightly build: delete the rows of every interaction
    whose published score is no longer a current one with the same account (re-scored, re-linked,
    opted out, or its score gone). Compared per interaction, not per evidence row.
-#}
{% macro evidence_delete_replaced() %}
{%- if is_incremental() %}
delete from {{ this }} where interaction_id in (
    select published.interaction_id
    from (select distinct interaction_id, scorer_version, scored_at, account_id from {{ this }}) as published
    where not exists (
        select 1 from ({{ evidence_scores() }}) as scores
        where scores.interaction_id = published.interaction_id
            and scores.scorer_version = published.scorer_version
            and scores.scored_at = published.scored_at
            and scores.account_id is not distinct from published.account_id
    )
)
{%- endif %}
{% endmacro %}
