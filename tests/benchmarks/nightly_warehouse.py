"""What the nightly-build benchmarks (bench_risk, bench_memory, bench_evidence) share: a
pipeline-built warehouse, tonight's rows held back and put back, and `dbt build` timed per node
from its run_results.json.

A nightly build is measured as the issues define it: the newest 1% of interactions (with their
scores) and of engagement events are held back out of raw.* and scores.*, a `--full-refresh`
builds the rest (yesterday's warehouse), then they arrive, as tonight's load and scoring write
them, and a plain `dbt build` runs.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from dagster_project.lib.warehouse_schema import ensure_schema

REPO = Path(__file__).resolve().parents[2]
DBT_DIR = REPO / "dbt"
HELD_BACK = 0.01
HELD_TABLES = ("interactions", "engagement_events")
# BENCH_DBT_THREADS=N times a build with N dbt threads instead of the profile's 2 (as the pipeline
# runs it). With two, a node's execution_time includes some of the other thread's work on the same
# cores; with one, it is its own. Neither is kinder to the nightly/full ratio: at 1M the memory
# marts read 17% with one and 23% with two under load, and 28% with one on a quiet machine.


def dbt_env(warehouse_dir: Path) -> dict[str, str]:
    """The environment a dbt run against `warehouse_dir` gets (no Dagster home, no telemetry)."""
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    env["WAREHOUSE_DIR"] = str(warehouse_dir)
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    return env


def pipeline_warehouse(
    warehouse_dir: Path, env: dict[str, str], args: list[str], prepared_var: str
) -> None:
    """A pipeline-built warehouse.duckdb in warehouse_dir: copied from the directory the
    environment variable `prepared_var` names (never written to), so as not to rescore a million
    texts; else the demo exports (`args`: their size) generated and the pipeline run once."""
    db = warehouse_dir / "warehouse.duckdb"
    prepared = os.environ.get(prepared_var)
    if prepared:
        shutil.copy(Path(prepared) / "warehouse.duckdb", db)
        with duckdb.connect(str(db)) as conn:
            ensure_schema(conn)  # a warehouse built by an older version lacks newer columns
        return
    inbox = str(warehouse_dir / "inbox")
    _module(["dagster_project.lib.demo_data", "--out", inbox, "--quiet", *args], env)
    _module(["dagster_project", "run"], env)


def _module(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", *args], env=env, capture_output=True, text=True, timeout=3600
    )
    if done.returncode != 0:
        raise RuntimeError(done.stdout[-3000:] + done.stderr[-3000:])


def hold_back(db: Path, share: float = HELD_BACK) -> dict[str, int]:
    """Move the newest `share` of interactions (with their scores) and engagement events into
    held_* tables; return how many rows of each were held."""
    with duckdb.connect(str(db)) as conn:
        held = {}
        for table in HELD_TABLES:
            cutoff = conn.execute(
                f"select quantile_disc(occurred_at, {1 - share}) from raw.{table}"
            ).fetchone()[0]
            conn.execute(
                f"create table raw.held_{table} as select * from raw.{table} where occurred_at > ?",
                [cutoff],
            )
            conn.execute(f"delete from raw.{table} where occurred_at > ?", [cutoff])
            held[table] = conn.execute(f"select count(*) from raw.held_{table}").fetchone()[0]
        conn.execute(
            "create table scores.held_interaction_scores as select * from scores.interaction_scores "
            "where interaction_id in (select interaction_id from raw.held_interactions)"
        )
        conn.execute(
            "delete from scores.interaction_scores where interaction_id in "
            "(select interaction_id from raw.held_interactions)"
        )
        return held


def put_back(db: Path, arrived_at: datetime) -> None:
    """The held rows arrive, loaded and scored at `arrived_at`, as tonight's run writes them."""
    with duckdb.connect(str(db)) as conn:
        for table in HELD_TABLES:
            conn.execute(
                f"insert into raw.{table} by name "
                f"select * replace (?::timestamp as _loaded_at) from raw.held_{table}",
                [arrived_at],
            )
            conn.execute(f"drop table raw.held_{table}")
        conn.execute(
            "insert into scores.interaction_scores by name "
            "select * replace (?::timestamp as scored_at) from scores.held_interaction_scores",
            [arrived_at],
        )
        conn.execute("drop table scores.held_interaction_scores")


@dataclass(frozen=True)
class DbtBuild:
    """One `dbt build`: its wall time, each node's execution time (run_results.json: the node's
    own work, dbt's start-up not included), the manifest's nodes, and the CPU seconds (user + sys)
    the dbt process and DuckDB's threads in it used, start-up included: unlike wall time, barely
    moved by other users' load on a shared machine."""

    wall_s: float
    node_seconds: dict[str, float]  # unique_id -> execution_time
    nodes: dict[str, dict]  # unique_id -> manifest node (unit tests included)
    cpu_s: float = 0.0

    def seconds(self, unique_ids) -> float:
        return sum(self.node_seconds.get(u, 0.0) for u in unique_ids)

    def slowest(self, unique_ids=None, n: int = 8) -> list[str]:
        """The n slowest nodes (of `unique_ids`, else all) as 'name 1.23s' (a test's name without
        the hash dbt appends to its unique_id)."""
        ids = self.node_seconds if unique_ids is None else set(unique_ids) & set(self.node_seconds)
        ranked = sorted(ids, key=lambda u: -self.node_seconds[u])[:n]
        return [f"{u.split('.')[2]} {self.node_seconds[u]:.2f}s" for u in ranked]


def dbt_build(env: dict[str, str], work: Path, *args: str) -> DbtBuild:
    """Run `dbt build *args` with its target and logs under `work`; raise with dbt's output if it
    fails."""
    target = work / "target"
    started, cpu = time.perf_counter(), _children_cpu_s()
    done = subprocess.run(
        [
            str(Path(sys.executable).with_name("dbt")),
            "build",
            "--profiles-dir",
            str(DBT_DIR),
            "--project-dir",
            str(DBT_DIR),
            "--target-path",
            str(target),
            "--log-path",
            str(work / "logs"),
            "--quiet",
            # as the pipeline builds (dagster_project/defs/transform/assets.py): no unit tests
            "--exclude-resource-type",
            "unit_test",
            *(
                ["--threads", os.environ["BENCH_DBT_THREADS"]]
                if "BENCH_DBT_THREADS" in os.environ
                else []
            ),
            *args,
        ],
        cwd=DBT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    wall, cpu = time.perf_counter() - started, _children_cpu_s() - cpu
    if done.returncode != 0:
        raise RuntimeError(done.stdout[-3000:] + done.stderr[-3000:])
    manifest = json.loads((target / "manifest.json").read_text())
    results = json.loads((target / "run_results.json").read_text())["results"]
    return DbtBuild(
        wall_s=round(wall, 1),
        node_seconds={r["unique_id"]: r["execution_time"] for r in results},
        nodes={**manifest["nodes"], **manifest.get("unit_tests", {})},
        cpu_s=round(cpu, 2),
    )


def _children_cpu_s() -> float:
    """User + system CPU seconds of this process's finished children (dbt runs as one)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
