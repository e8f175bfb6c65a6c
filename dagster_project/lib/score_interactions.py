"""Score interactions incrementally: only texts this scorer version has not scored yet.

An interaction needs a score when no row exists for (interaction_id, scorer version, text hash):
it is new, its text changed in a re-export, or the scorer version changed. Identical texts are
scored once and the result shared, also with texts scored in earlier runs. Contacts who opted
out of analysis are never scored. Old versions' rows stay, so trends survive a re-score.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pyarrow as pa

from sentiment_udfs.taxonomy import CUES

ScoreFn = Callable[[Sequence[str | None]], list[dict]]


@dataclass(frozen=True)
class ScoringStats:
    interactions_scored: int  # rows written to scores.interaction_scores this run
    texts_scored: int  # distinct texts the scorer actually ran on
    texts_reused: int  # distinct texts whose score already existed for this version
    opted_out_skipped: int  # interactions left unscored because the contact opted out


_PENDING_SQL = """
create or replace temp table _pending as
with interactions as (
    select i.interaction_id, i.body, md5(coalesce(i.body, '')) as text_hash,
           coalesce(c.analysis_opt_out, false) as opted_out
    from raw.interactions i
    left join raw.contacts c on c.contact_id = i.contact_id
)
select interaction_id, body, text_hash
from interactions i
where not opted_out
  and not exists (
    select 1 from scores.interaction_scores s
    where s.interaction_id = i.interaction_id
      and s.scorer_version = $version
      and s.text_hash = i.text_hash
  )
"""

_SCORE_COLUMNS = (
    "compound, sentiment_label, emotion, emotion_intensity, emotion_scores, "
    + ", ".join(CUES)
    + ", language, is_empty"
)


def _records_to_arrow(hashes: list[str], records: list[dict]) -> tuple[pa.Table, pa.Table]:
    """Scores and evidence of one batch as Arrow tables keyed by text hash."""
    scores = {
        "text_hash": hashes,
        "compound": [r["compound"] for r in records],
        "sentiment_label": [r["sentiment_label"] for r in records],
        "emotion": [r["emotion"] for r in records],
        "emotion_intensity": [r["emotion_intensity"] for r in records],
        "emotion_keys": [list(r["emotion_scores"]) for r in records],
        "emotion_values": [[float(v) for v in r["emotion_scores"].values()] for r in records],
        **{cue: [bool(r["cues"][cue]) for r in records] for cue in CUES},
        "language": [r["language"] for r in records],
        "is_empty": [bool(r["is_empty"]) for r in records],
    }
    evidence_rows = [(h, e) for h, r in zip(hashes, records, strict=True) for e in r["evidence"]]
    evidence = {
        "text_hash": [h for h, _ in evidence_rows],
        "kind": [e["kind"] for _, e in evidence_rows],
        "target": [e["target"] for _, e in evidence_rows],
        "text": [e.get("text") for _, e in evidence_rows],
        "weight": [float(e.get("weight", 0.0)) for _, e in evidence_rows],
    }
    evidence_schema = pa.schema(
        [
            ("text_hash", pa.string()),
            ("kind", pa.string()),
            ("target", pa.string()),
            ("text", pa.string()),
            ("weight", pa.float64()),
        ]
    )
    return pa.table(scores), pa.table(evidence, schema=evidence_schema)


def score_pending(
    conn: duckdb.DuckDBPyConnection,
    *,
    scorer_version: str,
    score_fn: ScoreFn,
    batch_size: int = 50_000,  # large batches amortize the scorer's worker start-up and memos
    log: Callable[[str], None] = lambda _: None,
) -> ScoringStats:
    """Score what is pending for ``scorer_version`` and write it, in one transaction."""
    params = {"version": scorer_version}
    # The staging tables are made before the transaction: DuckDB 2.0 loses the rows appended
    # to a table created inside the transaction once they pass a few hundred thousand
    # (optimistic writes); the demo's 383k evidence rows vanished that way.
    conn.execute(
        f"""create or replace temp table _text_scores as
        select text_hash, {_SCORE_COLUMNS} from scores.interaction_scores limit 0"""
    )
    conn.execute(
        "create or replace temp table _text_evidence as "
        "select '' as text_hash, kind, target, text, weight from scores.interaction_evidence limit 0"
    )
    conn.execute("begin transaction")
    try:
        conn.execute(_PENDING_SQL, params)
        opted_out = conn.execute(
            "select count(*) from raw.interactions i join raw.contacts c using (contact_id) "
            "where c.analysis_opt_out"
        ).fetchall()[0][0]
        # One representative text per hash that this version has never scored.
        conn.execute(
            """create or replace temp table _texts as
            select row_number() over (order by text_hash) as n, text_hash, any_value(body) as body
            from _pending p
            where not exists (select 1 from scores.interaction_scores s
                              where s.scorer_version = $version and s.text_hash = p.text_hash)
            group by text_hash""",
            params,
        )
        (n_texts,) = conn.execute("select count(*) from _texts").fetchall()[0]
        for start in range(0, n_texts, batch_size):
            rows = conn.execute(
                "select text_hash, body from _texts where n > $lo and n <= $hi order by n",
                {"lo": start, "hi": start + batch_size},
            ).fetchall()
            hashes = [h for h, _ in rows]
            records = score_fn([b for _, b in rows])
            batch_scores, batch_evidence = _records_to_arrow(hashes, records)
            # Relations, not registered views: a view unregistered inside the transaction kept
            # its Arrow batch alive until commit (400k texts: peak 1,413 -> 1,067 MiB).
            conn.from_arrow(batch_scores).select(
                f"""text_hash, compound, sentiment_label, emotion, emotion_intensity,
                map(emotion_keys, emotion_values), {", ".join(CUES)}, language, is_empty"""
            ).insert_into("_text_scores")
            conn.from_arrow(batch_evidence).insert_into("_text_evidence")
            del batch_scores, batch_evidence
            log(f"scored {min(start + batch_size, n_texts):,} of {n_texts:,} distinct texts")

        # Texts this version scored before (for another interaction): reuse score and evidence.
        reused = conn.execute(
            f"""insert into _text_scores
            select distinct on (text_hash) text_hash, {_SCORE_COLUMNS}
            from scores.interaction_scores s
            where s.scorer_version = $version
              and s.text_hash in (select text_hash from _pending)
              and s.text_hash not in (select text_hash from _texts)
            order by text_hash, interaction_id""",
            params,
        ).fetchall()[0][0]
        conn.execute(
            """insert into _text_evidence
            select r.text_hash, e.kind, e.target, e.text, e.weight
            from (select distinct on (text_hash) text_hash, interaction_id
                  from scores.interaction_scores
                  where scorer_version = $version
                    and text_hash in (select text_hash from _pending)
                    and text_hash not in (select text_hash from _texts)
                  order by text_hash, interaction_id) r
            join scores.interaction_evidence e
              on e.interaction_id = r.interaction_id and e.scorer_version = $version""",
            params,
        )

        for table in ("scores.interaction_scores", "scores.interaction_evidence"):
            conn.execute(
                f"delete from {table} where scorer_version = $version "
                "and interaction_id in (select interaction_id from _pending)",
                params,
            )
        written = conn.execute(
            f"""insert into scores.interaction_scores
            select p.interaction_id, p.text_hash, $version, {_SCORE_COLUMNS}, $at
            from _pending p join _text_scores t using (text_hash)""",
            {**params, "at": datetime.now()},
        ).fetchall()[0][0]
        conn.execute(
            """insert into scores.interaction_evidence
            select p.interaction_id, $version, e.kind, e.target, e.text, e.weight
            from _pending p join _text_evidence e using (text_hash)""",
            params,
        )
        for table in ("_pending", "_texts", "_text_scores", "_text_evidence"):
            conn.execute(f"drop table {table}")
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise
    return ScoringStats(written, n_texts, reused, opted_out)
