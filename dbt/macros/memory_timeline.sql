{#-
    The weekly emotional timeline mart over a weekly facts model (issue 16), for an account or a
    contact: the facts, the state's group and words, the trajectory over the last weeks in words,
    and whether the week is the key's latest.

    Trajectory (settings: vars trajectory_weeks, trajectory_slope, trajectory_min_messages): over
    the key's weeks with scored messages within the last `trajectory_weeks` calendar weeks, the
    mean sentiment's slope per week (least squares, in exact integer sums: none under two weeks).
    A trend needs three such weeks or more holding `trajectory_min_messages` messages together
    (three single-message weeks are three sentences, not a trend), and a slope at or past the
    setting: falling from a warm state "enthusiasm declining over
    N weeks", otherwise "sentiment worsening over N weeks, now <state>". Short of a fall, a message
    in those weeks that spoke of leaving (churn intent) comes first: "spoke of leaving in the week
    of <the latest such week>, now <state>". Then a rise from an uneasy or negative low
    "recovering since <date of the low (the earliest of equal lows)>", otherwise "warming over N
    weeks". Without a trend: one state all along "steady <state> for N weeks"; a single week
    "<state>, the first messages in N weeks"; else "mixed over N weeks, now <state>". A week
    without messages: "no messages this week".

    `min_messages`: a key needs this many scored messages over its history.

    Incremental: rebuilds the weeks its facts model rewrote (and, for context, reads the weeks
    before them), and every week of a key that newly reached `min_messages`. Its pre-hook
    (emotion_timeline_clear) first deletes those weeks by their range, and every week of a key
    that fell under `min_messages`, and turns off `is_latest_week` on the earlier weeks of the
    keys that get a later one; then the model appends.
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

    -- The keys at the threshold among those with rebuilt weeks (only they can have changed).
    select {{ key }}
    from {{ weeks_relation }}
    group by {{ key }}
    having sum(scored_messages) >= {{ min_messages }} and max(week_start) >= {{ since }}

),

newly_qualified as (

    -- A key without weeks before the rebuilt ones gets all of them (one that has them had
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

trend_facts as (

    -- The facts a trajectory reads, narrow: the rebuilt weeks and the weeks before them within
    -- its reach. Sentiment in millionths and weeks numbered, so that its sums are exact integers
    -- (a nightly build adds them in another order than a full build, to the same result).
    select
        trend_weeks.*,
        cast(round(trend_weeks.mean_sentiment * 1000000) as bigint) as micro_sentiment,
        date_diff('day', date '2000-01-03', trend_weeks.week_start) // 7 as week_number,
        states.state_group
    from (
        {{ emotion_timeline_weeks(
            weeks_relation, key, min_messages,
            [key, 'week_start', 'mean_sentiment', 'scored_messages', 'dominant_emotion', 'churn_intent_messages'],
            since ~ ' - to_days(' ~ context_days ~ ')'
        ) }}
    ) as trend_weeks
    left join states
        on trend_weeks.dominant_emotion = states.emotion

),

trend_sums as (

    {%- if is_incremental() %}
    -- A few rebuilt weeks: each looks up its key's weeks within reach (a window would run over
    -- every week read for context).
    select
        rebuilt.{{ key }},
        rebuilt.week_start,
        {{ emotion_trend_aggregates('recent') }}
    from trend_facts as rebuilt
    cross join range({{ var('trajectory_weeks') }}) as reach(weeks_back)
    inner join trend_facts as recent
        on recent.{{ key }} = rebuilt.{{ key }}
        and recent.week_start = rebuilt.week_start - cast(7 * reach.weeks_back as integer)
    where rebuilt.week_start >= {{ since }}
    {%- if min_messages is not none %}
        or rebuilt.{{ key }} in (select {{ key }} from newly_qualified)
    {%- endif %}
    group by rebuilt.{{ key }}, rebuilt.week_start
    {%- else %}
    -- Every week: one window over each key's history.
    select
        recent.{{ key }},
        recent.week_start,
        {{ emotion_trend_aggregates('recent', 'over recent_weeks') }}
    from trend_facts as recent
    window recent_weeks as (
        partition by recent.{{ key }}
        order by recent.week_start
        range between interval {{ context_days }} days preceding and current row
    )
    {%- endif %}

),

trends as (

    -- The least-squares slope per week (none under two weeks with messages).
    select
        {{ key }},
        week_start,
        trend_weeks,
        date_diff('week', trend_first_week, week_start) + 1 as trend_span_weeks,
        trend_weeks >= 3 and trend_messages >= {{ var('trajectory_min_messages') }} as is_trend,
        case when trend_weeks * sum_xx - sum_x * sum_x > 0 then
            cast(trend_weeks * sum_xy - sum_x * sum_y as double)
            / (cast(trend_weeks * sum_xx - sum_x * sum_x as double) * 1000000)
        end as sentiment_slope,
        first_state_group,
        low.state_group as low_state_group,
        low.week_start as low_week,
        is_one_state,
        last_churn_intent_week
    from trend_sums

),

built as (

    -- The weeks this build writes: the rebuilt weeks, and every week of a key that newly qualified.
    {{ emotion_timeline_weeks(weeks_relation, key, min_messages, ['*'], since) }}

),

described as (

    select
        built.*,
        states.state_group as dominant_state_group,
        states.state_word as dominant_state_word,
        round(trends.sentiment_slope, 4) as sentiment_slope_per_week,
        case
            when built.mean_sentiment is null and built.dominant_source = 'human'
                then states.state_word || ', in a person''s judgement'
            when built.mean_sentiment is null
                then 'no messages this week'
            when trends.is_trend and trends.sentiment_slope <= -{{ var('trajectory_slope') }}
                and trends.first_state_group = 'warm'
                then format('enthusiasm declining over {} weeks', trends.trend_span_weeks)
            when trends.is_trend and trends.sentiment_slope <= -{{ var('trajectory_slope') }}
                then format('sentiment worsening over {} weeks, now {}', trends.trend_span_weeks, states.state_word)
            -- Talk of leaving outweighs any kinder trend around it: "recovering" beside "we will
            -- cancel" would mislead the person who reads it.
            when trends.last_churn_intent_week is not null
                then format('spoke of leaving in the week of {}, now {}',
                    strftime(trends.last_churn_intent_week, '%-d %b %Y'), states.state_word)
            when trends.is_trend and trends.sentiment_slope >= {{ var('trajectory_slope') }}
                and trends.low_state_group in ('uneasy', 'negative', 'hostile')
                then 'recovering since ' || strftime(trends.low_week, '%-d %b %Y')
            when trends.is_trend and trends.sentiment_slope >= {{ var('trajectory_slope') }}
                then format('warming over {} weeks', trends.trend_span_weeks)
            when trends.trend_weeks = 1
                then format('{}, the first messages in {} weeks', states.state_word, {{ var('trajectory_weeks') }})
            when trends.is_one_state
                then format('steady {} for {} weeks', states.state_word, trends.trend_span_weeks)
            else format('mixed over {} weeks, now {}', trends.trend_span_weeks, states.state_word)
        end as trajectory,
        built.week_start = latest.latest_week as is_latest_week
    from built
    inner join trends using ({{ key }}, week_start)
    inner join latest using ({{ key }})
    left join states
        on built.dominant_emotion = states.emotion

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

{#- A timeline mart's pre-hook on a nightly build, so that the mart only appends: delete the weeks
    it rebuilds, by their range (not key by key), and every week of a key that the rebuilt weeks
    leave under `min_messages`; turn off `is_latest_week` on the weeks left of the keys that get
    a later one. -#}
{% macro emotion_timeline_clear(weeks_model, key, min_messages=none) %}
    {%- if is_incremental() -%}
        {%- set weeks_relation = ref(weeks_model) -%}
        {%- set since = emotion_timeline_since(weeks_relation) -%}
        delete from {{ this }} where week_start >= {{ since }};
        {%- if min_messages is not none %}
        delete from {{ this }}
        where {{ key }} in (
            select {{ key }}
            from {{ weeks_relation }}
            group by {{ key }}
            having sum(scored_messages) < {{ min_messages }} and max(week_start) >= {{ since }}
        );
        {%- endif %}
        update {{ this }} set is_latest_week = false
        where is_latest_week
            and {{ key }} in (select {{ key }} from {{ weeks_relation }} where week_start >= {{ since }})
    {%- endif -%}
{% endmacro %}

{#- A timeline mart's weeks of its facts model from `from_week` on (`columns` of them), of the keys
    that qualify (`min_messages`), and on a nightly build every earlier week of a key that newly
    qualified (CTEs qualified and newly_qualified). -#}
{% macro emotion_timeline_weeks(weeks_relation, key, min_messages, columns, from_week) %}
    {%- set select_list = 'weeks.' ~ (columns | join(', weeks.')) -%}
    select {{ select_list }}
    from {{ weeks_relation }} as weeks
    {%- if min_messages is not none %}
    inner join qualified using ({{ key }})
    {%- endif %}
    where weeks.week_start >= {{ from_week }}
    {%- if min_messages is not none and is_incremental() %}
    union all
    select {{ select_list }}
    from {{ weeks_relation }} as weeks
    inner join newly_qualified using ({{ key }})
    where weeks.week_start < {{ from_week }}
    {%- endif %}
{% endmacro %}

{#- A trajectory's figures over the weeks `facts` (trend_facts rows) within reach of a week, as
    aggregates or, with `over`, window functions: the same expressions either way. The low week
    is the lowest mean sentiment, the earliest of equal ones. -#}
{% macro emotion_trend_aggregates(facts, over='') %}
        count({{ facts }}.micro_sentiment) {{ over }} as trend_weeks,
        sum({{ facts }}.scored_messages) filter (where {{ facts }}.micro_sentiment is not null) {{ over }}
            as trend_messages,
        min(case when {{ facts }}.micro_sentiment is not null then {{ facts }}.week_start end) {{ over }}
            as trend_first_week,
        sum({{ facts }}.week_number) filter (where {{ facts }}.micro_sentiment is not null) {{ over }} as sum_x,
        sum({{ facts }}.week_number * {{ facts }}.week_number) filter (where {{ facts }}.micro_sentiment is not null)
            {{ over }} as sum_xx,
        sum({{ facts }}.micro_sentiment) {{ over }} as sum_y,
        sum({{ facts }}.week_number * {{ facts }}.micro_sentiment) {{ over }} as sum_xy,
        arg_min({{ facts }}.state_group, case when {{ facts }}.dominant_emotion is not null then {{ facts }}.week_start end)
            {{ over }} as first_state_group,
        arg_min(
            {'state_group': {{ facts }}.state_group, 'week_start': {{ facts }}.week_start},
            case when {{ facts }}.micro_sentiment is not null
                then {'sentiment': {{ facts }}.micro_sentiment, 'week_start': {{ facts }}.week_start} end
        ) {{ over }} as low,
        min({{ facts }}.dominant_emotion) {{ over }} = max({{ facts }}.dominant_emotion) {{ over }} as is_one_state,
        max(case when {{ facts }}.churn_intent_messages > 0 then {{ facts }}.week_start end) {{ over }}
            as last_churn_intent_week
{%- endmacro %}
