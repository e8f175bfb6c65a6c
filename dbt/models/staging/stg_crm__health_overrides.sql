with

source as (

    select * from {{ source('raw', 'health_overrides') }}

),

renamed as (

    select
        -- ids
        cast(account_id as varchar) as account_id,

        -- numerics
        cast(override_score as double) as override_score,

        -- descriptors
        reason,
        overridden_by,

        -- dates and timestamps
        cast(valid_until as date) as valid_until,
        cast(overridden_at as timestamp) as overridden_at,
        _loaded_at as loaded_at

    from source

)

select * from renamed
