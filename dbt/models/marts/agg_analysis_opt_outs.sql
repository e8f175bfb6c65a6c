-- Contacts who opted out of analysis, as numbers only: how many, and how many of their texts and
-- survey comments are withheld from analysis and from the published snapshot. One row.

with

contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

interactions as (

    select * from {{ ref('int_interactions__scored') }}

),

surveys as (

    select * from {{ ref('int_surveys__classified') }}

)

select
    (select count(*) from contacts where is_analysis_opt_out) as opted_out_contacts,
    (select count(*) from interactions where is_analysis_opt_out) as withheld_interactions,
    (
        select count(*)
        from surveys
        inner join contacts on surveys.contact_id = contacts.contact_id
        where contacts.is_analysis_opt_out and nullif(trim(surveys.comment), '') is not null
    ) as withheld_survey_comments
