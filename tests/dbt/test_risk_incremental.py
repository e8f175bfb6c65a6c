"""A nightly (incremental) build of issue 15's risk models gives the same tables as a full build.

On the demo data, run through the real pipeline, the next night's data is held back and a full
build made of the rest, as the state a nightly build starts from. The held rows then arrive, as the
loader and the scorer would write them, and a plain `dbt build` runs: the nightly build. A copy
of that warehouse is rebuilt from scratch (`--full-refresh`, its stored churn-model fits
dropped), and every risk table of the two is compared row for row (floats to 1e-9). Two nights,
one after the other:
  1. the snapshot date stays (the last day's engagement events were there the night before):
     - the newest 1% of interactions (with their scores) and of the other engagement events;
     - late rows for old dates: a customer's message and a login from about 100 days before the end;
     - a ticket update: a ticket that was open the night before is now closed;
     - a deal update: a renewal that was open the night before is lost (the account churns);
  2. the snapshot date moves: one login the day after the last day, so every account's current
     snapshot is a day later.
"""

from __future__ import annotations

import json
import math
import re
import shutil
from datetime import date, timedelta

import duckdb
import pytest
import yaml

from tests.dbt.conftest import DBT_DIR, Warehouse
from tests.dbt.risk_tables import RISK_TABLES
from tests.support.pipeline import run_module

pytestmark = [pytest.mark.dbt, pytest.mark.pipeline]

HELD_BACK = 0.01
LATE_DAYS = 100  # how old the late rows are, against the last day of data


def _hold_back(wh: Warehouse) -> dict:
    """Take tomorrow's rows out of the warehouse (kept in held_* tables); return what was held."""
    with duckdb.connect(str(wh.db_path)) as conn:
        end = conn.execute("select max(occurred_at) from raw.interactions").fetchone()[0]
        late_from = end - timedelta(days=LATE_DAYS + 7)
        late_to = end - timedelta(days=LATE_DAYS)
        late_message = conn.execute(
            """select i.interaction_id, i.account_id, i.occurred_at
               from raw.interactions i join scores.interaction_scores s using (interaction_id)
               where i.author_type = 'customer' and i.channel in ('email', 'chat')
                 and not s.is_empty and i.account_id is not null
                 and i.occurred_at between ? and ?
               order by i.interaction_id limit 1""",
            [late_from, late_to],
        ).fetchone()
        late_event = conn.execute(
            """select event_id from raw.engagement_events
               where event_type = 'login' and occurred_at between ? and ?
               order by event_id limit 1""",
            [late_from, late_to],
        ).fetchone()[0]
        ticket = conn.execute(
            """select ticket_id from raw.tickets
               where status = 'closed' and account_id is not null
                 and created_at between ? and ?
               order by ticket_id limit 1""",
            [end - timedelta(days=40), end - timedelta(days=20)],
        ).fetchone()[0]
        for table in ("interactions", "engagement_events"):
            # The last day's engagement events stay: the night before already reached that day.
            stays = "occurred_at < ?::date" if table == "engagement_events" else "? is not null"
            conn.execute(
                f"""create table raw.held_{table} as select * from raw.{table}
                    where occurred_at > (select quantile_disc(occurred_at, {1 - HELD_BACK})
                                         from raw.{table}) and {stays}
                       or {"interaction_id" if table == "interactions" else "event_id"} = ?""",
                [end.date(), late_message[0] if table == "interactions" else late_event],
            )
            key = "interaction_id" if table == "interactions" else "event_id"
            conn.execute(
                f"delete from raw.{table} where {key} in (select {key} from raw.held_{table})"
            )
        for table in ("interaction_scores", "interaction_evidence"):
            conn.execute(
                f"""create table scores.held_{table} as select * from scores.{table}
                    where interaction_id in (select interaction_id from raw.held_interactions)"""
            )
            conn.execute(
                f"""delete from scores.{table}
                    where interaction_id in (select interaction_id from raw.held_interactions)"""
            )
        conn.execute(
            "create table raw.held_tickets as select * from raw.tickets where ticket_id = ?",
            [ticket],
        )
        conn.execute(
            """update raw.tickets set status = 'open', first_solved_at = null, solved_at = null,
               closed_at = null where ticket_id = ?""",
            [ticket],
        )
        held = conn.execute("select count(*) from raw.held_interactions").fetchone()[0]
    return {
        "late_message": late_message,
        "ticket": ticket,
        "interactions_held": held,
    }


def _put_back(wh: Warehouse) -> None:
    """The held rows arrive, as the next night's load and scoring write them."""
    with duckdb.connect(str(wh.db_path)) as conn:
        for table in ("interactions", "engagement_events"):
            conn.execute(
                f"insert into raw.{table} by name "
                f"select * replace (now()::timestamp as _loaded_at) from raw.held_{table}"
            )
            conn.execute(f"drop table raw.held_{table}")
        conn.execute(
            "delete from raw.tickets where ticket_id in (select ticket_id from raw.held_tickets)"
        )
        conn.execute(
            "insert into raw.tickets by name "
            "select * replace (now()::timestamp as _loaded_at) from raw.held_tickets"
        )
        conn.execute("drop table raw.held_tickets")
        for table in ("interaction_scores", "interaction_evidence"):
            conn.execute(f"insert into scores.{table} select * from scores.held_{table}")
            conn.execute(f"drop table scores.held_{table}")


def _renewal_lost(wh: Warehouse) -> str:
    """An open renewal deal is lost the day before the last day of data: its account churns, as a
    CRM export records it (a deal, no account event). Returns the account."""
    with duckdb.connect(str(wh.db_path)) as conn:
        deal_id, account_id = conn.execute(
            """select deal_id, account_id from raw.deals
               where deal_type = 'renewal' and outcome is null and account_id is not null
               order by deal_id limit 1"""
        ).fetchone()
        conn.execute(
            """update raw.deals set stage = 'closed_lost', outcome = 'lost',
                   closed_at = (select max(occurred_at) from raw.interactions) - interval 1 day,
                   _loaded_at = now()::timestamp
               where deal_id = ?""",
            [deal_id],
        )
    return account_id


def _has_current_snapshot(wh: Warehouse, account_id: str) -> bool:
    return bool(
        wh.query(
            f"""select 1 from intermediate.int_accounts__snapshots
                where is_latest and account_id = '{account_id}'"""
        )
    )


def _next_day_login(wh: Warehouse, day: date) -> None:
    """One login on `day` arrives (a copy of the latest login, moved to noon that day)."""
    with duckdb.connect(str(wh.db_path)) as conn:
        conn.execute(
            """insert into raw.engagement_events by name
               select * replace (event_id || '-next-day' as event_id,
                                 ?::date + interval 12 hour as occurred_at,
                                 now()::timestamp as _loaded_at)
               from raw.engagement_events
               where event_type = 'login' and account_id is not null
               order by occurred_at desc, event_id limit 1""",
            [day],
        )


def _latest_snapshot_date(wh: Warehouse) -> date:
    return wh.query(
        "select max(as_of_date) as d from intermediate.int_accounts__snapshots where is_latest"
    )[0]["d"]


def _rebuilt_in_full(nightly: Warehouse, tmp_path_factory, name: str) -> Warehouse:
    """A copy of the nightly warehouse, rebuilt from scratch."""
    full_dir = tmp_path_factory.mktemp(name)
    shutil.copy(nightly.db_path, full_dir / "warehouse.duckdb")
    full = Warehouse(dir=full_dir, db_path=full_dir / "warehouse.duckdb", work=full_dir / "dbt")
    with duckdb.connect(str(full.db_path)) as conn:
        # Stored fits are reused where their training rows are unchanged: fit every date anew.
        conn.execute("drop table intermediate.int_churn_model__fits")
    full.dbt_build("--full-refresh")
    return full


def _late_snapshot(wh: Warehouse, account_id: str, after: date) -> dict:
    """The account's first weekly snapshot after `after`."""
    return wh.query(
        f"""select as_of_date, customer_texts_90d from intermediate.int_accounts__snapshots
            where account_id = '{account_id}' and as_of_date > date '{after}' and is_week_end
            order by as_of_date limit 1"""
    )[0]


@pytest.fixture(scope="module")
def builds(tmp_path_factory, dbt_manifest) -> dict:
    base = tmp_path_factory.mktemp("risk_incremental")
    generated = run_module(
        ["dagster_project.lib.demo_data", "--out", str(base / "inbox"), "--quiet"], base
    )
    assert generated.returncode == 0, generated.stderr
    ran = run_module(["dagster_project", "run"], base)
    assert ran.returncode == 0, ran.stdout[-5000:] + ran.stderr[-5000:]
    nightly = Warehouse(dir=base, db_path=base / "warehouse.duckdb", work=base / "dbt")

    held = _hold_back(nightly)
    nightly.dbt_build("--full-refresh")
    _, account_id, occurred_at = held["late_message"]
    before = _late_snapshot(nightly, account_id, occurred_at.date())
    latest = {"before": _latest_snapshot_date(nightly)}

    _put_back(nightly)
    lost_renewal = _renewal_lost(nightly)
    churned = {
        "account": lost_renewal,
        "current_before": _has_current_snapshot(nightly, lost_renewal),
    }
    nightly.nightly_build()
    churned["current_after"] = _has_current_snapshot(nightly, lost_renewal)
    latest["date_kept"] = _latest_snapshot_date(nightly)
    # The first night's warehouse, kept apart: the second night builds on the original.
    first_dir = tmp_path_factory.mktemp("risk_first_night")
    shutil.copy(nightly.db_path, first_dir / "warehouse.duckdb")
    first = Warehouse(dir=first_dir, db_path=first_dir / "warehouse.duckdb", work=first_dir / "dbt")
    first_full = _rebuilt_in_full(first, tmp_path_factory, "risk_first_full")

    # the day after the last day of data is the current snapshot's date
    _next_day_login(nightly, latest["date_kept"])
    nightly.nightly_build()
    latest["date_moved"] = _latest_snapshot_date(nightly)
    return {
        "date_kept": {"nightly": first, "full": first_full},
        "date_moved": {
            "nightly": nightly,
            "full": _rebuilt_in_full(nightly, tmp_path_factory, "risk_second_full"),
        },
        "latest": latest,
        "held": held,
        "late_before": before,
        "churned": churned,
    }


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def test_the_first_night_kept_the_snapshot_date_and_the_second_moved_it(builds) -> None:
    latest = builds["latest"]
    assert latest["date_kept"] == latest["before"]
    assert latest["date_moved"] == latest["before"] + timedelta(days=1)


@pytest.mark.parametrize("night", ["date_kept", "date_moved"])
@pytest.mark.parametrize("table", RISK_TABLES)
def test_the_nightly_build_equals_a_full_build(builds, night, table) -> None:
    nightly = builds[night]["nightly"].query(f"select * from {table} order by all")
    full = builds[night]["full"].query(f"select * from {table} order by all")
    assert nightly, f"{table} is empty"
    assert len(nightly) == len(full), (table, len(nightly), len(full))
    for n_row, f_row in zip(nightly, full, strict=True):
        assert n_row.keys() == f_row.keys()
        differing = {k: (n_row[k], f_row[k]) for k in n_row if not _same(n_row[k], f_row[k])}
        assert not differing, (table, differing, n_row)


def test_the_nightly_build_kept_the_seeds_as_loaded(builds) -> None:
    """The nightly build, the project unchanged, loaded no seed and ran no test of a seed alone
    (the build that loaded them passed those), yet built every model and ran every test that reads
    a model; the tests above show its marts equal a full build's."""
    target = builds["date_moved"]["nightly"].work / "target"
    ran = {r["unique_id"] for r in json.loads((target / "run_results.json").read_text())["results"]}
    nodes = json.loads((target / "manifest.json").read_text())["nodes"]
    kinds = {uid: node["resource_type"] for uid, node in nodes.items()}
    seeds = {uid for uid, kind in kinds.items() if kind == "seed"}
    models = {uid for uid, kind in kinds.items() if kind == "model"}
    tests = {
        uid: set(nodes[uid]["depends_on"]["nodes"]) for uid, kind in kinds.items() if kind == "test"
    }
    seed_tests = {uid for uid, parents in tests.items() if parents <= seeds}
    model_tests = {uid for uid, parents in tests.items() if parents & models}
    assert seeds and seed_tests and model_tests
    assert not ran & (seeds | seed_tests)
    assert models | model_tests <= ran


@pytest.mark.parametrize("night", ["date_kept", "date_moved"])
def test_the_committed_fingerprints_equal_the_current_ones(builds, night) -> None:
    """What the next night compares against: after a nightly build that hashed again and replaced
    only the weeks that differ, the committed fingerprints are those a full build computes from
    every input row, row for row (the row of what bears on every account included)."""
    sql = "select * from intermediate.int_accounts__risk_inputs_committed order by all"
    committed = builds[night]["nightly"].query(sql)
    current = builds[night]["full"].query(sql)
    assert committed and committed == current
    assert any(row["account_id"] is None for row in committed)


def test_the_late_message_reached_the_old_snapshots(builds) -> None:
    _, account_id, occurred_at = builds["held"]["late_message"]
    after = _late_snapshot(builds["date_kept"]["nightly"], account_id, occurred_at.date())
    assert after["as_of_date"] == builds["late_before"]["as_of_date"]
    assert after["customer_texts_90d"] == (builds["late_before"]["customer_texts_90d"] or 0) + 1


def test_the_nightly_build_recomputed_from_each_accounts_change_only(builds) -> None:
    changed = builds["date_kept"]["nightly"].query(
        "select account_id, changed_from_date from intermediate.int_accounts__risk_inputs_changed"
    )
    by_account = {r["account_id"]: r["changed_from_date"] for r in changed}
    _, account_id, occurred_at = builds["held"]["late_message"]
    # The late message's account is redone from the week of the message, not from the lookback.
    assert by_account[account_id] <= occurred_at.date()
    assert by_account
    # Every other account changed only in the last weeks (the newest 1%; the ticket's a month ago),
    # so its older rows were kept, not recomputed.
    last_day = builds["date_kept"]["nightly"].query(
        "select max(signal_date) as d from intermediate.int_accounts__daily_signals"
    )[0]["d"]
    old = [a for a, d in by_account.items() if d < last_day - timedelta(days=60)]
    assert account_id in old and len(old) <= 3, old


def test_a_renewal_lost_overnight_ends_the_accounts_current_risk(builds) -> None:
    """The lost deal is read as a churn by the nightly build too: the account had a current
    snapshot (so a churn risk) before, and has none after (the full build agrees: see above)."""
    churned = builds["churned"]
    assert churned["current_before"] and not churned["current_after"]
    assert not builds["date_kept"]["full"].query(
        f"""select 1 from marts.fct_account_churn_risk where account_id = '{churned["account"]}'"""
    )


def _copy_of(wh: Warehouse, tmp_path_factory, name: str) -> Warehouse:
    copy_dir = tmp_path_factory.mktemp(name)
    shutil.copy(wh.db_path, copy_dir / "warehouse.duckdb")
    return Warehouse(dir=copy_dir, db_path=copy_dir / "warehouse.duckdb", work=copy_dir / "dbt")


def _failed_tests(wh: Warehouse, *models: str) -> dict[str, int]:
    """`dbt test` of the models' data tests (their failing rows stored): failing rows of each test
    that failed."""
    with pytest.raises(AssertionError):  # dbt exits non-zero when a test fails
        wh.dbt(
            "test", "--exclude-resource-type", "unit_test", "--store-failures", "--select", *models
        )
    return {r["name"]: r["failures"] for r in wh.test_results() if r["status"] == "fail"}


def _problems(wh: Warehouse, test_name: str) -> list[str]:
    """The `problem` of each row a row_checks test found in the last _failed_tests run."""
    with duckdb.connect(str(wh.db_path), read_only=True) as conn:
        schema = conn.execute(
            "select table_schema from information_schema.tables where table_name = ?", [test_name]
        ).fetchone()[0]
        rows = conn.execute(f'select problem from {schema}."{test_name}" order by problem')
        return [r[0] for r in rows.fetchall()]


def _duplicate(wh: Warehouse, table: str, where: str) -> None:
    with duckdb.connect(str(wh.db_path)) as conn:
        n = conn.execute(f"insert into {table} select * from {table} where {where}").fetchone()[0]
    assert n == 1, (table, where, n)


@pytest.mark.parametrize("night", ["date_kept", "date_moved"])
def test_the_scoped_data_tests_fail_on_a_bad_row_written_tonight(
    builds, night, tmp_path_factory
) -> None:
    """The incremental models' data tests check only the rows the build wrote
    (macros/risk_test_scope.sql): a duplicate, a negative reply time, written by tonight's build,
    still fails them. On the night the date moved, an account whose inputs did not change had its
    latest snapshot and week rewritten too, and those are checked."""
    nightly = builds[night]["nightly"]
    changed = {
        r["account_id"]
        for r in nightly.query(
            "select account_id from intermediate.int_accounts__risk_inputs_changed"
        )
    }
    if night == "date_kept":
        account = builds["held"]["late_message"][1]  # changed tonight, from an old week on
        assert account in changed
    else:
        account = nightly.query(
            "select min(account_id) as a from intermediate.int_accounts__snapshots where is_latest "
            "and account_id not in (select account_id from intermediate.int_accounts__risk_inputs_changed)"
        )[0]["a"]
        assert account and account not in changed
    latest = f"account_id = '{account}' and is_latest"
    wh = _copy_of(nightly, tmp_path_factory, f"scoped_tests_{night}")
    # the cues mart is a view of the week-end snapshots: the copied latest one is a copied week
    _duplicate(wh, "intermediate.int_accounts__snapshots", latest)
    failed = _failed_tests(wh, "int_accounts__snapshots", "fct_account_cues_weekly")
    assert failed == {
        "row_checks_int_accounts__snapshots": 1,
        "row_checks_fct_account_cues_weekly": 1,
    }, failed
    if night == "date_kept":
        with duckdb.connect(str(wh.db_path)) as conn:
            conn.execute(
                """update intermediate.int_interactions__reply_times set reply_hours = -1
                   where interaction_id = (
                       select max(interaction_id) from intermediate.int_interactions__reply_times
                       where account_id = ? and replied_date >= ?)""",
                [account, builds["held"]["late_message"][2].date()],
            )
        failed = _failed_tests(wh, "int_interactions__reply_times")
        assert failed == {"row_checks_int_interactions__reply_times": 1}
        assert _problems(wh, "row_checks_int_interactions__reply_times") == [
            "not (reply_hours >= 0)"
        ]


def test_the_scoped_data_tests_leave_rows_of_earlier_nights_alone(builds, tmp_path_factory) -> None:
    """A row that no build rewrote tonight is not read again: an old week of an account whose
    inputs did not change (tested by the build that wrote it) is out of the scope, so a duplicate
    planted there passes the nightly's tests, and a full build's tests, which read every row,
    catch it."""
    nightly = builds["date_kept"]["nightly"]
    old = nightly.query(
        """select account_id, min(as_of_date) as as_of_date from intermediate.int_accounts__snapshots
           where account_id not in (select account_id from intermediate.int_accounts__risk_inputs_changed)
           group by account_id order by account_id limit 1"""
    )[0]
    wh = _copy_of(nightly, tmp_path_factory, "scoped_tests_old_row")
    _duplicate(
        wh,
        "intermediate.int_accounts__snapshots",
        f"account_id = '{old['account_id']}' and as_of_date = '{old['as_of_date']}'",
    )
    wh.dbt("test", "--exclude-resource-type", "unit_test", "--select", "int_accounts__snapshots")
    # every account changed (as a full build marks them): the same row fails
    with duckdb.connect(str(wh.db_path)) as conn:
        conn.execute(
            """insert into intermediate.int_accounts__risk_inputs_changed by name
               select distinct account_id, date '1900-01-01' as changed_from_date
               from intermediate.int_accounts__snapshots
               where account_id not in (select account_id from intermediate.int_accounts__risk_inputs_changed)"""
        )
    failed = _failed_tests(wh, "int_accounts__snapshots")
    assert failed == {"row_checks_int_accounts__snapshots": 1}


# --- the row_checks tests: every check still fails on a bad row ----------------------------------

# A bad value for each expression a row_checks test checks (by the expression's start).
BAD_FOR_EXPRESSION = {
    "reply_hours >= 0": "reply_hours = -1",
    "n_train = 0 or": "n_train = 9, trained_through = fit_as_of",
    "churn_risk_higher_riskier between": "churn_risk_higher_riskier = 100.5",
    "health_higher_healthier between": "health_higher_healthier = -0.5",
    "fit_as_of <= as_of_date": "fit_as_of = as_of_date + 1",
}


def _row_checks_tests(manifest_path, risk: bool = True) -> dict[str, tuple[str, dict]]:
    """Each row_checks test of a risk model (`risk`), else of every other model (seeds have theirs
    too): its name, the table it checks, and its arguments."""
    nodes = json.loads(manifest_path.read_text())["nodes"]
    out = {}
    for node in nodes.values():
        if (
            node["resource_type"] == "test"
            and node.get("test_metadata", {}).get("name") == "row_checks"
            and nodes[node["depends_on"]["nodes"][0]]["resource_type"] == "model"
            and ("/risk/" in nodes[node["depends_on"]["nodes"][0]]["original_file_path"]) == risk
        ):
            model = nodes[node["depends_on"]["nodes"][0]]
            out[node["name"]] = (
                f"{model['schema']}.{model['name']}",
                node["test_metadata"]["kwargs"],
            )
    return out


def _one_row(table: str, n: int) -> str:
    """The n-th row of the table, as a `where` on its rowid."""
    return f"rowid = (select rowid from {table} order by rowid limit 1 offset {n})"


def _make_bad(
    conn: duckdb.DuckDBPyConnection, table: str, column: str, value: str, row: int
) -> None:
    """Set `column` to the SQL `value` in the table's row-th row. In the changed accounts' table,
    which scopes the other tests, a bad copy of the row is added instead, so that every account
    stays in their scope."""
    if table == "intermediate.int_accounts__risk_inputs_changed":
        conn.execute(
            f"insert into {table} select * replace ({value} as {column}) from {table} "
            f"where {_one_row(table, row)}"
        )
    else:
        conn.execute(f"update {table} set {column} = {value} where {_one_row(table, row)}")


def test_every_row_check_fails_on_its_bad_row(builds, dbt_manifest, tmp_path_factory) -> None:
    """One row_checks test per model holds every row check the model's separate tests made. On a
    full build's warehouse (every row in the tests' scope), each check gets a bad row of its own:
    a copied row (duplicate key), a null, a value not accepted, each in a different row; then,
    apart, a value that breaks each expression. Each test then fails with the problems planted."""
    tests = _row_checks_tests(dbt_manifest)
    assert len(tests) == 13, sorted(tests)
    wh = _copy_of(builds["date_kept"]["full"], tmp_path_factory, "row_checks_bad")
    planted: dict[str, set[str]] = {}
    expressions: dict[str, list[str]] = {}
    with duckdb.connect(str(wh.db_path)) as conn:
        views = {
            f"{schema}.{view}"
            for schema, view in conn.execute(
                "select schema_name, view_name from duckdb_views() where not internal"
            ).fetchall()
        }
        for name, (table, kwargs) in tests.items():
            assert conn.execute(f"select count(*) from {table}").fetchone()[0] >= 6, table
            if table in views:
                # A view has no rows of its own: the cues mart's rows are the week-end snapshots',
                # so its duplicate is a copied week-end snapshot (the snapshots' test has one too).
                assert table == "marts.fct_account_cues_weekly", table
                assert set(kwargs) - {"model"} == {"unique"}, kwargs
                snapshots = "intermediate.int_accounts__snapshots"
                conn.execute(
                    f"insert into {snapshots} select * from {snapshots} where is_week_end limit 1"
                )
                planted[name] = {f"duplicate key ({', '.join(kwargs['unique'][0])})"}
                expressions[name] = []
                continue
            problems = planted.setdefault(name, set())
            row = 1  # row 0 is the one copied
            for column in kwargs.get("not_null", []):
                _make_bad(conn, table, column, "null", row)
                problems.add(f"{column} is null")
                row += 1
            for column, values in kwargs.get("accepted_values", {}).items():
                _make_bad(conn, table, column, "'not a value'", row)
                problems.add(f"{column} not in ({', '.join(values)})")
                row += 1
            for key in kwargs.get("unique", []):
                conn.execute(
                    f"insert into {table} select * from {table} where {_one_row(table, 0)}"
                )
                problems.add(f"duplicate key ({', '.join(key)})")
            expressions[name] = sorted(map(_rendered, kwargs.get("expressions", [])))
    failed = _failed_tests(wh, *(t.split(".")[1] for t, _ in tests.values()))
    assert set(failed) == set(tests), failed
    for name, problems in planted.items():
        found = set(_problems(wh, name))
        # a null also breaks an expression on its column: each expression is shown apart below
        assert problems <= found <= problems | {f"not ({e})" for e in expressions[name]}, (
            name,
            found,
        )

    wh = _copy_of(builds["date_kept"]["full"], tmp_path_factory, "row_checks_bad_expressions")
    with duckdb.connect(str(wh.db_path)) as conn:
        for name, (table, _) in tests.items():
            for expression in expressions[name]:
                bad = next(v for k, v in BAD_FOR_EXPRESSION.items() if expression.startswith(k))
                conn.execute(f"update {table} set {bad} where {_one_row(table, 0)}")
    with_expressions = {n for n, e in expressions.items() if e}
    failed = _failed_tests(wh, *(tests[n][0].split(".")[1] for n in with_expressions))
    assert failed == {n: 1 for n in with_expressions}, failed
    for name in with_expressions:
        assert _problems(wh, name) == [f"not ({e})" for e in expressions[name]], name


def _rendered(expression: str) -> str:
    """The expression as the test writes it: `{{ var('x') }}` filled in from dbt_project.yml."""
    project_vars = yaml.safe_load((DBT_DIR / "dbt_project.yml").read_text())["vars"]
    return re.sub(
        r"\{\{\s*var\('(\w+)'\)\s*\}\}", lambda m: str(project_vars[m.group(1)]), expression
    )


# --- the seeds' row_checks: an analyst's bad edit fails with its problem named --------------------

# Per seed: rows an analyst might add by mistake (each a copy of the seed's first row with the
# columns given replaced; a copy repeats the first row's key unless the key is replaced), and the
# problems its row_checks test must name.
BAD_SEED_ROWS = {
    "risk_cue_thresholds": (
        [{}, {"cue": "'silence'", "threshold": "null"}],
        {"duplicate key (cue)", "threshold is null"},
    ),
    "health_weights": (
        [{"component": "'mood'", "weight": "-5"}],
        {
            "component not in (sentiment, emotion_trend, engagement, support, surveys, commercial)",
            "not (weight >= 0)",
        },
    ),
    "health_bands": (
        [{}, {"band": "'calm'"}],
        {"duplicate key (band)", "band not in (healthy, watch, at_risk)"},
    ),
    "churn_risk_bands": ([{}, {"band": "null"}], {"duplicate key (band)", "band is null"}),
    "action_types": (
        [{"priority": "'urgent'", "task_type": "'fax'"}],
        {
            "duplicate key (action_type)",
            "priority not in (high, medium, low)",
            "task_type not in (call, email, todo)",
        },
    ),
    "churn_risk_prior_weights": (
        [{"feature": "'usage'", "weight": "null"}],
        {"not (feature like 'f\\_%' escape '\\')", "weight is null"},
    ),
    "emotion_states": (
        [{"state_group": "'sad'"}],
        {
            "duplicate key (emotion)",
            "state_group not in (warm, neutral, uneasy, negative, hostile)",
        },
    ),
    "emotion_transition_kinds": (
        [{"transition_kind": "'drift'"}],
        {
            "duplicate key (from_group, to_group)",
            "transition_kind not in (recovery, cooling, escalation, warming, other)",
        },
    ),
}


def test_each_seeds_row_checks_name_an_analysts_bad_rows(builds, tmp_path_factory) -> None:
    """One row_checks test per seed holds the checks its separate column tests made: bad rows added
    to each seed fail it, with each problem named in its failures' view. The overrides seed ships
    empty: a bad override is written out in full."""
    wh = _copy_of(builds["date_kept"]["full"], tmp_path_factory, "seed_row_checks")
    with duckdb.connect(str(wh.db_path)) as conn:
        for seed, (rows, _) in BAD_SEED_ROWS.items():
            for replaced in rows:
                replace = ", ".join(f"{v} as {k}" for k, v in replaced.items())
                star = f"* replace ({replace})" if replace else "*"
                n = conn.execute(
                    f"insert into seeds.{seed} select {star} from seeds.{seed} limit 1"
                ).fetchone()[0]
                assert n == 1, seed
        conn.execute(
            "insert into seeds.health_overrides (account_id, override_score, overridden_by, reason, "
            "overridden_at, valid_until) values "
            "('acme', 150, 'ana', 'typed 150 for 15', timestamp '2026-01-05 09:00', null)"
        )
    failed = _failed_tests(wh, *BAD_SEED_ROWS, "health_overrides")
    for seed, (_, problems) in BAD_SEED_ROWS.items():
        assert failed.get(f"row_checks_{seed}"), (seed, failed)
        assert set(_problems(wh, f"row_checks_{seed}")) == problems, seed
    assert _problems(wh, "row_checks_health_overrides") == [
        "not (override_score between 0 and 100)"
    ]
    # A build run as the pipeline runs it (no --store-failures) names where the problems are.
    with pytest.raises(AssertionError) as failed:
        wh.dbt("test", "--select", "row_checks_health_overrides")
    assert 'select * from "warehouse"."dbt_test__audit"."row_checks_health_overrides"' in str(
        failed.value
    )
