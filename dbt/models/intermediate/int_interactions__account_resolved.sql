-- Every interaction with its account and its author resolved through the links it carries.
--
-- Account: the message's own, else its ticket's (itself resolved through the requester), else
-- its contact's company. Author: where the export names only the author's id (Zendesk comment
-- events), the author is the customer when that id is the ticket's requester or a known contact,
-- and otherwise one of our agents; direction follows the author.

with

interactions as (

    select * from {{ ref('stg_crm__interactions') }}

),

tickets as (

    select * from {{ ref('int_tickets__account_resolved') }}

),

contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

authored as (

    select
        interactions.* exclude (author_type, direction, contact_id),
        coalesce(
            interactions.author_type,
            case
                when interactions.author_id is null then null
                when interactions.author_id = tickets.contact_id then 'customer'
                when author_contacts.contact_id is not null then 'customer'
                else 'agent'
            end
        ) as author_type,
        interactions.direction as given_direction,
        interactions.contact_id as given_contact_id,
        tickets.account_id as ticket_account_id,
        tickets.contact_id as ticket_contact_id

    from interactions
    left join tickets
        on interactions.ticket_id = tickets.ticket_id
    left join contacts as author_contacts
        on interactions.author_id = author_contacts.contact_id

),

with_contact as (

    select
        authored.* exclude (given_direction, given_contact_id),
        coalesce(
            authored.given_direction,
            case
                when authored.author_type = 'customer' then 'inbound'
                when authored.author_type is not null then 'outbound'
            end
        ) as direction,
        -- A customer's message without a contact is the author's own.
        coalesce(
            authored.given_contact_id,
            case when authored.author_type = 'customer' then authored.author_id end
        ) as contact_id

    from authored

),

resolved as (

    select
        with_contact.* exclude (account_id, ticket_account_id, ticket_contact_id),
        {{ resolve_account([
            ['record', 'with_contact.account_id'],
            ['ticket', 'with_contact.ticket_account_id'],
            ['contact', 'contacts.account_id'],
        ]) }}

    from with_contact
    left join contacts
        on with_contact.contact_id = contacts.contact_id

)

select * from resolved
