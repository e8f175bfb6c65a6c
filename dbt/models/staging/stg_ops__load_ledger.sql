with

source as (

    select * from {{ source('ops', 'load_ledger') }}

),

renamed as (

    select
        -- ids
        file_hash,
        file_name,
        entity,
        run_id,

        -- what the file was taken for, and why
        status,
        source as recognized_as,
        recognized_by,
        message,

        -- counts: rows_read = loaded + quarantined + duplicate + superseded
        rows_read,
        rows_loaded,
        rows_quarantined,
        rows_duplicate,
        rows_superseded,
        records_read,
        records_mapped,
        records_skipped,

        -- timestamps
        loaded_at

    from source

)

select * from renamed
