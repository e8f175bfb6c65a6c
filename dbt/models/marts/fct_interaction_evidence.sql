-- Why each current score came out as it did: the evidence rows of the scorer version that
-- fct_interactions shows (older versions' evidence is left out). Evidence quotes the text, so
-- none is published for a contact who opted out of analysis. Each row carries its interaction's
-- account, so the Account page reads one account's evidence without scanning everyone's.
--
-- Incremental: the evidence is most of the warehouse's rows (several per message), and a night
-- changes few of them. The pre-hook deletes the rows of every interaction whose published score
-- is no longer its current one (re-scored: a new scored_at or version), whose account changed, or
-- whose contact opted out; the model appends the evidence of each current score that has no rows
-- left, new ones included. Every other row is kept as it is, so a night equals a full build.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{{ evidence_delete_replaced() }}",
) }}

with

evidence as (

    select * from {{ ref('stg_scores__interaction_evidence') }}

),

scores as (

    {{ evidence_scores() | indent(4) }}

),

{% if is_incremental() -%}
-- The current scores with no rows left after the pre-hook: new, re-scored, re-linked. Found
-- first, so that the evidence is only probed for them.
missing as materialized (

    select * from scores
    where interaction_id not in (select interaction_id from {{ this }})

),

{% endif -%}
to_publish as (

    select * from {{ 'missing' if is_incremental() else 'scores' }}

)

select
    evidence.interaction_id,
    to_publish.account_id,
    evidence.scorer_version,
    evidence.evidence_kind,
    evidence.evidence_target,
    evidence.evidence_text,
    evidence.evidence_weight,
    to_publish.scored_at
from evidence
inner join to_publish
    on evidence.interaction_id = to_publish.interaction_id
    and evidence.scorer_version = to_publish.scorer_version
