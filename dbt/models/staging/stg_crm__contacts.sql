with

source as (

    select * from {{ source('raw', 'contacts') }}

),

renamed as (

    select
        -- ids
        cast(contact_id as varchar) as contact_id,
        cast(account_id as varchar) as account_id,
        -- blank is none, and trimmed as events' contact_external_id is (they are matched)
        nullif(trim(cast(external_id as varchar)), '') as external_id,

        -- descriptors
        email,
        role,

        -- booleans: a missing flag means the contact never opted out
        coalesce(cast(analysis_opt_out as boolean), false) as is_analysis_opt_out,

        -- timestamps
        cast(created_at as timestamp) as created_at,
        _loaded_at as loaded_at,
        _source_file as source_file

    from source

)

select * from renamed
