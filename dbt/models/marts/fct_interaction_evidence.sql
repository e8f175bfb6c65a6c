-- Why each current score came out as it did: the evidence rows of the scorer version that
-- fct_interactions shows (older versions' evidence is left out). Evidence quotes the text, so
-- none is published for a contact who opted out of analysis. Each row carries its interaction's
-- account, so the Account page reads one account's evidence without scanning everyone's.

with

evidence as (

    select * from {{ ref('stg_scores__interaction_evidence') }}

),

current_scores as (

    select interaction_id, scorer_version from {{ ref('stg_scores__interaction_scores') }}

),

interactions as (

    select interaction_id, account_id, is_analysis_opt_out
    from {{ ref('int_interactions__scored') }}

)

select
    evidence.interaction_id,
    interactions.account_id,
    evidence.scorer_version,
    evidence.evidence_kind,
    evidence.evidence_target,
    evidence.evidence_text,
    evidence.evidence_weight
from evidence
inner join current_scores
    on evidence.interaction_id = current_scores.interaction_id
    and evidence.scorer_version = current_scores.scorer_version
left join interactions
    on evidence.interaction_id = interactions.interaction_id
where not coalesce(interactions.is_analysis_opt_out, false)
