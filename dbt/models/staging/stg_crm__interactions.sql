with

source as (

    select * from {{ source('raw', 'interactions') }}

),

renamed as (

    select
        -- ids
        cast(interaction_id as varchar) as interaction_id,
        cast(account_id as varchar) as account_id,
        cast(contact_id as varchar) as contact_id,
        cast(ticket_id as varchar) as ticket_id,
        cast(author_id as varchar) as author_id,

        -- descriptors
        channel,
        direction,
        author_type,
        subject,
        body,

        -- timestamps
        cast(occurred_at as timestamp) as occurred_at,
        _loaded_at as loaded_at,
        _source_file as source_file

    from source

)

select * from renamed
