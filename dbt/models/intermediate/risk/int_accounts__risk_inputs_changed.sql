{#-
    Which accounts' risk inputs changed since the last complete build, and from which day: one row
    per changed account with `changed_from_date`, the first day of the first week whose fingerprint differs
    (the inputs' fingerprints now, macros/risk_fingerprints.sql, against
    int_accounts__risk_inputs_committed, those that the last build which finished every risk model
    stored). Everything an
    incremental risk model holds for the account dated on or after that day is recomputed;
    earlier rows cannot have changed (every window looks back only).

    A change that bears on every account (the first day of data, a cue window, the thresholds
    seed), a missing committed state (first build, or the last build failed before committing
    anything) or `--full-refresh` marks every account changed from 1900-01-01.

    Each changed account also carries its fingerprints now, from its changed_from_date on
    (`new_fingerprints`: week_start_date, fingerprint, n_rows): what
    int_accounts__risk_inputs_committed stores for it in place of the old ones once every risk
    model is built, so the inputs are hashed once per build.

    The committed table is read by name, not ref(): it is the previous build's state, written
    at the end of the DAG.
-#}
{%- set committed = none -%}
{%- if execute and not flags.FULL_REFRESH -%}
    {%- set committed = adapter.get_relation(
        database=this.database, schema=this.schema, identifier='int_accounts__risk_inputs_committed'
    ) -%}
{%- endif %}

with

current_state as (

    {{ risk_input_fingerprints() | indent(4) }}

),

{% if committed is not none -%}
previous_state as (

    select * from {{ committed }}

),

everyone_changed as (

    select
        (select fingerprint from current_state where account_id is null)
        is distinct from (select fingerprint from previous_state where account_id is null) as changed

),

changed_days as (

    select coalesce(current_state.account_id, previous_state.account_id) as account_id,
        coalesce(current_state.week_start_date, previous_state.week_start_date) as day
    from current_state
    full outer join previous_state
        on current_state.account_id = previous_state.account_id
        and current_state.week_start_date = previous_state.week_start_date
    where coalesce(current_state.account_id, previous_state.account_id) is not null
        and (current_state.fingerprint is distinct from previous_state.fingerprint
            or current_state.n_rows is distinct from previous_state.n_rows)

),

{%- else -%}
everyone_changed as (

    select true as changed

),

changed_days as (

    select null::varchar as account_id, null::date as day where false

),
{%- endif %}

all_accounts as (

    select distinct account_id from current_state where account_id is not null
    {%- if committed is not none %}
    union
    select distinct account_id from previous_state where account_id is not null
    {%- endif %}

),

changed_accounts as (

    select account_id, min(day) as changed_from_date
    from changed_days
    where not (select changed from everyone_changed)
    group by account_id

    union all

    select account_id, date '1900-01-01'
    from all_accounts
    where (select changed from everyone_changed)

)

select
    changed_accounts.account_id,
    changed_accounts.changed_from_date,
    -- an account gone from the inputs has none: its committed weeks are deleted
    coalesce(
        list(
            struct_pack(current_state.week_start_date, current_state.fingerprint, current_state.n_rows)
            order by current_state.week_start_date
        ) filter (where current_state.account_id is not null),
        []
    ) as new_fingerprints
from changed_accounts
left join current_state
    on changed_accounts.account_id = current_state.account_id
    and current_state.week_start_date >= changed_accounts.changed_from_date
group by all
