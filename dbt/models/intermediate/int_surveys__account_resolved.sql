-- Every survey response with its account. An answer that is part of a submission (Salesforce's
-- SurveyQuestionResponse) takes the submission's contact and ticket where it names none; then
-- the account is its own, else the submission's, its ticket's, or its contact's company.

with

surveys as (

    select * from {{ ref('stg_crm__surveys') }}

),

submissions as (

    select * from {{ ref('stg_crm__survey_submissions') }}

),

tickets as (

    select * from {{ ref('int_tickets__account_resolved') }}

),

contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

linked as (

    select
        surveys.* replace (
            coalesce(surveys.contact_id, submissions.contact_id) as contact_id,
            coalesce(surveys.ticket_id, submissions.ticket_id) as ticket_id
        ),
        submissions.account_id as submission_account_id

    from surveys
    left join submissions
        on surveys.submission_id = submissions.submission_id

),

resolved as (

    select
        linked.* exclude (account_id, submission_account_id),
        {{ resolve_account([
            ['record', 'linked.account_id'],
            ['submission', 'linked.submission_account_id'],
            ['ticket', 'tickets.account_id'],
            ['contact', 'contacts.account_id'],
        ]) }}

    from linked
    left join tickets
        on linked.ticket_id = tickets.ticket_id
    left join contacts
        on linked.contact_id = contacts.contact_id

)

select * from resolved
