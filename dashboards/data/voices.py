"""What customers wrote, for the Voices page: the latest texts of the filtered view.

Personal data leaves this module masked for the caller's :class:`Policy` (``privacy``): texts,
owners' e-mail addresses and account names. Opted-out contacts' texts are not in the snapshot at
all; here they are only counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dashboards.data import filters as sql_filters
from dashboards.data.connection import query
from dashboards.data.privacy import Policy, show_account, show_owner, show_text
from dashboards.filters import Filters

MAX_ROWS = 50

_FROM = """
from marts.fct_interactions f
left join marts.dim_accounts a on a.account_id = f.account_id
where f.author_type = 'customer'
  and """ + sql_filters.where(sql_filters.FactColumns(date="f.occurred_date", channel="f.channel"))

_LATEST_SQL = f"""
select
    f.interaction_id, f.occurred_at, f.channel, f.emotion, f.sentiment_label,
    f.account_id, a.name as account_name, a.owner, f.subject, f.body,
    coalesce(f.is_analysis_opt_out, false) as opted_out
{_FROM}
  and not coalesce(f.is_analysis_opt_out, false)
order by f.occurred_at desc, f.interaction_id desc
limit $limit
"""

_COUNTS_SQL = f"""
select
    count(*) filter (where not coalesce(f.is_analysis_opt_out, false)) as texts,
    count(*) filter (where coalesce(f.is_analysis_opt_out, false)) as withheld
{_FROM}
"""

COLUMNS = ("occurred_at", "account", "owner", "channel", "emotion", "subject", "text")


@dataclass(frozen=True)
class VoiceCounts:
    texts: int
    withheld: int  # opted-out contacts' interactions: a number, never their text


def latest_texts(
    serving_db: Path, filters: Filters, policy: Policy, limit: int = MAX_ROWS
) -> pd.DataFrame:
    """The latest customer texts of the view, masked for ``policy``: :data:`COLUMNS`."""
    rows = query(serving_db, _LATEST_SQL, {**sql_filters.params(filters), "limit": int(limit)})
    records = []
    for row in rows.astype(object).where(rows.notna(), None).itertuples(index=False):
        records.append(
            {
                "interaction_id": row.interaction_id,
                "account_id": row.account_id,
                "occurred_at": row.occurred_at,
                "account": show_account(policy, row.account_id, row.account_name),
                "owner": show_owner(policy, row.owner),
                "channel": row.channel,
                "emotion": row.emotion,
                "subject": show_text(policy, row.subject, owner=row.owner, opted_out=row.opted_out),
                "text": show_text(policy, row.body, owner=row.owner, opted_out=row.opted_out),
            }
        )
    return pd.DataFrame.from_records(records, columns=["interaction_id", "account_id", *COLUMNS])


def counts(serving_db: Path, filters: Filters) -> VoiceCounts:
    row = query(serving_db, _COUNTS_SQL, sql_filters.params(filters)).iloc[0]
    return VoiceCounts(texts=int(row["texts"] or 0), withheld=int(row["withheld"] or 0))
