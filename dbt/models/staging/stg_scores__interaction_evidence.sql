with

source as (

    select * from {{ source('scores', 'interaction_evidence') }}

),

renamed as (

    select
        -- ids
        cast(interaction_id as varchar) as interaction_id,
        scorer_version,

        -- descriptors
        kind as evidence_kind,
        target as evidence_target,
        text as evidence_text,

        -- numerics
        cast(weight as double) as evidence_weight

    from source

)

select * from renamed
