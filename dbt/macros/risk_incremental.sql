{#-
    How the incremental risk models decide what to recompute (one rule, every model):
      - per account, the rows dated on or after the day its inputs changed
        (int_accounts__risk_inputs_changed.changed_from_date); for rows that see only the days
        before their date (snapshots: `after_change=true`), those dated after it;
      - for every account, the rows from the latest date the model holds, when the current snapshot
        date (the day after the latest signal) has moved: values relative to the snapshot date
        (the windows' edges, the days since the customer last wrote) then change for every account.
        While the date stays, an account whose inputs did not change keeps its rows.
    The pre-hook deletes those rows; the model computes them again and appends. Everything else a
    model holds was computed from inputs that have not changed since, so it is left as it is.
-#}

{#- The date from which every account's rows are recomputed, as a SQL date literal, read before the
    pre-hook deletes: when the current snapshot date has moved away from the latest date the model
    holds, the earlier of the two; 1900-01-01 when the model holds nothing; null when the date has
    not moved, and in a full build. (A model calling this must depend on
    int_accounts__daily_signals.) -#}
{% macro risk_all_accounts_from(date_column) %}
    {%- if execute and is_incremental() -%}
        {%- set row = run_query(
            'select max(' ~ date_column ~ '), (select max(signal_date) + 1 from '
            ~ ref('int_accounts__daily_signals') ~ ') from ' ~ this
        ).rows[0] -%}
        {%- set kept, current = row[0], row[1] -%}
        {%- if kept is none -%}
            date '1900-01-01'
        {%- elif kept == current -%}
            null::date
        {%- elif current is none or kept < current -%}
            date '{{ kept }}'
        {%- else -%}
            date '{{ current }}'
        {%- endif -%}
    {%- else -%}
        null::date
    {%- endif -%}
{% endmacro %}

{#- The rows of account `account_column` dated `date_column` that this build recomputes. The date
    bound in front (a constant) says the same as the rest, for the rows it lets through; it is there
    because it is cheap: a scan drops every older row before the per-account test, which on a
    table of millions of rows costs a join of all of them. -#}
{% macro risk_is_recomputed(account_column, date_column, all_from, after_change=false, also_from=none) %}
    (
        {{ date_column }} >= {{ risk_recompute_bound([all_from, also_from]) }} and (
        {%- if also_from is not none and also_from != 'null::date' %}
        {{ date_column }} >= {{ also_from }} or
        {%- endif %}
        {%- if all_from != 'null::date' %}
        {{ date_column }} >= {{ all_from }} or
        {%- endif %}
        exists (
            select 1 from {{ ref('int_accounts__risk_inputs_changed') }} as changed
            where changed.account_id = {{ account_column }}
                and {{ date_column }} {{ '>' if after_change else '>=' }} changed.changed_from_date
        ))
    )
{% endmacro %}

{#- The earliest date any recomputed row can have: the least of the given dates (SQL date
    literals; none or null::date are left out) and the earliest changed day. -#}
{% macro risk_recompute_bound(dates) %}
    {%- set known = [risk_changed_since()] -%}
    {%- for d in dates if d is not none and d != 'null::date' -%}
        {%- do known.append(d) -%}
    {%- endfor -%}
    {{- known[0] if known | length == 1 else 'least(' ~ known | join(', ') ~ ')' -}}
{% endmacro %}

{#- Pre-hook: delete the rows this build recomputes. -#}
{% macro risk_delete_recomputed(date_column, after_change=false, with_latest=true) %}
    {%- if is_incremental() -%}
        delete from {{ this }} as kept
        where {{ risk_is_recomputed(
            'kept.account_id', 'kept.' ~ date_column,
            risk_all_accounts_from(date_column) if with_latest else 'null::date',
            after_change) }}
    {%- endif -%}
{% endmacro %}

{#- In an incremental build, ` and ` the input row feeds a row this build recomputes (the days from
    its account's change on); nothing in a full build. -#}
{% macro risk_and_recomputed(account_column, date_column) %}
    {%- if is_incremental() %} and {{ risk_is_recomputed(account_column, date_column, 'null::date') }}{% endif -%}
{% endmacro %}

{#- The earliest changed day of any account, as a SQL date literal (a constant, so that a scan can
    skip everything older before any join); 9999-12-31 when nothing changed. -#}
{% macro risk_changed_since() %}
    {%- if execute -%}
        {%- set found = run_query(
            'select min(changed_from_date) from ' ~ ref('int_accounts__risk_inputs_changed')
        ).columns[0].values()[0] -%}
        {{- "date '" ~ (found if found is not none else '9999-12-31') ~ "'" -}}
    {%- else -%}
        date '1900-01-01'
    {%- endif -%}
{% endmacro %}

{#- The churn scores (int_accounts__churn_risk_scored) also recompute every row from the earliest
    fit that changed (refitted, added or gone) on: the first date whose stored (fit_as_of, fit_fingerprint) pairs
    differ from int_churn_model__fits now. A SQL date literal; null when no fit changed or in a
    full build. Read before the pre-hook deletes. -#}
{% macro churn_refit_from() %}
    {%- if execute and is_incremental() -%}
        {%- set query -%}
            with used as (
                select distinct fit_as_of, fit_fingerprint from {{ this }}
            ),
            fitted as (
                select distinct cast(fit_as_of as date) as fit_as_of, training_fingerprint as fit_fingerprint
                from {{ ref('int_churn_model__fits') }}
            )
            select min(fit_as_of) from (
                (select * from used except select * from fitted)
                union all
                (select * from fitted except select * from used)
            )
        {%- endset -%}
        {%- set found = run_query(query).columns[0].values()[0] -%}
        {{- "date '" ~ found ~ "'" if found is not none else 'null::date' -}}
    {%- else -%}
        null::date
    {%- endif -%}
{% endmacro %}

{#- The churn rows (account, as_of_date) this build recomputes: after a changed input, every
    account's from a moved snapshot date, or from the first changed fit. -#}
{% macro churn_is_recomputed(account_column, date_column) %}
    {{ risk_is_recomputed(account_column, date_column, risk_all_accounts_from('as_of_date'), after_change=true,
        also_from=churn_refit_from()) }}
{% endmacro %}

{#- Pre-hook of the churn scores. -#}
{% macro churn_delete_recomputed() %}
    {%- if is_incremental() -%}
        delete from {{ this }} as kept where {{ churn_is_recomputed('kept.account_id', 'kept.as_of_date') }}
    {%- endif -%}
{% endmacro %}

{#- The fingerprint rows (of `alias`) that a nightly build of int_accounts__risk_inputs_committed
    replaces: a changed account's weeks from its changed_from_date on, and the row of what bears on
    every account (account_id null) when some account changed from 1900-01-01 (every account does
    when that row changed; macros/risk_fingerprints.sql computes it again then). -#}
{% macro risk_commit_replaces(alias) %}
    (({{ alias }}.account_id is null and {{ risk_changed_since() }} = date '1900-01-01') or exists (
        select 1 from {{ ref('int_accounts__risk_inputs_changed') }} as changed
        where changed.account_id = {{ alias }}.account_id
            and {{ alias }}.week_start_date >= changed.changed_from_date
    ))
{% endmacro %}
