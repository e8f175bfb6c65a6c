with

source as (

    select * from {{ source('raw', 'pipeline_stages') }}

),

renamed as (

    select
        -- ids (the object whose pipeline it is, a pipeline's and a stage's, as the CRM names them)
        object,
        cast(pipeline as varchar) as pipeline,
        cast(stage as varchar) as stage,

        -- descriptors
        pipeline_label,
        stage_label,

        -- booleans and numerics
        cast(is_closed as boolean) as is_closed,
        cast(win_probability as double) as win_probability,

        _loaded_at as loaded_at

    from source

)

select * from renamed
