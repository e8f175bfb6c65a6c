with

source as (

    select * from {{ source('raw', 'action_decisions') }}

),

renamed as (

    select
        -- ids
        cast(action_id as varchar) as action_id,
        cast(account_id as varchar) as account_id,

        -- descriptors
        decision,
        note,
        decided_by,

        -- dates and timestamps
        cast(snoozed_until as date) as snoozed_until,
        cast(decided_at as timestamp) as decided_at,
        _loaded_at as loaded_at

    from source

)

select * from renamed
