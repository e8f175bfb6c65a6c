"""``python -m sentiment_udfs score``: CSV ``id,text`` on stdin -> scores as CSV on stdout.

Streams in batches (quoted newlines in texts are fine: the csv module parses them), so it scores
files larger than memory and speaks the protocol of the shared evaluation harness.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterator

from sentiment_udfs import compiled
from sentiment_udfs.scoring import score_texts

COLUMNS = (
    "id",
    "compound",
    "sentiment_label",
    "emotion",
    "emotion_intensity",
    "churn_intent",
    "billing_concern",
    "urgency",
    "praise",
    "sarcasm",
    "question",
    "language",
    "scorer_version",
)
BATCH = 5_000


def _batches(reader: Iterator[dict], size: int) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for row in reader:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def row_for(key: str, record: dict) -> list:
    """One output row: the cue booleans as true/false."""
    cues = record["cues"]
    return [
        key,
        record["compound"],
        record["sentiment_label"],
        record["emotion"],
        record["emotion_intensity"],
        *("true" if cues[c] else "false" for c in COLUMNS[5:11]),
        record["language"],
        record["scorer_version"],
    ]


def score_csv(stdin, stdout, processes: int = 1) -> int:
    csv.field_size_limit(sys.maxsize)
    reader = csv.DictReader(stdin)
    if reader.fieldnames is None or "text" not in reader.fieldnames:
        print("input must be CSV with a header containing 'text' (and 'id')", file=sys.stderr)
        return 2
    writer = csv.writer(stdout, lineterminator="\n")
    writer.writerow(COLUMNS)
    n = 0
    for batch in _batches(reader, BATCH):
        records = score_texts([row.get("text") for row in batch], processes=processes)
        for i, (row, record) in enumerate(zip(batch, records, strict=True)):
            writer.writerow(row_for(row.get("id") or str(n + i), record))
        n += len(batch)
    stdout.flush()
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sentiment_udfs", description=__doc__)
    sub = ap.add_subparsers(dest="command", required=True)
    sc = sub.add_parser("score", help="score CSV id,text from stdin to stdout")
    sc.add_argument("--processes", type=int, default=1, help="worker processes (default 1)")
    sub.add_parser("compile", help="compile the hot modules with Cython (see compiled.py)")
    a = ap.parse_args(argv)
    if a.command == "score":
        return score_csv(sys.stdin, sys.stdout, a.processes)
    if a.command == "compile":
        return compiled.build_or_explain()
    return 2  # pragma: no cover


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
