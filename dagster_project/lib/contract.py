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
    # A file without this column is rejected; a row without a value is quarantined.
    required: bool = False
    # Required only where all of these are blank too: a row that carries one of them is
    # attached through it later (a message's account through its ticket or contact, in dbt).
    unless: tuple[str, ...] = ()


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
        """Columns every file must have (a column required ``unless`` others is not)."""
        return [c.name for c in self.columns if c.required and not c.unless]

    @property
    def table(self) -> str:
        return f"raw.{self.name}"


def _c(
    name: str, sql_type: str = "VARCHAR", required: bool = False, unless: tuple[str, ...] = ()
) -> Column:
    return Column(name, sql_type, required or bool(unless), unless)


# Real exports attach a message to a ticket or a contact, a ticket to a contact, a contact to a
# company; the account is resolved through those links in dbt (int_*__account_resolved), so a
# row needs its account only when it carries no link to one.
VIA_CONTACT = ("contact_id",)
VIA_TICKET_OR_CONTACT = ("ticket_id", "contact_id")
# Who wrote a message: where the export names only the author (Zendesk comment events), dbt
# tells customer from agent by whether the author is the ticket's requester or a contact.
VIA_AUTHOR = ("author_id",)


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
# reopened: a person took back an earlier decision; the action is open again.
ACTION_DECISIONS = ("done", "dismissed", "snoozed", "reopened")

ENUMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("interactions", "channel"): CHANNELS,
    ("interactions", "direction"): DIRECTIONS,
    ("interactions", "author_type"): AUTHOR_TYPES,
    ("surveys", "survey_type"): SURVEY_TYPES,
    ("engagement_events", "event_type"): ENGAGEMENT_EVENT_TYPES,
    ("account_events", "event"): ACCOUNT_EVENT_TYPES,
    ("action_decisions", "decision"): ACTION_DECISIONS,
    ("pipeline_stages", "object"): ("deals", "tickets"),
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
                _c("account_id"),  # a person need not belong to a company
                _c("email"),
                _c("role"),
                _c("created_at", "TIMESTAMP"),
                _c("analysis_opt_out", "BOOLEAN"),
                # The person's id in the customer's own product (Intercom's external_id), which
                # the product's events name them by.
                _c("external_id"),
            ),
            key=("contact_id",),
        ),
        Entity(
            "interactions",
            (
                _c("interaction_id", required=True),
                _c("account_id", unless=VIA_TICKET_OR_CONTACT),
                _c("contact_id"),
                _c("ticket_id"),
                _c("channel", required=True),
                _c("direction", unless=VIA_AUTHOR),
                _c("author_type", unless=VIA_AUTHOR),
                _c("occurred_at", "TIMESTAMP", required=True),
                _c("subject"),
                _c("body"),
                _c("author_id"),  # the writer's id in the source system, where it says
            ),
            key=("interaction_id",),
        ),
        Entity(
            "tickets",
            (
                _c("ticket_id", required=True),
                _c("account_id", unless=VIA_CONTACT),
                _c("contact_id"),
                _c("created_at", "TIMESTAMP", required=True),
                _c("status"),
                _c("priority"),
                _c("first_solved_at", "TIMESTAMP"),
                _c("solved_at", "TIMESTAMP"),
                _c("closed_at", "TIMESTAMP"),
                _c("reopen_count", "INTEGER"),
                # The pipeline and stage, where the export names a stage its status cannot be
                # read from (a custom pipeline's): dbt finds it in pipeline_stages.
                _c("pipeline"),
                _c("stage"),
            ),
            key=("ticket_id",),
        ),
        Entity(
            "surveys",
            (
                _c("response_id", required=True),
                _c("account_id", unless=(*VIA_TICKET_OR_CONTACT, "submission_id")),
                _c("contact_id"),
                _c("ticket_id"),
                _c("survey_type", required=True),
                _c("score", "DOUBLE", required=True),
                _c("scale_min", "INTEGER", required=True),
                _c("scale_max", "INTEGER", required=True),
                _c("comment"),
                _c("responded_at", "TIMESTAMP", required=True),
                _c("submission_id"),  # the submission this answer is part of, where one is
            ),
            key=("response_id",),
        ),
        # One filled-in survey whose answers come as separate records (Salesforce's
        # SurveyResponse and its SurveyQuestionResponses): who submitted it, about what.
        Entity(
            "survey_submissions",
            (
                _c("submission_id", required=True),
                _c("account_id", unless=VIA_TICKET_OR_CONTACT),
                _c("contact_id"),
                _c("ticket_id"),
                _c("submitted_at", "TIMESTAMP"),
            ),
            key=("submission_id",),
        ),
        Entity(
            "engagement_events",
            (
                _c("event_id", required=True),
                # Vendors name the person (a meeting's attendee, an app's user), whose company
                # the models find through the contact: by its id, by the e-mail address
                # marketing tools name people by (a campaign's recipient), or by the product's own
                # user id (an app's data event, the contact's external_id).
                _c("account_id", unless=("contact_id", "contact_email", "contact_external_id")),
                _c("contact_id"),
                _c("event_type", required=True),
                _c("occurred_at", "TIMESTAMP", required=True),
                _c("contact_email"),
                _c("contact_external_id"),
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
                # new_business (a lead's first purchase), renewal, expansion or other: the
                # lifecycle stages (lead, renewal) are read from these deals in dbt.
                _c("deal_type"),
                # The pipeline the stage belongs to (its id or its name, as the export names
                # it), and the close date the CRM holds (the expected one while the deal is
                # open), where the export cannot say whether the stage is closed: dbt finds
                # the stage in pipeline_stages and takes closed_at and outcome from it.
                _c("pipeline"),
                _c("close_date", "TIMESTAMP"),
            ),
            key=("deal_id",),
        ),
        # The stages of a CRM's deal and ticket pipelines (HubSpot's pipelines API, Salesforce's
        # OpportunityStage): whether a deal or ticket in the stage is closed, and a deal's win
        # probability (1: won, 0: lost, when closed).
        Entity(
            "pipeline_stages",
            (
                _c("object", required=True),  # deals or tickets
                _c("pipeline", required=True),
                _c("stage", required=True),
                _c("pipeline_label"),
                _c("stage_label"),
                _c("is_closed", "BOOLEAN"),
                _c("win_probability", "DOUBLE"),
            ),
            key=("object", "pipeline", "stage"),
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
        Entity(
            "action_decisions",
            (
                _c("action_id", required=True),
                _c("account_id"),
                _c("decision", required=True),
                _c("snoozed_until", "DATE"),
                _c("note"),
                _c("decided_by", required=True),
                _c("decided_at", "TIMESTAMP", required=True),
            ),
            # A person's decision on one recommended action (marts.fct_action_queue.action_id),
            # made in the dashboard and handed over from its app state; every decision is kept,
            # the latest per action wins in dbt.
            key=("action_id", "decided_by", "decided_at"),
        ),
        Entity(
            "health_overrides",
            (
                _c("account_id", required=True),
                # 0-100 (higher = healthier); blank: the person cleared the account's override.
                _c("override_score", "DOUBLE"),
                _c("reason"),
                _c("valid_until", "DATE"),  # the last day it holds; blank: until cleared
                _c("overridden_by", required=True),
                _c("overridden_at", "TIMESTAMP", required=True),
            ),
            # A person's override of an account's relationship health, made in the dashboard and
            # handed over from its app state; every one is kept, the latest per account wins in
            # dbt (fct_account_health), beside the computed score, never in it.
            key=("account_id", "overridden_by", "overridden_at"),
        ),
    )
}

# Lineage columns every raw table carries besides the contract's own.
LINEAGE_COLUMNS = (
    Column("_source_file", "VARCHAR"),
    Column("_source_row", "BIGINT"),
    Column("_loaded_at", "TIMESTAMP"),
)
