{#-
    Data tests of the incremental risk models check the rows this build wrote, not the whole table:
    a nightly build keeps every other row as it was, tested by the build that wrote it. A test opts
    in with `where: "__risk_rebuilt__ <date column> [latest] [week]"`, which the override of
    get_where_subquery below turns into risk_rebuilt_rows(): a superset of the rows the build
    recomputed (macros/risk_incremental.sql), so a bad row written tonight still fails the test.
    A full build marks every account changed from 1900-01-01: it checks every row.
    Any other `where` is applied as dbt applies it.
-#}
{% macro default__get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where and where.startswith('__risk_rebuilt__') -%}
        {%- set words = where.split() -%}
        {%- set where = risk_rebuilt_rows(words[1], latest='latest' in words, week='week' in words) -%}
    {%- endif -%}
    {%- if where -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ where ~ ') dbt_subquery') -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}

{#- The rows a build may have recomputed, by the model's `date_column` (a superset):
      - the changed accounts' rows dated from the earliest changed day on;
      - with `latest` (models that recompute every account's rows from the latest date they held
        when the snapshot date moves): every account's rows from the day after the last signal of
        the accounts that did not change. Those accounts' signals are as the last complete build
        saw them, so that day is no later than the date the model held then; and no later than
        tonight's snapshot date. When every account changed: every row.
      - `week`: the column is a week's start, up to 7 days before the date that was recomputed.
    The tables are named, not ref()'d: a test depends on its model only. -#}
{% macro risk_rebuilt_rows(date_column, latest=false, week=false) %}
    {%- set changed = 'intermediate.int_accounts__risk_inputs_changed' -%}
    {%- set bounds = {'changed': "date '1900-01-01'", 'all': "date '1900-01-01'" if latest else "date '9999-12-31'"} -%}
    {%- if execute -%}
        {#- Read as constants: a scan then drops the older rows before any join. -#}
        {%- set since = run_query('select min(changed_from_date) from ' ~ changed).rows[0][0] -%}
        {%- do bounds.update({'changed': "date '" ~ (since or '9999-12-31') ~ "'"}) -%}
        {%- if latest -%}
            {%- set after = run_query(
                'select max(signal_date) + 1 from intermediate.int_accounts__daily_signals '
                ~ 'where account_id not in (select account_id from ' ~ changed ~ ')'
            ).rows[0][0] -%}
            {%- do bounds.update({'all': "date '" ~ (after or '1900-01-01') ~ "'"}) -%}
        {%- endif -%}
    {%- endif -%}
    {%- set back = ' - 7' if week else '' -%}
    {%- set of_changed = 'account_id in (select account_id from ' ~ changed ~ ')' -%}
    {%- if latest %}
    ({{ date_column }} >= least({{ bounds['changed'] }}, {{ bounds['all'] }}){{ back }}
        and ({{ date_column }} >= {{ bounds['all'] }}{{ back }} or {{ of_changed }}))
    {%- else %}
    ({{ date_column }} >= {{ bounds['changed'] }}{{ back }} and {{ of_changed }})
    {%- endif %}
{% endmacro %}
