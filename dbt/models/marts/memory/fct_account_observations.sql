-- The observation template of a CRM session, filled from the data for every account: lines a
-- person can read aloud, each linked to its evidence (evidence_kind + evidence_id), over the last
-- `observation_window_days` before the latest data in the warehouse.
--   behavioral_trigger    the best burst of e-mail opens in 2 days ("opened 5 e-mails in 2 days"),
--                         the latest demo attended;
--   sentiment_signal      the latest messages in a negative or uneasy state ("'frustrated' in
--                         ticket #T-1"), and the latest week's trend when it has one;
--   verbal_cue            the customer's own words behind churn intent, billing concern and urgency
--                         ("'we're evaluating alternatives'"), as the scorer's evidence quotes them;
--   engagement_frequency  silence since our last message or their demo ("no reply since the demo
--                         on 3 Sep"), else how often they wrote lately;
--   positive_highlight    praise, delight, promoter NPS ("praise on 2 Oct: 'great support'");
--   risk_indicator        billing concern and churn intent counts, unresolved tickets, lost deals,
--                         detractor NPS ("billing concern, 2 mentions").
-- `rank` orders the lines within a category, newest (or strongest) first. Texts of contacts who
-- opted out of analysis are never read or quoted.

with

as_of as (

    select max(occurred_at) as as_of_at from {{ ref('int_interactions__scored') }}

),

interactions as (

    select interactions.*
    from {{ ref('int_interactions__scored') }} as interactions
    cross join as_of
    where interactions.account_id is not null
        and interactions.occurred_at > as_of.as_of_at - to_days({{ var('observation_window_days') }})
        and not interactions.is_analysis_opt_out

),

texts as (

    select * from interactions
    where author_type = 'customer' and not coalesce(is_empty, true) and compound is not null

),

states as (

    select * from {{ ref('emotion_states') }}

),

events as (

    select events.*
    from {{ ref('int_engagement_events__account_resolved') }} as events
    cross join as_of
    where events.account_id is not null
        and events.occurred_at > as_of.as_of_at - to_days({{ var('observation_window_days') }})
        and events.occurred_at <= as_of.as_of_at

),

quotes as (

    -- The words a cue was raised on, as the scorer's evidence quotes them ("label: 'words'"),
    -- and the sentence of the message they are in: what the customer said, in their words.
    select
        interaction_id,
        cue,
        quoted,
        trim(list_filter(
            string_split_regex(body, '[.!?\n]+'),
            lambda sentence: contains(lower(sentence), lower(quoted))
        )[1]) as sentence
    from (
        select
            evidence.interaction_id,
            evidence.evidence_target as cue,
            regexp_extract(evidence.evidence_text, '''(.+)''', 1) as quoted,
            texts.body,
            evidence.evidence_weight,
            evidence.evidence_text
        from {{ ref('fct_interaction_evidence') }} as evidence
        inner join texts
            on evidence.interaction_id = texts.interaction_id
        where evidence.evidence_target in ('churn_intent', 'urgency', 'praise')
            or (evidence.evidence_target = 'billing_concern' and texts.is_billing_concern)
    )
    -- Rules that quote nothing ("polite escalation") say no words of the customer's.
    where quoted != ''
    qualify row_number() over (
        partition by interaction_id, cue
        order by evidence_weight desc nulls last, evidence_text
    ) = 1

),

open_bursts as (

    -- For each e-mail open, the opens in the 2 days from it; the account's best burst.
    select * from (
        select
            account_id,
            event_id,
            occurred_at,
            count(*) over (
                partition by account_id order by occurred_at
                range between current row and interval 2 days following
            ) as opens_in_2_days
        from events
        where event_type = 'email_open'
    )
    qualify row_number() over (
        partition by account_id order by opens_in_2_days desc, occurred_at desc, event_id
    ) = 1

),

behavioral_trigger as (

    select account_id, 'behavioral_trigger' as category,
        format('opened {} e-mails in 2 days', opens_in_2_days) as line,
        occurred_at as observed_at, 'engagement' as evidence_kind, event_id as evidence_id,
        opens_in_2_days as strength
    from open_bursts
    where opens_in_2_days >= 3

    union all
    select account_id, 'behavioral_trigger',
        'attended a demo on ' || strftime(max(occurred_at), '%-d %b'),
        max(occurred_at), 'engagement', arg_max(event_id, occurred_at), 1
    from events
    where event_type = 'demo_attended'
    group by account_id

),

sentiment_signal as (

    select texts.account_id, 'sentiment_signal' as category,
        case
            when texts.ticket_id is not null
                then format('''{}'' in ticket #{}', states.state_adjective, texts.ticket_id)
            else format('''{}'' in {} on {}', states.state_adjective,
                case texts.channel when 'email' then 'an e-mail' when 'chat' then 'a chat'
                    when 'call' then 'a call' when 'social' then 'a social post' else 'a message' end,
                strftime(texts.occurred_at, '%-d %b'))
        end as line,
        texts.occurred_at as observed_at, 'interaction' as evidence_kind,
        texts.interaction_id as evidence_id, 1 as strength
    from texts
    inner join states on texts.emotion = states.emotion
    where states.state_group in ('uneasy', 'negative', 'hostile')
    qualify row_number() over (partition by texts.account_id order by texts.occurred_at desc, texts.interaction_id desc) <= 3

    union all
    -- the latest week's trend, when the timeline sees one
    select weekly.account_id, 'sentiment_signal', weekly.trajectory,
        cast(weekly.week_start as timestamp), 'interaction', weekly.last_message_id, 2
    from {{ ref('fct_account_emotion_weekly') }} as weekly
    cross join as_of
    where weekly.is_latest_week and weekly.last_message_id is not null
        and weekly.week_start > cast(as_of.as_of_at - to_days({{ var('observation_window_days') }}) as date)
        and regexp_matches(weekly.trajectory, 'declining|worsening|recovering|warming')

),

verbal_cue as (

    select texts.account_id, 'verbal_cue' as category,
        format('''{}'' ({})',
            case
                when length(coalesce(quotes.sentence, quotes.quoted)) > 120
                    then left(coalesce(quotes.sentence, quotes.quoted), 117) || '...'
                else coalesce(quotes.sentence, quotes.quoted)
            end,
            replace(quotes.cue, '_', ' ')) as line,
        texts.occurred_at as observed_at, 'interaction' as evidence_kind,
        texts.interaction_id as evidence_id, 1 as strength
    from texts
    inner join quotes on texts.interaction_id = quotes.interaction_id
    where quotes.cue in ('churn_intent', 'billing_concern', 'urgency')
    qualify row_number() over (
        partition by texts.account_id, lower(coalesce(quotes.sentence, quotes.quoted))
        order by texts.occurred_at desc, texts.interaction_id desc
    ) = 1

),

last_theirs as (

    select account_id, max(occurred_at) as last_customer_at
    from interactions
    where author_type = 'customer'
    group by account_id

),

silence as (

    -- Our latest message (e-mail, chat, call, social; not an internal note) or their latest demo,
    -- whichever is later, when the customer has not written since.
    select * from (
        select account_id, occurred_at, 'interaction' as evidence_kind, interaction_id as evidence_id,
            case channel when 'email' then 'our e-mail' when 'chat' then 'our chat'
                when 'call' then 'our call' when 'social' then 'our reply on social'
                else 'our message' end as after_what
        from interactions
        where author_type = 'agent' and channel != 'note'
        union all
        select account_id, occurred_at, 'engagement', event_id, 'the demo'
        from events
        where event_type = 'demo_attended'
    ) as touches
    qualify row_number() over (partition by account_id order by occurred_at desc, evidence_id desc) = 1

),

engagement_frequency as (

    select silence.account_id, 'engagement_frequency' as category,
        format('no reply since {} on {}', silence.after_what, strftime(silence.occurred_at, '%-d %b')) as line,
        silence.occurred_at as observed_at, silence.evidence_kind, silence.evidence_id, 1 as strength
    from silence
    left join last_theirs using (account_id)
    where last_theirs.last_customer_at is null or last_theirs.last_customer_at < silence.occurred_at

    union all
    select texts.account_id, 'engagement_frequency',
        format('{} messages in the last 30 days, {} in the 30 before',
            count(*) filter (where texts.occurred_at > as_of.as_of_at - to_days(30)),
            count(*) filter (where texts.occurred_at <= as_of.as_of_at - to_days(30)
                and texts.occurred_at > as_of.as_of_at - to_days(60))),
        max(texts.occurred_at), 'interaction', arg_max(texts.interaction_id, texts.occurred_at), 0
    from texts
    cross join as_of
    where texts.occurred_at > as_of.as_of_at - to_days(60)
    group by texts.account_id

),

surveys as (

    select surveys.*
    from {{ ref('int_surveys__classified') }} as surveys
    cross join as_of
    where surveys.account_id is not null
        and surveys.responded_at > as_of.as_of_at - to_days({{ var('observation_window_days') }})

),

positive_highlight as (

    select texts.account_id, 'positive_highlight' as category,
        case
            when quotes.quoted is not null
                then format('praise on {}: ''{}''', strftime(texts.occurred_at, '%-d %b'), quotes.quoted)
            else format('{} on {}', states.state_adjective, strftime(texts.occurred_at, '%-d %b'))
        end as line,
        texts.occurred_at as observed_at, 'interaction' as evidence_kind,
        texts.interaction_id as evidence_id, 1 as strength
    from texts
    inner join states on texts.emotion = states.emotion
    left join quotes on texts.interaction_id = quotes.interaction_id and quotes.cue = 'praise'
    where texts.praise or texts.emotion = 'delight'
    qualify row_number() over (partition by texts.account_id order by texts.occurred_at desc, texts.interaction_id desc) <= 2

    union all
    select account_id, 'positive_highlight',
        format('NPS {} on {}', cast(score as integer), strftime(responded_at, '%-d %b')),
        responded_at, 'survey', response_id, 1
    from surveys
    where nps_bucket = 'promoter'
    qualify row_number() over (partition by account_id order by responded_at desc, response_id desc) = 1

),

risk_indicator as (

    select account_id, 'risk_indicator' as category,
        format('{}, {}', cue_words, {{ counted('count(*)', 'mention') }}) as line,
        max(occurred_at) as observed_at, 'interaction' as evidence_kind,
        arg_max(interaction_id, occurred_at) as evidence_id, count(*) as strength
    from (
        select *, 'billing concern' as cue_words from texts where is_billing_concern
        union all
        select *, 'churn intent' from texts where churn_intent
    )
    group by account_id, cue_words

    union all
    select tickets.account_id, 'risk_indicator',
        format('{} unresolved, the oldest {} days old',
            case when count(*) = 1 then 'a ticket' else format('{} tickets', count(*)) end,
            max(date_diff('day', tickets.created_at, as_of.as_of_at))),
        min(tickets.created_at), 'ticket',
        arg_min(tickets.ticket_id, (tickets.created_at, tickets.ticket_id)), count(*)
    from {{ ref('int_tickets__account_resolved') }} as tickets
    cross join as_of
    where tickets.account_id is not null
        and tickets.created_at <= as_of.as_of_at
        and coalesce(tickets.solved_at, tickets.closed_at) is null
    group by tickets.account_id

    union all
    select deals.account_id, 'risk_indicator',
        format('lost {} deal on {}', replace(coalesce(deals.deal_type, 'a'), '_', '-'), strftime(deals.closed_at, '%-d %b')),
        deals.closed_at, 'deal', deals.deal_id, 1
    from {{ ref('int_deals__outcome_resolved') }} as deals
    cross join as_of
    where deals.outcome = 'lost' and deals.account_id is not null
        and deals.closed_at > as_of.as_of_at - to_days({{ var('observation_window_days') }})
        and deals.closed_at <= as_of.as_of_at

    union all
    select account_id, 'risk_indicator',
        format('NPS {} on {}', cast(score as integer), strftime(responded_at, '%-d %b')),
        responded_at, 'survey', response_id, 1
    from surveys
    where nps_bucket = 'detractor'
    qualify row_number() over (partition by account_id order by responded_at desc, response_id desc) = 1

),

lines as (

    select * from behavioral_trigger
    union all select * from sentiment_signal
    union all select * from verbal_cue
    union all select * from engagement_frequency
    union all select * from positive_highlight
    union all select * from risk_indicator

),

ranked as (

    select
        account_id,
        category,
        line,
        observed_at,
        evidence_kind,
        evidence_id,
        row_number() over (
            partition by account_id, category
            order by strength desc, observed_at desc, evidence_id
        ) as rank
    from lines
    where evidence_id is not null

)

-- A template line is read aloud: five per category at most.
select * from ranked
where rank <= 5
