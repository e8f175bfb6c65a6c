with

source as (

    select * from {{ source('raw', 'account_events') }}

),

renamed as (

    select
        -- ids
        cast(account_id as varchar) as account_id,

        -- descriptors: `event` is renamed, it reads as a keyword in SQL
        event as event_type,

        -- numerics
        cast(mrr_delta as double) as mrr_delta,

        -- timestamps
        cast(occurred_at as timestamp) as occurred_at,
        _loaded_at as loaded_at

    from source

)

select * from renamed
