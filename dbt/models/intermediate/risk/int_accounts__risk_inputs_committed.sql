-- The risk inputs' fingerprints as of the last build that finished every incremental risk model:
-- the state the next build's int_accounts__risk_inputs_changed compares against. It runs last (it
-- depends on those models), so a build that fails half-way commits nothing, and the next one
-- recomputes what this one did not finish. (Selecting this model without those it depends on would
-- commit changes they never saw: build it with them, as `dbt build` does.)
-- Incremental: a nightly build hashes again and replaces only the weeks that differ, each changed
-- account's from its changed_from_date on (earlier weeks are equal in both), and the row of what
-- bears on every account when it may have changed (macros/risk_fingerprints.sql); the result
-- equals the inputs' fingerprints now, as a full build computes them. (It hashes the same inputs
-- that int_accounts__risk_inputs_changed hashed at the start: dbt holds the warehouse's only write
-- lock for the whole build, so nothing else can change them in between.)
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

select * from (
    {{ risk_input_fingerprints(changed_only=is_incremental()) | indent(4) }}
) as fingerprinted
