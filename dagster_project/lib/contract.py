"""The canonical CRM data contract (ARCHITECTURE.md): every vendor export is mapped into these.

One place defines each entity's columns, SQL types, record key and required columns, so the
loader, the demo-data generator, the dbt sources and the tests cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str  # DuckDB type the raw table stores
    required: bool = (
        False  # a file without this column is rejected; a row without a value is quarantined
    )


@dataclass(frozen=True)
class Entity:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # record key: a re-export of the same key replaces the earlier row

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    @property
    def table(self) -> str:
        return f"raw.{self.name}"


def _c(name: str, sql_type: str = "VARCHAR", required: bool = False) -> Column:
    return Column(name, sql_type, required)


# Enumerations the contract allows; anything else in these columns is quarantined.
CHANNELS = ("email", "chat", "call", "ticket_comment", "note", "social")
DIRECTIONS = ("inbound", "outbound")
AUTHOR_TYPES = ("customer", "agent", "bot")
SURVEY_TYPES = ("nps", "csat", "ces")
ENGAGEMENT_EVENT_TYPES = (
    "email_sent",
    "email_open",
    "email_click",
    "login",
    "demo_attended",
    "feature_used",
)
ACCOUNT_EVENT_TYPES = ("renewed", "churned", "downgraded", "expanded")

ENUMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("interactions", "channel"): CHANNELS,
    ("interactions", "direction"): DIRECTIONS,
    ("interactions", "author_type"): AUTHOR_TYPES,
    ("surveys", "survey_type"): SURVEY_TYPES,
    ("engagement_events", "event_type"): ENGAGEMENT_EVENT_TYPES,
    ("account_events", "event"): ACCOUNT_EVENT_TYPES,
}

ENTITIES: dict[str, Entity] = {
    e.name: e
    for e in (
        Entity(
            "accounts",
            (
                _c("account_id", required=True),
                _c("name", required=True),
                _c("industry"),
                _c("plan"),
                _c("region"),
                _c("lifecycle_stage"),
                _c("created_at", "TIMESTAMP"),
                _c("mrr", "DOUBLE"),
                _c("renewal_date", "DATE"),
                _c("owner"),
            ),
            key=("account_id",),
        ),
        Entity(
            "contacts",
            (
                _c("contact_id", required=True),
                _c("account_id", required=True),
                _c("email"),
                _c("role"),
                _c("created_at", "TIMESTAMP"),
                _c("analysis_opt_out", "BOOLEAN"),
            ),
            key=("contact_id",),
        ),
        Entity(
            "interactions",
            (
                _c("interaction_id", required=True),
                _c("account_id", required=True),
                _c("contact_id"),
                _c("ticket_id"),
                _c("channel", required=True),
                _c("direction", required=True),
                _c("author_type", required=True),
                _c("occurred_at", "TIMESTAMP", required=True),
                _c("subject"),
                _c("body"),
            ),
            key=("interaction_id",),
        ),
        Entity(
            "tickets",
            (
                _c("ticket_id", required=True),
                _c("account_id", required=True),
                _c("contact_id"),
                _c("created_at", "TIMESTAMP", required=True),
                _c("status"),
                _c("priority"),
                _c("first_solved_at", "TIMESTAMP"),
                _c("solved_at", "TIMESTAMP"),
                _c("closed_at", "TIMESTAMP"),
                _c("reopen_count", "INTEGER"),
            ),
            key=("ticket_id",),
        ),
        Entity(
            "surveys",
            (
                _c("response_id", required=True),
                _c("account_id", required=True),
                _c("contact_id"),
                _c("ticket_id"),
                _c("survey_type", required=True),
                _c("score", "DOUBLE", required=True),
                _c("scale_min", "INTEGER", required=True),
                _c("scale_max", "INTEGER", required=True),
                _c("comment"),
                _c("responded_at", "TIMESTAMP", required=True),
            ),
            key=("response_id",),
        ),
        Entity(
            "engagement_events",
            (
                _c("event_id", required=True),
                _c("account_id", required=True),
                _c("contact_id"),
                _c("event_type", required=True),
                _c("occurred_at", "TIMESTAMP", required=True),
            ),
            key=("event_id",),
        ),
        Entity(
            "deals",
            (
                _c("deal_id", required=True),
                _c("account_id", required=True),
                _c("stage"),
                _c("amount", "DOUBLE"),
                _c("created_at", "TIMESTAMP"),
                _c("closed_at", "TIMESTAMP"),
                _c("outcome"),
            ),
            key=("deal_id",),
        ),
        Entity(
            "account_events",
            (
                _c("account_id", required=True),
                _c("event", required=True),
                _c("occurred_at", "TIMESTAMP", required=True),
                _c("mrr_delta", "DOUBLE"),
            ),
            key=("account_id", "event", "occurred_at"),
        ),
        Entity(
            "emotion_tags",
            (
                _c("interaction_id"),
                _c("account_id"),
                _c("tag", required=True),
                _c("tagged_by", required=True),
                _c("tagged_at", "TIMESTAMP", required=True),
            ),
            # A tag targets an interaction or a whole account; one person's latest tag per target wins.
            key=("interaction_id", "account_id", "tagged_by"),
        ),
    )
}

# Lineage columns every raw table carries besides the contract's own.
LINEAGE_COLUMNS = (
    Column("_source_file", "VARCHAR"),
    Column("_source_row", "BIGINT"),
    Column("_loaded_at", "TIMESTAMP"),
)
