"""DDL for everything the Python side writes into warehouse.duckdb (dbt owns the rest).

Tables are created if missing, so every asset can call ``ensure_schema`` first and a fresh
warehouse needs no separate set-up step.
"""

from __future__ import annotations

import duckdb

from dagster_project.lib.contract import ENTITIES, LINEAGE_COLUMNS, Column, Entity
from sentiment_udfs.taxonomy import CUES

QUARANTINE_DDL = """
create table if not exists raw.quarantine (
    source_file varchar not null,
    entity varchar,
    row_number bigint,          -- 1-based data row in the file (header not counted)
    column_name varchar,
    reason varchar not null,
    raw_row varchar,            -- the row as JSON, exactly as read
    quarantined_at timestamp not null
)"""

LOAD_LEDGER_DDL = """
create table if not exists ops.load_ledger (
    file_hash varchar not null,     -- sha256 of the file's bytes: the same file loads once
    file_name varchar not null,
    entity varchar,                 -- one row per entity the file feeds (a Zendesk ticket export
                                    -- feeds tickets, interactions and surveys)
    status varchar not null,        -- loaded | rejected
    rows_read bigint,
    rows_loaded bigint,
    rows_quarantined bigint,
    rows_duplicate bigint,
    rows_superseded bigint,         -- a later row in the file or a newer stored version won
    message varchar,
    loaded_at timestamp not null,
    source varchar,                 -- vendor/object of the adapter that mapped it
    rows_older_than_stored bigint,  -- of rows_superseded: the stored version was newer
    file_size bigint,               -- with file_mtime_ns: an unchanged file is not hashed again
    file_mtime_ns bigint,
    records_skipped bigint,         -- records of the file holding no row of this entity (agents in
                                    -- a users export, unrated tickets for surveys): not rows of it
    records_read bigint,            -- records of the file, a record the reader rejects included
    records_mapped bigint,          -- records giving at least one row of this entity; every
                                    -- record is mapped or skipped: read = mapped + skipped
    recognized_by varchar,          -- why `source`: a mapping, the file's columns, its name
    run_id varchar                  -- the Dagster run that loaded or rejected it
)"""

# Columns added to the ledger after it was first created: (name, type), added where missing.
LOAD_LEDGER_ADDED = (
    ("records_read", "bigint"),
    ("records_mapped", "bigint"),
    ("recognized_by", "varchar"),
    ("run_id", "varchar"),
)

# The version of each stored record (its export's updated timestamp): an older re-export never
# replaces a newer row. A lineage column beside LINEAGE_COLUMNS, kept out of the contract.
RECORD_VERSION_COLUMN = "_record_updated_at"

_CUE_COLUMNS = ",\n    ".join(f"{cue} boolean not null" for cue in CUES)
INTERACTION_SCORES_DDL = f"""
create table if not exists scores.interaction_scores (
    interaction_id varchar not null,
    text_hash varchar not null,
    scorer_version varchar not null,
    compound double not null,
    sentiment_label varchar not null,
    emotion varchar not null,
    emotion_intensity double not null,
    emotion_scores map(varchar, double),
    {_CUE_COLUMNS},
    language varchar,
    is_empty boolean not null,
    scored_at timestamp not null,
    primary key (interaction_id, scorer_version)
)"""

INTERACTION_EVIDENCE_DDL = """
create table if not exists scores.interaction_evidence (
    interaction_id varchar not null,
    scorer_version varchar not null,
    kind varchar not null,      -- what produced it: keyword, token, rule, ...
    target varchar not null,    -- the emotion, cue or 'sentiment' it moved
    text varchar,               -- the span or rule name
    weight double
)"""


def raw_table_ddl(entity: Entity) -> str:
    columns = ",\n    ".join(f"{c.name} {c.sql_type}" for c in entity.columns + LINEAGE_COLUMNS)
    return f"create table if not exists {entity.table} (\n    {columns}\n)"


def ensure_schema(conn: duckdb.DuckDBPyConnection) -> None:
    """Create the raw, scores and ops schemas and tables where they are missing."""
    for schema in ("raw", "scores", "ops"):
        conn.execute(f"create schema if not exists {schema}")
    for entity in ENTITIES.values():
        conn.execute(raw_table_ddl(entity))
        # A warehouse made before the contract gained a column gets it (empty for old rows).
        for column in (*entity.columns, Column(RECORD_VERSION_COLUMN, "TIMESTAMP")):
            conn.execute(
                f"alter table {entity.table} add column if not exists {column.name} {column.sql_type}"
            )
    for ddl in (QUARANTINE_DDL, LOAD_LEDGER_DDL, INTERACTION_SCORES_DDL, INTERACTION_EVIDENCE_DDL):
        conn.execute(ddl)
    for name, sql_type in LOAD_LEDGER_ADDED:
        conn.execute(f"alter table ops.load_ledger add column if not exists {name} {sql_type}")
