with

source as (

    select * from {{ source('raw', 'deals') }}

),

renamed as (

    select
        -- ids
        cast(deal_id as varchar) as deal_id,
        cast(account_id as varchar) as account_id,

        -- descriptors
        stage,
        pipeline,
        outcome,
        deal_type,

        -- numerics
        cast(amount as double) as amount,

        -- timestamps
        cast(created_at as timestamp) as created_at,
        cast(closed_at as timestamp) as closed_at,
        cast(close_date as timestamp) as close_date,
        _loaded_at as loaded_at

    from source

)

select * from renamed
