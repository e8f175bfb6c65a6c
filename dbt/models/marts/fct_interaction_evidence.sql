-- Why each current score came out as it did: the evidence rows of the scorer version that
-- fct_interactions shows (older versions' evidence is left out). Evidence quotes the text, so
-- none is published for a contact who opted out of analysis.

with

evidence as (

    select * from {{ ref('stg_scores__interaction_evidence') }}

),

current_scores as (

    select interaction_id, scorer_version from {{ ref('stg_scores__interaction_scores') }}

),

opted_out_interactions as (

    select interaction_id from {{ ref('int_interactions__scored') }}
    where is_analysis_opt_out

)

select
    evidence.interaction_id,
    evidence.scorer_version,
    evidence.evidence_kind,
    evidence.evidence_target,
    evidence.evidence_text,
    evidence.evidence_weight
from evidence
inner join current_scores
    on evidence.interaction_id = current_scores.interaction_id
    and evidence.scorer_version = current_scores.scorer_version
where not exists (
    select 1 from opted_out_interactions
    where opted_out_interactions.interaction_id = evidence.interaction_id
)
