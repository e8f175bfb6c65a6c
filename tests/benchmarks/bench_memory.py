"""Issue 16's timeline and transition marts at 1,000,000 interactions: their full build, and the
nightly build with 1% new data as a fraction of it; and that both end with the same tables.

The warehouse is written straight into raw.* and scores.* by SQL (10,000 accounts, 40,000
contacts, 1,000,000 interactions over 11 months with their scores, 1.5 million engagement
events, tickets, surveys, tags): what is timed is dbt, and loading and scoring a million texts
first would take this shared machine an hour. Then, with dbt (tests aside), timing each node from
run_results.json (tests/benchmarks/nightly_warehouse.py):
  1. the newest 1% of interactions (with scores) and engagement events are held back and a
     `--full-refresh` builds the memory marts and their parents (yesterday's warehouse);
  2. they arrive with a later load and score time, and the parents are built: tonight's state;
  3. from tonight's state, `REPEATS` times: the memory models' nightly build, then their
     `--full-refresh` (the full build), each alone and one model at a time, so that what is timed
     is them and not the parents or each other on a shared machine's two cores;
  4. the last nightly build's marts and the last full build's are compared row for row.
The ratio is reported per pair, as their median and as the fastest nightly over the fastest full
build: the spread says how much the machine's load moved it.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import duckdb

from dagster_project.lib.warehouse_schema import ensure_schema
from tests.benchmarks.nightly_warehouse import dbt_build, dbt_env, hold_back, put_back

SIZES = {"1m": {"accounts": 10_000, "interactions": 1_000_000, "events": 1_500_000}}
QUICK_SIZES = {"quick": {"accounts": 300, "interactions": 30_000, "events": 45_000}}
MEMORY_MODELS = (
    "int_account_weeks__summarized",
    "int_contact_weeks__summarized",
    "fct_account_emotion_weekly",
    "fct_contact_emotion_weekly",
    "fct_account_emotion_transitions",
    "agg_emotion_transitions_by_period",
)
COMPARED = MEMORY_MODELS[2:]
SELECT = [f"+{m}" for m in COMPARED]
NO_TESTS = ("--exclude", "resource_type:test", "resource_type:unit_test")
REPEATS = 3
EMOTIONS = [
    "delight",
    "satisfaction",
    "curiosity",
    "neutral",
    "confusion",
    "anxiety",
    "frustration",
    "disappointment",
    "anger",
]

# Yesterday's load, and tonight's.
T0, T1 = "2026-09-30 02:00:00", datetime(2026, 10, 1, 2)

_SYNTHETIC = """
-- hash() is unsigned; a signed one is easier to index and subtract with.
create temp macro h(a, b) as cast(hash(a, b) % 2147483647 as bigint);

insert into raw.accounts by name
select printf('A%06d', i) as account_id, printf('Account %d', i) as name, 'Software' as industry,
    'Growth' as plan, 'NA' as region, 'customer' as lifecycle_stage,
    timestamp '2025-10-01' - to_days(cast(h(i, 'c') % 400 as integer)) as created_at,
    1000.0 as mrr, 'b' as _source_file, i as _source_row, timestamp '{t0}' as _loaded_at
from range($accounts) as t(i);

insert into raw.contacts by name
select printf('C%07d', i) as contact_id, printf('A%06d', i // 4) as account_id,
    printf('c%d@x.test', i) as email, 'End User' as role, timestamp '2025-10-01' as created_at,
    h(i, 'o') % 50 = 0 as analysis_opt_out,
    'b' as _source_file, i as _source_row, timestamp '{t0}' as _loaded_at
from range($accounts * 4) as t(i);

create temp table synthetic_interactions as
select
    printf('I%08d', i) as interaction_id,
    printf('A%06d', a) as account_id,
    printf('C%07d', a * 4 + h(i, 'p') % 4) as contact_id,
    case when h(i, 'k') % 5 = 0 then printf('T%07d', i // 10) end as ticket_id,
    ['email', 'chat', 'ticket_comment', 'call', 'social'][1 + h(i, 'h') % 5] as channel,
    case when h(i, 'a') % 100 < 55 then 'customer' when h(i, 'a') % 100 < 95 then 'agent' else 'bot' end as author_type,
    timestamp '2025-11-01' + to_seconds(cast(h(i, 't') % (334 * 86400) as bigint)) as occurred_at,
    a
from (select i, cast(h(i, 'acc') % $accounts as integer) as a from range($interactions) as t(i));

insert into raw.interactions by name
select interaction_id, account_id, contact_id, ticket_id, channel,
    case when author_type = 'customer' then 'inbound' else 'outbound' end as direction,
    author_type, occurred_at, 'subject' as subject, printf('message %s', interaction_id) as body,
    'b' as _source_file, 1 as _source_row, timestamp '{t0}' as _loaded_at
from synthetic_interactions;

-- Each account drifts through the emotions over time, so states persist for weeks and change.
insert into scores.interaction_scores by name
select interaction_id, interaction_id as text_hash, 'bench' as scorer_version,
    (h(interaction_id, 's') % 2000) / 1000.0 - 1 + (e < 3)::int * 0.4 - (e > 5)::int * 0.4 as compound,
    'neutral' as sentiment_label,
    $emotions[1 + e] as emotion,
    (h(interaction_id, 'n') % 100) / 100.0 as emotion_intensity,
    h(interaction_id, 'ci') % 80 = 0 as churn_intent,
    h(interaction_id, 'bc') % 20 = 0 as billing_concern,
    h(interaction_id, 'u') % 30 = 0 as urgency,
    h(interaction_id, 'pr') % 15 = 0 as praise,
    false as sarcasm, false as question, 'en' as language, false as is_empty,
    timestamp '{t0}' as scored_at
from (
    select *,
        cast((h(a, 'phase') % 9 + date_diff('week', timestamp '2025-11-01', occurred_at) // (4 + a % 5)
              + (h(interaction_id, 'x') % 10 < 3)::int * (h(interaction_id, 'y') % 9)) % 9 as integer) as e
    from synthetic_interactions
    where author_type = 'customer'
) as s
where contact_id not in (select contact_id from raw.contacts where analysis_opt_out);

insert into raw.engagement_events by name
select printf('E%08d', i) as event_id, printf('A%06d', a) as account_id,
    printf('C%07d', a * 4 + h(i, 'p') % 4) as contact_id,
    ['email_sent', 'email_open', 'email_click', 'login', 'feature_used', 'demo_attended'][1 + h(i, 'v') % 6] as event_type,
    timestamp '2025-11-01' + to_seconds(cast(h(i, 't') % (334 * 86400) as bigint)) as occurred_at,
    'b' as _source_file, i as _source_row, timestamp '{t0}' as _loaded_at
from (select i, cast(h(i, 'acc') % $accounts as integer) as a from range($events) as t(i));

insert into raw.tickets by name
select distinct on (ticket_id) ticket_id, account_id, contact_id, occurred_at as created_at,
    case when h(ticket_id, 'st') % 4 = 0 then 'open' else 'solved' end as status, 'normal' as priority,
    case when h(ticket_id, 'st') % 4 != 0 then occurred_at + interval 2 days end as solved_at,
    0 as reopen_count, 'b' as _source_file, 1 as _source_row, timestamp '{t0}' as _loaded_at
from synthetic_interactions where ticket_id is not null
order by ticket_id, occurred_at;

insert into raw.surveys by name
select printf('S%07d', i) as response_id, printf('A%06d', a) as account_id,
    printf('C%07d', a * 4) as contact_id,
    case when i % 2 = 0 then 'nps' else 'csat' end as survey_type,
    case when i % 2 = 0 then h(i, 'sc') % 11 else 1 + h(i, 'sc') % 5 end as score,
    case when i % 2 = 0 then 0 else 1 end as scale_min, case when i % 2 = 0 then 10 else 5 end as scale_max,
    timestamp '2025-11-01' + to_seconds(cast(h(i, 't') % (334 * 86400) as bigint)) as responded_at,
    'b' as _source_file, i as _source_row, timestamp '{t0}' as _loaded_at
from (select i, cast(h(i, 'acc') % $accounts as integer) as a from range($accounts * 5) as t(i));

insert into raw.emotion_tags by name
select interaction_id, null as account_id, $emotions[1 + h(interaction_id, 'tag') % 9] as tag,
    'reviewer@vendor.test' as tagged_by, occurred_at + interval 1 day as tagged_at,
    'b' as _source_file, 1 as _source_row, timestamp '{t0}' as _loaded_at
from synthetic_interactions
where author_type = 'customer' and h(interaction_id, 'tagged') % 100 = 0
    and occurred_at < timestamp '2026-09-01';
"""


def synthesize(db: Path, size: dict[str, int]) -> dict[str, int]:
    """Write the synthetic warehouse; return rows per raw table."""
    with duckdb.connect(str(db)) as conn:
        ensure_schema(conn)
        sql = _SYNTHETIC.format(t0=T0)
        params = {**size, "emotions": list(EMOTIONS)}
        for statement in filter(str.strip, sql.split(";\n")):
            used = {k: v for k, v in params.items() if f"${k}" in statement}
            conn.execute(statement, used)
        return {
            t: conn.execute(f"select count(*) from raw.{t}").fetchone()[0]
            for t in ("accounts", "contacts", "interactions", "engagement_events", "tickets")
        }


def dbt_run(env: dict[str, str], work: Path, *extra: str) -> dict:
    """`dbt build` of the memory marts and their parents, tests aside; seconds per memory node
    and in all."""
    build = dbt_build(env, work, *NO_TESTS, "--select", *SELECT, *extra)
    return _memory_seconds(build)


def build_parents(env: dict[str, str], work: Path) -> dict:
    """Tonight's build of everything the memory models read, and not of them: its seconds (not
    in the ratio; int_interactions__scored, a full table every night, is most of them)."""
    build = dbt_build(env, work, *NO_TESTS, *MEMORY_MODELS, "--select", *SELECT)
    return {"all_nodes_s": round(sum(build.node_seconds.values()), 1), "slowest": build.slowest()}


def build_memory_models(env: dict[str, str], work: Path, *extra: str) -> dict:
    """The memory models alone (their parents already built), one at a time."""
    build = dbt_build(env, work, *NO_TESTS, "--threads", "1", "--select", *MEMORY_MODELS, *extra)
    return _memory_seconds(build)


def _memory_seconds(build) -> dict:
    by_name = {uid.split(".")[-1]: s for uid, s in build.node_seconds.items()}
    memory = {m: round(by_name.get(m, 0.0), 2) for m in MEMORY_MODELS}
    return {
        "wall_s": build.wall_s,
        "all_nodes_s": round(sum(by_name.values()), 1),
        "memory_nodes_s": round(sum(memory.values()), 2),
        "memory_nodes": memory,
    }


def set_aside(db: Path) -> None:
    """Copy the compared marts to a schema the next build leaves alone."""
    with duckdb.connect(str(db)) as conn:
        conn.execute("create schema if not exists nightly")
        for name in COMPARED:
            conn.execute(f"create or replace table nightly.{name} as select * from marts.{name}")


def differences(db: Path) -> dict[str, int]:
    """Rows in one build's mart and not the other's (both ways), bookkeeping column aside."""
    out = {}
    with duckdb.connect(str(db)) as conn:
        for name in COMPARED:
            columns = [
                r[0]
                for r in conn.execute(
                    "select column_name from information_schema.columns where table_schema = "
                    "'marts' and table_name = ? and column_name != 'loaded_through' "
                    "order by ordinal_position",
                    [name],
                ).fetchall()
            ]
            cols = ", ".join(f'"{c}"' for c in columns)
            a, b = f"select {cols} from nightly.{name}", f"select {cols} from marts.{name}"
            out[name] = conn.execute(
                f"select (select count(*) from ({a} except all {b})) "
                f"+ (select count(*) from ({b} except all {a}))"
            ).fetchone()[0]
            out[f"{name}_rows"] = conn.execute(f"select count(*) from marts.{name}").fetchone()[0]
    return out


def _one_size(name: str, size: dict[str, int], repeats: int = REPEATS) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"bench-memory-{name}-") as tmp:
        warehouse_dir = Path(tmp)
        env = dbt_env(warehouse_dir)
        db = warehouse_dir / "warehouse.duckdb"
        tonight = warehouse_dir / "tonight.duckdb"
        started = time.perf_counter()
        rows = synthesize(db, size)
        synthesize_s = time.perf_counter() - started
        held = hold_back(db)
        yesterday = dbt_run(env, warehouse_dir / "dbt-99", "--full-refresh")
        put_back(db, T1)
        parents = build_parents(env, warehouse_dir / "dbt-parents")
        shutil.copy(db, tonight)
        nightly, full = [], []
        for i in range(repeats):
            shutil.copy(tonight, db)
            nightly.append(build_memory_models(env, warehouse_dir / f"dbt-nightly-{i}"))
            set_aside(db)
            full.append(build_memory_models(env, warehouse_dir / f"dbt-full-{i}", "--full-refresh"))
        diff = differences(db)
        nightly_s = [b["memory_nodes_s"] for b in nightly]
        full_s = [b["memory_nodes_s"] for b in full]
        pair_ratios = [round(n / f, 3) for n, f in zip(nightly_s, full_s, strict=True)]
        return {
            "rows": rows,
            "held_back_then_added": held,
            "synthesize_s": round(synthesize_s, 1),
            "first_build": yesterday,
            "parents_tonight": parents,
            "nightly_s": nightly_s,
            "full_s": full_s,
            "nightly_over_full_per_pair": pair_ratios,
            "memory_nightly_over_full": statistics.median(pair_ratios),
            "fastest_nightly_over_fastest_full": round(min(nightly_s) / min(full_s), 3),
            "nightly_build": nightly[-1],
            "full_build": full[-1],
            "nightly_equals_full": all(v == 0 for k, v in diff.items() if not k.endswith("_rows")),
            "differences": diff,
        }


def run(quick: bool = False) -> dict:
    sizes = QUICK_SIZES if quick else SIZES
    return {name: _one_size(name, size) for name, size in sizes.items()}


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
