with

source as (

    select * from {{ source('raw', 'accounts') }}

),

renamed as (

    select
        -- ids
        cast(account_id as varchar) as account_id,

        -- descriptors
        name as account_name,
        industry,
        plan,
        region,
        lifecycle_stage,
        owner,

        -- numerics
        cast(mrr as double) as mrr,

        -- dates and timestamps
        cast(renewal_date as date) as renewal_date,
        cast(created_at as timestamp) as created_at,
        _loaded_at as loaded_at

    from source

)

select * from renamed
