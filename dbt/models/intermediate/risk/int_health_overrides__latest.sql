-- The override that holds now per account: a person's relationship health (value, who, why,
-- until) that fct_account_health shows beside the computed score, never in it.
-- Two sources, one timeline per account, the latest entry (by overridden_at) wins:
--   app     the dashboard's app state (stg_crm__health_overrides): a CSM sets or clears it;
--   seed    health_overrides.csv: analysts' bulk overrides, kept for them (they have no clear:
--           delete the row, or a later clear in the dashboard takes it back).
-- A latest entry that is a clear (no value), or whose valid_until day has passed, leaves the
-- account without an override: an expired override stops applying, and an older one does not
-- come back in its place.

with

app_entries as (

    select account_id, override_score, reason, valid_until, overridden_by, overridden_at,
        'app' as override_source
    from {{ ref('stg_crm__health_overrides') }}

),

seed_entries as (

    select account_id, override_score, reason, valid_until, overridden_by, overridden_at,
        'seed' as override_source
    from {{ ref('health_overrides') }}

),

entries as (

    select * from app_entries
    union all
    select * from seed_entries

),

latest as (

    select *
    from entries
    -- seed rows without a time are the oldest; on a tie the app's entry wins
    qualify row_number() over (
        partition by account_id
        order by overridden_at desc nulls last, override_source, overridden_by
    ) = 1

)

select account_id, override_score, reason, valid_until, overridden_by, overridden_at,
    override_source
from latest
where override_score is not null
  and (valid_until is null or valid_until >= current_date)
