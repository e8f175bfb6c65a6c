-- One row per file and entity the loader saw: what it was recognized as and why, and where every
-- row went (loaded, quarantined by reason, duplicate, superseded), plus how many of its loaded
-- rows no link leads to an account. The operator's report; the Dagster run log says the same.

with

ledger as (

    select * from {{ ref('stg_ops__load_ledger') }}

),

quarantine as (

    select * from {{ ref('stg_crm__quarantine') }}

),

-- A load writes its quarantined rows and its ledger row with the same timestamp.
quarantine_reasons as (

    select
        source_file,
        entity,
        quarantined_at,
        list({'reason': reason, 'rows': rows} order by rows desc, reason) as quarantine_reasons
    from (
        select source_file, entity, quarantined_at, reason, count(*) as rows
        from quarantine
        group by all
    )
    group by all

),

-- Rows as stored now: a row belongs to the load that last wrote it.
unresolved as (

    {% for model, entity in [
        ('int_interactions__account_resolved', 'interactions'),
        ('int_tickets__account_resolved', 'tickets'),
        ('int_surveys__account_resolved', 'surveys'),
    ] %}
    select source_file, '{{ entity }}' as entity, loaded_at, count(*) as rows_unresolved
    from {{ ref(model) }}
    where account_id is null
    group by all
    {{ "union all" if not loop.last }}
    {% endfor %}

)

select
    ledger.run_id,
    ledger.file_name,
    ledger.file_hash,
    ledger.entity,
    ledger.status,
    ledger.recognized_as,
    ledger.recognized_by,
    ledger.message,
    ledger.rows_read,
    ledger.rows_loaded,
    ledger.rows_quarantined,
    ledger.rows_duplicate,
    ledger.rows_superseded,
    case when ledger.status = 'loaded' then coalesce(unresolved.rows_unresolved, 0) end
        as rows_unresolved,
    coalesce(quarantine_reasons.quarantine_reasons, []) as quarantine_reasons,
    ledger.records_read,
    ledger.records_skipped,
    ledger.loaded_at

from ledger
left join quarantine_reasons
    on ledger.file_name = quarantine_reasons.source_file
    and ledger.entity = quarantine_reasons.entity
    and ledger.loaded_at = quarantine_reasons.quarantined_at
left join unresolved
    on ledger.file_name = unresolved.source_file
    and ledger.entity = unresolved.entity
    and ledger.loaded_at = unresolved.loaded_at
