with

source as (

    select * from {{ source('raw', 'emotion_tags') }}

),

renamed as (

    select
        -- ids: a tag targets one interaction, or a whole account when interaction_id is empty
        cast(interaction_id as varchar) as interaction_id,
        cast(account_id as varchar) as account_id,
        case when interaction_id is not null then 'interaction' else 'account' end as target_type,

        -- descriptors: people type tags by hand, so compare them case- and space-insensitively
        lower(trim(tag)) as emotion_tag,
        tagged_by,

        -- timestamps
        cast(tagged_at as timestamp) as tagged_at,
        _loaded_at as loaded_at

    from source

)

select * from renamed
