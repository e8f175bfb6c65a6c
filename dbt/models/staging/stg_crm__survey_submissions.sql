with

source as (

    select * from {{ source('raw', 'survey_submissions') }}

),

renamed as (

    select
        -- ids
        cast(submission_id as varchar) as submission_id,
        cast(account_id as varchar) as account_id,
        cast(contact_id as varchar) as contact_id,
        cast(ticket_id as varchar) as ticket_id,

        -- timestamps
        cast(submitted_at as timestamp) as submitted_at,
        _loaded_at as loaded_at,
        _source_file as source_file

    from source

)

select * from renamed
