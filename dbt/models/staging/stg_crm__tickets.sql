with

source as (

    select * from {{ source('raw', 'tickets') }}

),

renamed as (

    select
        -- ids
        cast(ticket_id as varchar) as ticket_id,
        cast(account_id as varchar) as account_id,
        cast(contact_id as varchar) as contact_id,

        -- descriptors
        status,
        priority,
        pipeline,
        stage,

        -- numerics
        cast(reopen_count as integer) as reopen_count,

        -- timestamps
        cast(created_at as timestamp) as created_at,
        cast(first_solved_at as timestamp) as first_solved_at,
        cast(solved_at as timestamp) as solved_at,
        cast(closed_at as timestamp) as closed_at,
        _loaded_at as loaded_at,
        _source_file as source_file

    from source

)

select * from renamed
