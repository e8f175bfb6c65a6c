"""Start a run when new or changed files land in the inbox."""

import hashlib
import json
import time

import dagster as dg

from dagster_project.defs.pipeline.jobs import warehouse_job
from dagster_project.lib.inbox import list_inbox
from dagster_project.lib.settings import warehouse_paths

# A file modified this recently may still be being written; the next tick picks it up.
SETTLE_SECONDS = 10


def inbox_signature(now: float | None = None) -> dict[str, list[int]]:
    """name -> [size, mtime_ns] for every settled inbox file."""
    now = time.time() if now is None else now
    signature = {}
    for path in list_inbox(warehouse_paths().inbox):
        stat = path.stat()
        if now - stat.st_mtime >= SETTLE_SECONDS:
            signature[path.name] = [stat.st_size, stat.st_mtime_ns]
    return signature


@dg.sensor(
    job=warehouse_job,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def inbox_sensor(context: dg.SensorEvaluationContext):
    """Requests one run for each new set of inbox files; the ledger makes re-seen files no-ops."""
    seen = json.loads(context.cursor) if context.cursor else {}
    current = inbox_signature()
    new = sorted(name for name, sig in current.items() if seen.get(name) != sig)
    context.update_cursor(json.dumps(current))
    if not new:
        return dg.SkipReason("no new files in the inbox")
    run_key = hashlib.sha256(json.dumps({n: current[n] for n in new}).encode()).hexdigest()[:16]
    return dg.RunRequest(run_key=run_key, tags={"inbox_files": ",".join(new)[:200]})
