-- The risk inputs' fingerprints as of the last build that finished every incremental risk model:
-- the state the next build's int_accounts__risk_inputs_changed compares against. It runs last (it
-- depends on those models), so a build that fails half-way commits nothing, and the next one
-- recomputes what this one did not finish. (Selecting this model without those it depends on would
-- commit changes they never saw: build it with them, as `dbt build` does.)
-- Its rows are those int_accounts__risk_inputs_changed computed at the start of the build: each
-- changed account's fingerprints from its changed_from_date on (a nightly build deletes its old
-- weeks from that day and appends these; earlier weeks are equal in both), and the row of what
-- bears on every account when it may have changed (macros/risk_fingerprints.sql). After every
-- complete build the table equals the inputs' fingerprints now, as a full build computes them.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{% if is_incremental() %}delete from {{ this }} as kept where {{ risk_commit_replaces('kept') }}{% endif %}",
) }}
-- depends_on: {{ ref('int_accounts__daily_signals') }}
-- depends_on: {{ ref('int_interactions__reply_times') }}
-- depends_on: {{ ref('int_accounts__snapshots') }}
-- depends_on: {{ ref('int_accounts__churn_risk_scored') }}
-- depends_on: {{ ref('int_churn_model__fits') }}
-- depends_on: {{ ref('int_accounts__risk_inputs_changed') }}

select account_id, fingerprint.week_start_date, fingerprint.fingerprint, fingerprint.n_rows
from (
    select account_id, unnest(new_fingerprints) as fingerprint
    from {{ ref('int_accounts__risk_inputs_changed') }}
)
{%- if not is_incremental() or risk_changed_since() == "date '1900-01-01'" %}

union all

select * from (
    {{ risk_input_fingerprints(everyone_only=true) | indent(4) }}
) as everyone
{%- endif %}
