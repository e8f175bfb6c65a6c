with

source as (

    select * from {{ source('raw', 'engagement_events') }}

),

renamed as (

    select
        -- ids
        cast(event_id as varchar) as event_id,
        cast(account_id as varchar) as account_id,
        cast(contact_id as varchar) as contact_id,
        -- e-mail addresses are matched without case (the contacts' too)
        nullif(lower(trim(contact_email)), '') as contact_email,
        nullif(trim(contact_external_id), '') as contact_external_id,

        -- descriptors
        event_type,

        -- timestamps
        cast(occurred_at as timestamp) as occurred_at,
        _loaded_at as loaded_at

    from source

)

select * from renamed
