with

source as (

    select * from {{ source('raw', 'quarantine') }}

),

renamed as (

    select
        source_file,
        entity,
        row_number,
        column_name,
        reason,
        raw_row,
        quarantined_at

    from source

)

select * from renamed
