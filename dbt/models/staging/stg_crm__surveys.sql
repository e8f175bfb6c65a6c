with

source as (

    select * from {{ source('raw', 'surveys') }}

),

renamed as (

    select
        -- ids
        cast(response_id as varchar) as response_id,
        cast(account_id as varchar) as account_id,
        cast(contact_id as varchar) as contact_id,
        cast(ticket_id as varchar) as ticket_id,
        cast(submission_id as varchar) as submission_id,

        -- descriptors
        survey_type,
        comment,

        -- numerics: every response keeps its own scale
        cast(score as double) as score,
        cast(scale_min as integer) as scale_min,
        cast(scale_max as integer) as scale_max,

        -- timestamps
        cast(responded_at as timestamp) as responded_at,
        _loaded_at as loaded_at,
        _source_file as source_file

    from source

)

select * from renamed
