{#-
    The weekly emotional timeline mart over a weekly facts model (issue 16), for an account or a
    contact: the facts, the state's group and words, the trajectory over the last weeks in words,
    and whether the week is the key's latest.

    Trajectory (settings: vars trajectory_weeks, trajectory_slope): over the key's weeks with
    scored messages within the last `trajectory_weeks` calendar weeks, the mean sentiment's slope
    per week (least squares). Three such weeks or more and a slope at or past the setting:
    falling from a warm state "enthusiasm declining over N weeks", otherwise "sentiment worsening
    over N weeks, now <state>"; rising from an uneasy or negative low "recovering since <date of
    the low>", otherwise "warming over N weeks". Without a trend: one state all along "steady
    <state> for N weeks"; a single week "<state>, the first messages in N weeks"; else "mixed over
    N weeks, now <state>". A week without messages: "no messages this week".

    Incremental: rebuilds the weeks its facts model rewrote (and, for context, reads the weeks
    before them); its pre-hook (emotion_timeline_clear) first deletes them by their week range and
    turns off `is_latest_week` on the earlier weeks of the keys they belong to. `min_messages`: a
    key needs this many scored messages over its history (a contact that reaches it later gets
    all its weeks then).
-#}
{% macro emotion_timeline(weeks_model, key, min_messages=none) %}
{%- set weeks_relation = ref(weeks_model) -%}
{%- set context_days = 7 * (var('trajectory_weeks') - 1) -%}
{%- set since = emotion_timeline_since(weeks_relation) %}

with

states as (

    select * from {{ ref('emotion_states') }}

),

latest as (

    -- A key's latest week: among the rebuilt weeks, for the keys that have any (the others'
    -- rows are not rebuilt).
    select {{ key }}, max(week_start) as latest_week
    from {{ weeks_relation }}
    where week_start >= {{ since }}
    group by {{ key }}

),

{%- if min_messages is not none %}

qualified as (

    -- Only a key with rebuilt weeks can have newly reached the threshold.
    select {{ key }}
    from {{ weeks_relation }}
    {%- if is_incremental() %}
    where {{ key }} in (select {{ key }} from latest)
    {%- endif %}
    group by {{ key }}
    having sum(scored_messages) >= {{ min_messages }}

),

newly_qualified as (

    -- A key without weeks before the rebuilt ones gets all its weeks (a key that had them
    -- qualified before, and keeps them).
    select qualified.{{ key }} from qualified
    {%- if is_incremental() %}
    where not exists (
        select 1 from {{ this }} as this
        where this.{{ key }} = qualified.{{ key }} and this.week_start < {{ since }}
    )
    {%- else %}
    where false
    {%- endif %}

),
{%- endif %}

weeks as (

    -- The rebuilt weeks with the weeks before them that their trajectory reads, and every week
    -- of a key that newly qualified.
    select weeks.*
    from {{ weeks_relation }} as weeks
    {%- if min_messages is not none %}
    inner join qualified using ({{ key }})
    {%- endif %}
    where weeks.week_start >= {{ since }} - to_days({{ context_days }})
    {%- if min_messages is not none and is_incremental() %}
    union all
    select weeks.*
    from {{ weeks_relation }} as weeks
    inner join newly_qualified using ({{ key }})
    where weeks.week_start < {{ since }} - to_days({{ context_days }})
    {%- endif %}

),

windowed as (

    select
        weeks.*,
        states.state_group as dominant_state_group,
        states.state_word as dominant_state_word,
        count(weeks.mean_sentiment) over recent_weeks as trend_weeks,
        date_diff(
            'week',
            min(case when weeks.mean_sentiment is not null then weeks.week_start end) over recent_weeks,
            weeks.week_start
        ) + 1 as trend_span_weeks,
        regr_slope(weeks.mean_sentiment, date_diff('day', date '2000-01-03', weeks.week_start) / 7.0)
            over recent_weeks as sentiment_slope,
        arg_min(states.state_group, case when weeks.dominant_emotion is not null then weeks.week_start end)
            over recent_weeks as first_state_group,
        arg_min(states.state_group, weeks.mean_sentiment) over recent_weeks as low_state_group,
        arg_min(weeks.week_start, weeks.mean_sentiment) over recent_weeks as low_week,
        min(weeks.dominant_emotion) over recent_weeks = max(weeks.dominant_emotion) over recent_weeks as is_one_state
    from weeks
    left join states
        on weeks.dominant_emotion = states.emotion
    window recent_weeks as (
        partition by weeks.{{ key }}
        order by weeks.week_start
        range between interval {{ context_days }} days preceding and current row
    )

),

described as (

    select
        windowed.* exclude (
            trend_weeks, trend_span_weeks, sentiment_slope, first_state_group, low_state_group,
            low_week, is_one_state
        ),
        round(windowed.sentiment_slope, 4) as sentiment_slope_per_week,
        case
            when windowed.mean_sentiment is null and windowed.dominant_source = 'human'
                then windowed.dominant_state_word || ', in a person''s judgement'
            when windowed.mean_sentiment is null
                then 'no messages this week'
            when windowed.trend_weeks >= 3 and windowed.sentiment_slope <= -{{ var('trajectory_slope') }}
                and windowed.first_state_group = 'warm'
                then format('enthusiasm declining over {} weeks', windowed.trend_span_weeks)
            when windowed.trend_weeks >= 3 and windowed.sentiment_slope <= -{{ var('trajectory_slope') }}
                then format('sentiment worsening over {} weeks, now {}', windowed.trend_span_weeks, windowed.dominant_state_word)
            when windowed.trend_weeks >= 3 and windowed.sentiment_slope >= {{ var('trajectory_slope') }}
                and windowed.low_state_group in ('uneasy', 'negative', 'hostile')
                then 'recovering since ' || strftime(windowed.low_week, '%-d %b %Y')
            when windowed.trend_weeks >= 3 and windowed.sentiment_slope >= {{ var('trajectory_slope') }}
                then format('warming over {} weeks', windowed.trend_span_weeks)
            when windowed.trend_weeks = 1
                then format('{}, the first messages in {} weeks', windowed.dominant_state_word, {{ var('trajectory_weeks') }})
            when windowed.is_one_state
                then format('steady {} for {} weeks', windowed.dominant_state_word, windowed.trend_span_weeks)
            else format('mixed over {} weeks, now {}', windowed.trend_span_weeks, windowed.dominant_state_word)
        end as trajectory,
        windowed.week_start = latest.latest_week as is_latest_week
    from windowed
    inner join latest using ({{ key }})
    where windowed.week_start >= {{ since }}
    {%- if min_messages is not none %}
        or windowed.{{ key }} in (select {{ key }} from newly_qualified)
    {%- endif %}

)

select * from described
{% endmacro %}

{#- The week a timeline mart rebuilds from (macro memory_rebuilt_weeks_from), as a literal; on a
    full build, from the start. -#}
{% macro emotion_timeline_since(weeks_relation) %}
    {%- if is_incremental() -%}
        {{ return(memory_literal(memory_rebuilt_weeks_from(weeks_relation, this))) }}
    {%- endif -%}
    {{ return("date '1900-01-01'") }}
{% endmacro %}

{#- A timeline mart's pre-hook on a nightly build: delete the weeks it rebuilds, by their range
    (not key by key), and turn off `is_latest_week` on the weeks left of the keys that get a
    later one, so the mart only appends. -#}
{% macro emotion_timeline_clear(weeks_model, key) %}
    {%- if is_incremental() -%}
        {%- set weeks_relation = ref(weeks_model) -%}
        {%- set since = emotion_timeline_since(weeks_relation) -%}
        delete from {{ this }} where week_start >= {{ since }};
        update {{ this }} set is_latest_week = false
        where is_latest_week
            and {{ key }} in (select {{ key }} from {{ weeks_relation }} where week_start >= {{ since }})
    {%- endif -%}
{% endmacro %}
