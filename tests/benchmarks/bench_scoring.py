"""Throughput of the whole emotion engine against plain vaderSentiment, on the same texts.

    python -m tests.benchmarks.bench_scoring [--quick] [--stages]

The headline is text the engine has not scored before: human-written texts (the GoEmotions
training split and DynaSent sentences of ``../shared/eval/data/train``; where those are missing,
the GoEmotions sample and BANKING77), each run on a freshly loaded engine, so no sentence or
word is answered from an earlier run. Customers do not repeat themselves; generated demo text does
(greetings, sign-offs, stock phrases), and the engine works each distinct sentence out once, so
the generated-text figure is reported beside it, never instead of it.

For each kind of text, rounds alternate (the shared machine's load shifts between them): plain
``vaderSentiment`` ``polarity_scores`` on one process (the baseline), the whole engine
(sentiment, emotion, cues, evidence) via ``score_texts`` on one process, and on all cores
(``processes=os.cpu_count()``, pool start-up included). Each round gives a ratio; a figure is
the median of the rounds' ratios. How many sentences of the unseen texts repeat within the set
is reported too (only those can be answered by the memo). Peak resident memory of this process
and of its worker processes is reported. On one process the ratio of CPU times is reported
beside the wall-clock one: on a shared machine other users' load stretches wall time, not the
CPU time a run needs; the load average before and after the runs is reported with them (with
more runnable processes than cores, the figure on all cores says little).

Every timed run ends with the garbage collector's catch-up (``catch_up``), inside its timers:
scoring pauses the cyclic collector, and the allocations right after a batch pay for scanning
whatever the batch left tracked (the memos' objects). A caller pays it, so the figures do.

``--stages`` instead says where an unseen text's time goes: the CPU microseconds per text of
each step of the engine (``STAGES``) and of the catch-up, each the least of ``--passes``
timed passes, and how many objects per text the batch left for the collector to scan. With
``--processes N`` (N > 1) it says where the time of a batch on N processes goes instead: the
parent's CPU on its own chunks, on unpickling the workers' results, on the rest (every
chunk's records, the fork, the pool) and on the catch-up, the workers' CPU, and the page
faults per text on each side (a write to a page shared since the fork copies it).

``--ab OTHER`` compares this checkout's engine with another's (a built checkout of another
commit, e.g. ``git worktree add``): rounds of one process each, taking turns, each giving the
least CPU microseconds per unseen text of ``AB_PASSES`` passes (the pass least disturbed by
other load). A change of 1-2% shows there and nowhere else on a shared machine.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import math
import multiprocessing
import os
import pickle
import random
import resource
import statistics
import subprocess
import sys
import time
import types
from pathlib import Path

N_TEXTS = 100_000
N_QUICK = 5_000
REPEATS = 5  # this shared machine's load shifts between rounds: ratios are medians
CATCH_UP_ALLOCATIONS = 100_000
AB_PASSES = 5


def catch_up() -> None:
    """A fixed run of allocations, as a caller's next work would make: with the collector on,
    they set off the collections it skipped while paused (young, middle, then the whole heap,
    each a scan of the objects the run before left tracked). After VADER's runs too, so both
    sides carry the same run."""
    kept = [[] for _ in range(CATCH_UP_ALLOCATIONS)]  # alive to the end: each one counts
    del kept


def _fallback_texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    openers = ["Hi team,", "Hello,", "Dear support,", "", "Hey", "Good morning,"]
    bodies = [
        "my invoice shows a charge I don't recognise",
        "the app keeps crashing when I export reports",
        "thanks so much, the agent fixed it in minutes!",
        "we are still waiting for a reply about the outage",
        "great, another delay. just what we needed",
        "how do I add a new user to our plan?",
        "I want to cancel my subscription, this is unacceptable",
        "kindly resolve this ASAP, we are losing money",
        "not the worst experience but could be better",
        "love the new dashboard 😍",
    ]
    closers = ["", "Thanks.", "Regards,\nSam", "Please advise.", "Any update?"]
    return [
        " ".join(
            filter(
                None,
                [rng.choice(openers), *rng.sample(bodies, rng.randint(1, 3)), rng.choice(closers)],
            )
        )
        for _ in range(n)
    ]


def sample(n: int, seed: int = 0) -> tuple[list[str], str]:
    try:
        from dagster_project.lib.demo_data.text import sample_texts
    except ImportError:
        return _fallback_texts(n, seed), "built-in fallback generator"
    return sample_texts(n, seed), "dagster_project.lib.demo_data.sample_texts"


EVAL_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "data"


def _column(path: Path, column: str) -> list[str]:
    with path.open(encoding="utf-8", newline="") as f:
        return [row[column] for row in csv.DictReader(f)]


def unseen_texts() -> tuple[list[str], str]:
    """Distinct public human-written texts, shuffled with a fixed seed, and where they came
    from; ([], why) when the eval data is not beside the repository."""
    train = EVAL_DATA / "train"
    goemotions = train / "goemotions_train" / "train.csv"
    dynasent = train / "dynasent" / "dynasent_v1.1_dev_test.csv"
    if goemotions.exists() and dynasent.exists():
        texts = _column(goemotions, "text") + _column(dynasent, "text")
        source = "GoEmotions train + DynaSent (../shared/eval/data/train)"
    else:
        sample20k = EVAL_DATA / "goemotions" / "train_sample20k.tsv"
        banking = EVAL_DATA / "banking77" / "train.csv"
        if not (sample20k.exists() and banking.exists()):
            return [], "skipped: ../shared/eval/data not found"
        texts = [line.split("\t", 1)[0] for line in sample20k.read_text("utf-8").splitlines()]
        texts += _column(banking, "text")
        source = "GoEmotions sample + BANKING77 (../shared/eval/data)"
    texts = list(dict.fromkeys(texts))
    random.Random(0).shuffle(texts)
    return texts, source


def _time_vader(analyzer, texts: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of plain VADER over ``texts``."""
    gc.collect()  # not the collection the previous run's garbage would set off in this one
    started, cpu = time.perf_counter(), time.process_time()
    scores = [analyzer.polarity_scores(t) for t in texts]  # kept, as the engine's records are
    catch_up()
    del scores
    return time.perf_counter() - started, time.process_time() - cpu


def _time_engine(texts: list[str], processes: int = 1) -> tuple[float, float, list[dict]]:
    """Wall and CPU seconds (of this process) to score ``texts`` on a freshly loaded engine
    (loaded outside the timers, so no run profits from an earlier one), and the records."""
    from sentiment_udfs import score_texts
    from sentiment_udfs.engine import engine

    # Not clear_memos(): that keeps the model's word memo (its entries own evidence ids), which
    # an earlier run of the same texts would have filled: about 2% of an unseen text's time.
    engine.cache_clear()
    engine()
    gc.collect()
    started, cpu = time.perf_counter(), time.process_time()
    records = score_texts(texts, processes=processes)
    catch_up()
    return time.perf_counter() - started, time.process_time() - cpu, records


def repeated_sentence_share(texts: list[str]) -> float:
    """Share of the texts' sentences that repeat an earlier one of the set: the most the
    engine's memo can answer when it starts empty."""
    from sentiment_udfs.engine import engine

    eng = engine()
    eng.clear_memos()
    seen: set[int] = set()
    total = 0
    for t in texts:
        for si in eng.sentences(t.strip()):
            total += 1
            seen.add(id(si))
    eng.clear_memos()
    return round(1 - len(seen) / total, 4) if total else 0.0


def compare(analyzer, texts: list[str], cores: int, rounds: int = REPEATS) -> dict:
    """VADER, the engine on one process and on ``cores`` take turns ``rounds`` times."""
    timed = []
    cpu = []  # on one process: CPU seconds, which other users' load on the machine barely moves
    for _ in range(rounds):
        vader_s, vader_cpu = _time_vader(analyzer, texts)
        one_s, one_cpu, records = _time_engine(texts)
        all_s, _, records_all = _time_engine(texts, processes=cores)
        assert [r["compound"] for r in records_all] == [r["compound"] for r in records]
        timed.append((vader_s, one_s, all_s))
        cpu.append(vader_cpu / one_cpu)
    n = len(texts)
    vader_s, one_s, all_s = (statistics.median(r[i] for r in timed) for i in range(3))
    return {
        "texts": n,
        "mean_chars": round(sum(map(len, texts)) / n, 1),
        "distinct_texts": len(set(texts)),
        "vader_texts_per_s": round(n / vader_s),
        "engine_1_process_texts_per_s": round(n / one_s),
        "engine_all_cores_texts_per_s": round(n / all_s),
        "ratio_1_process_vs_vader": round(statistics.median(v / o for v, o, _ in timed), 2),
        "cpu_ratio_1_process_vs_vader": round(statistics.median(cpu), 2),
        "ratio_all_cores_vs_vader": round(statistics.median(v / a for v, _, a in timed), 2),
        "ratios_1_process_per_round": [round(v / o, 2) for v, o, _ in timed],
        "ratios_all_cores_per_round": [round(v / a, 2) for v, _, a in timed],
    }


# Where an unseen text's time goes: the engine's steps, timed by wrapping the engine's methods
# (its own calls go through the instance, so the wrappers see them); "of which" steps are
# inside the one above them. The wrappers add a little time of their own to each step.
STAGES = (
    ("sentence analysis", "sentences"),
    ("  of which: tokens (first sight)", "_token"),
    ("  of which: model feature ids", "_feature_ids"),
    ("sentiment rules", "sentiment"),
    ("batch finishing (model, rules, evidence)", "finish_batch"),
    ("  of which: logits", "logits"),
    ("  of which: model evidence", "_model_evidence"),
)
CATCH_UP = "collector's catch-up (after the batch)"
LEFT_TRACKED = "objects the batch left for the collector to scan, per text"


def stage_profile(texts: list[str]) -> dict:
    """CPU microseconds per text of each of ``STAGES``, the records, the collector's catch-up
    and the whole, scoring ``texts`` once on one process with empty memos; and how many
    objects per text the batch left tracked (the memos' and the results'), which the catch-up
    scans."""
    from sentiment_udfs import score_texts
    from sentiment_udfs.engine import engine, record

    eng = engine()
    spent = dict.fromkeys([method for _, method in STAGES], 0.0)

    def timed(method: str):
        inner = getattr(eng, method)

        def wrapper(*args, **kwargs):
            started = time.process_time()
            try:
                return inner(*args, **kwargs)
            finally:
                spent[method] += time.process_time() - started

        return wrapper

    score_texts(texts[:50])  # loaded before timing
    eng.clear_memos()
    for _, method in STAGES:
        setattr(eng, method, timed(method))
    gc.collect()
    gc.disable()  # as score_texts does
    tracked = len(gc.get_objects())
    try:
        started = time.process_time()
        compact = eng.score_batch(texts)
        batch = time.process_time() - started
        started = time.process_time()
        for c in compact:
            record(c)
        records = time.process_time() - started
        left = len(gc.get_objects()) - tracked  # what the catch-up scans (memo_gc keeps it low)
    finally:
        gc.enable()
        for _, method in STAGES:
            delattr(eng, method)  # the class's methods again
    try:
        started = time.process_time()
        catch_up()
        collector = time.process_time() - started
    finally:
        eng.clear_memos()
    per_text = 1e6 / len(texts)
    out = {label: round(spent[method] * per_text, 1) for label, method in STAGES}
    out["records (dicts of the contract)"] = round(records * per_text, 1)
    out[CATCH_UP] = round(collector * per_text, 1)
    out["whole engine"] = round((batch + records + collector) * per_text, 1)
    out[LEFT_TRACKED] = round(left / len(texts), 2)
    return out


def parallel_profile(texts: list[str], processes: int) -> dict:
    """Where the time of one batch on ``processes`` processes goes, per text: the parent's
    CPU microseconds on its own chunks and on unpickling the workers' chunks (timed by wrapping
    ``scoring``'s names for them, a call per chunk), the rest of its CPU (every chunk's
    records, the fork, the pool, waiting), of which the records (built again from the same
    results after the batch: a timer per record would cost more than a record) and the
    collector's catch-up; the workers' CPU (scoring, pickling and exit: resource usage of the
    reaped children); and each side's page faults."""
    from sentiment_udfs import score_texts, scoring
    from sentiment_udfs.engine import engine, record

    spent = {"own": 0.0, "unpickle": 0.0}
    parts: list[list[tuple]] = []  # every chunk's compact results, as the parent had them

    def timed(key: str, inner):
        def wrapper(*args):
            started = time.process_time()
            try:
                part = inner(*args)
            finally:
                spent[key] += time.process_time() - started
            parts.append(part)
            return part

        return wrapper

    patched = {
        "_compact": timed("own", scoring._compact),
        # the workers pickle with the module's dump as it is; the parent's load is timed
        "pickle": types.SimpleNamespace(
            dump=pickle.dump,
            load=timed("unpickle", pickle.load),
            HIGHEST_PROTOCOL=pickle.HIGHEST_PROTOCOL,
        ),
    }
    score_texts(texts[:50])  # loaded before timing
    engine().clear_memos()
    original = {name: getattr(scoring, name) for name in patched}
    for name, value in patched.items():
        setattr(scoring, name, value)
    try:
        gc.collect()
        parent = resource.getrusage(resource.RUSAGE_SELF)
        workers = resource.getrusage(resource.RUSAGE_CHILDREN)
        started, cpu = time.perf_counter(), time.process_time()
        score_texts(texts, processes=processes)
        batch_cpu = time.process_time() - cpu
        collector = time.process_time()
        catch_up()
        collector = time.process_time() - collector
        wall = time.perf_counter() - started
        parent_faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - parent.ru_minflt
    finally:
        for name, value in original.items():
            setattr(scoring, name, value)
        engine().clear_memos()
    while multiprocessing.active_children():  # reaps the workers: their usage is counted
        time.sleep(0.01)
    done = resource.getrusage(resource.RUSAGE_CHILDREN)
    worker_cpu = done.ru_utime + done.ru_stime - workers.ru_utime - workers.ru_stime
    gc.disable()  # as score_texts does
    try:
        records = time.process_time()
        for part in parts:
            for c in part:
                record(c)
        records = time.process_time() - records
    finally:
        gc.enable()
    per_text = 1e6 / len(texts)
    return {
        "wall": round(wall * per_text, 1),
        "parent: its own chunks' scoring": round(spent["own"] * per_text, 1),
        "parent: unpickling the workers' chunks": round(spent["unpickle"] * per_text, 1),
        "parent: the rest (records, fork, pool, waiting)": round(
            (batch_cpu - sum(spent.values())) * per_text, 1
        ),
        "  of which: records of every chunk (timed apart)": round(records * per_text, 1),
        "parent: " + CATCH_UP: round(collector * per_text, 1),
        "workers: CPU (their chunks' scoring, pickling, exit)": round(worker_cpu * per_text, 1),
        "page faults per text: parent": round(parent_faults / len(texts), 2),
        "page faults per text: workers": round(
            (done.ru_minflt - workers.ru_minflt) / len(texts), 2
        ),
    }


def _time_sentences(texts: list[str]) -> float:
    """CPU seconds of the sentence analysis alone (``Engine.sentences``), empty memos."""
    from sentiment_udfs.engine import engine

    eng = engine()
    eng.clear_memos()
    gc.collect()
    gc.disable()  # as score_texts does
    try:
        cpu = time.process_time()
        for t in texts:
            eng.sentences(t.strip())
        return time.process_time() - cpu
    finally:
        gc.enable()
        eng.clear_memos()


def _time_evidence(texts: list[str]) -> float:
    """CPU seconds to work out the model evidence (``Engine._sentence_top``) of each distinct
    sentence of ``texts`` for every emotion (a text needs it for one: its own)."""
    from sentiment_udfs.engine import engine
    from sentiment_udfs.taxonomy import EMOTIONS

    eng = engine()
    eng.clear_memos()
    sentences = list({id(si): si for t in texts for si in eng.sentences(t.strip())}.values())
    gc.collect()
    gc.disable()
    try:
        cpu = time.process_time()
        for si in sentences:
            for emotion in range(len(EMOTIONS)):
                eng._sentence_top(si, emotion)
        return time.process_time() - cpu
    finally:
        gc.enable()
        eng.clear_memos()


# What --ab and --unseen-us can time: the CPU seconds of one pass over the texts.
_PARTS = {
    "engine": lambda texts: _time_engine(texts)[1],
    "sentences": _time_sentences,
    "evidence": _time_evidence,
}


def unseen_us_per_text(part: str = "engine", passes: int = AB_PASSES) -> dict:
    """The least CPU microseconds per unseen text over ``passes`` passes on one process, with
    empty memos, of the whole engine (``part`` "engine": the catch-up included), of its
    sentence analysis ("sentences") or of the model evidence for every emotion ("evidence");
    and the modules that ran compiled."""
    from sentiment_udfs import compiled, score_texts

    texts, _ = unseen_texts()
    score_texts(texts[:50])  # loaded before timing
    best = math.inf
    for _ in range(passes):
        best = min(best, _PARTS[part](texts))
    return {"us": round(best * 1e6 / len(texts), 2), "compiled": compiled.loaded()}


def ab(other: Path, rounds: int, part: str = "engine") -> list[dict]:
    """This checkout and ``other``, a process each per round, taking turns (the order swaps
    each round, so a drift in the machine's load falls on both)."""
    here = Path(__file__).resolve().parents[2]
    out = []
    for r in range(rounds):
        row = {"load": round(os.getloadavg()[0], 2)}
        for name, root in (("this", here), ("other", other))[:: 1 if r % 2 == 0 else -1]:
            done = subprocess.run(
                [sys.executable, __file__, "--unseen-us", part],
                cwd=root,
                env={**os.environ, "PYTHONPATH": str(root)},  # that checkout's sentiment_udfs
                capture_output=True,
                text=True,
                check=True,
            )
            row[name] = json.loads(done.stdout.splitlines()[-1])
        if row["this"]["compiled"] != row["other"]["compiled"]:
            row["warning"] = "not the same modules compiled: build both checkouts"
        out.append(row)
        print(
            f"round {r + 1}: this {row['this']['us']} us/text, other {row['other']['us']}"
            f" (load {row['load']}){'  ' + row.get('warning', '')}",
            flush=True,
        )
    return out


def _peak_mb(who: int) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # Linux reports KiB


def run(quick: bool = False) -> dict:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from sentiment_udfs import score_texts

    n = N_QUICK if quick else N_TEXTS
    cores = os.cpu_count() or 1
    load_before = os.getloadavg()[0]
    analyzer = SentimentIntensityAnalyzer()
    generated, source = sample(n)

    started = time.perf_counter()
    score_texts(generated[:50])  # first use loads the lexicons and the model: timed apart
    load_s = time.perf_counter() - started

    human, human_source = unseen_texts()
    if human:
        human = human[:n]
        unseen = compare(analyzer, human, cores)
        unseen["text_source"] = human_source
        unseen["repeated_sentence_share"] = repeated_sentence_share(human)
    else:
        unseen = human_source
    on_generated = compare(analyzer, generated, cores)
    on_generated["text_source"] = source
    return {
        "cores": cores,
        "rounds": REPEATS,
        "target_ratio_1_process": 1.5,
        "target_ratio_all_cores": 2.5,
        "unseen_human_text": unseen,
        "generated_text": on_generated,
        "first_use_load_s": round(load_s, 2),
        "load_average_1min_before_after": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "peak_rss_mb_main": _peak_mb(resource.RUSAGE_SELF),
        "peak_rss_mb_largest_worker": _peak_mb(resource.RUSAGE_CHILDREN),
    }


def _lines(title: str, r: dict, cores: int) -> str:
    return (
        f"{title}: {r['texts']:,} texts ({r['distinct_texts']:,} distinct; {r['text_source']}, "
        f"{r['mean_chars']} chars mean)\n"
        f"  plain VADER, 1 process     {r['vader_texts_per_s']:>8,} texts/s\n"
        f"  engine, 1 process          {r['engine_1_process_texts_per_s']:>8,} texts/s"
        f"  = {r['ratio_1_process_vs_vader']}x VADER (target 1.5x;"
        f" rounds {r['ratios_1_process_per_round']};"
        f" by CPU time {r['cpu_ratio_1_process_vs_vader']}x)\n"
        f"  engine, {cores} processes         {r['engine_all_cores_texts_per_s']:>8,} texts/s"
        f"  = {r['ratio_all_cores_vs_vader']}x VADER (target 2.5x;"
        f" rounds {r['ratios_all_cores_per_round']})"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.benchmarks.bench_scoring")
    ap.add_argument(
        "--quick", action="store_true", help=f"{N_QUICK:,} texts instead of {N_TEXTS:,}"
    )
    ap.add_argument(
        "--stages",
        action="store_true",
        help="only where the time goes on unseen text: CPU us per text of each engine step",
    )
    ap.add_argument(
        "--passes",
        type=int,
        default=3,
        help="--stages: passes, each stage's figure the least (this machine's load shifts)",
    )
    ap.add_argument(
        "--processes",
        type=int,
        default=1,
        help="--stages: where the time of a batch on this many processes goes (parent, workers)",
    )
    ap.add_argument(
        "--ab",
        type=Path,
        metavar="OTHER",
        help="compare with another built checkout: CPU us per unseen text, rounds alternating",
    )
    ap.add_argument("--rounds", type=int, default=3, help="rounds of --ab")
    ap.add_argument(
        "--part",
        choices=tuple(_PARTS),
        default="engine",
        help="what --ab times: the whole engine, its sentence analysis, or the model evidence",
    )
    ap.add_argument("--unseen-us", metavar="PART", help=argparse.SUPPRESS)  # --ab's runs
    args = ap.parse_args(argv)
    if args.unseen_us:
        print(json.dumps(unseen_us_per_text(args.unseen_us)))
        return 0
    if args.ab:
        rows = ab(args.ab.resolve(), args.rounds, args.part)
        for side in ("this", "other"):
            us = [row[side]["us"] for row in rows]
            print(f"{side}: median {statistics.median(us):.2f}, least {min(us)} us per unseen text")
        return 0
    if args.stages:
        texts, source = unseen_texts()
        if not texts:
            print(f"unseen human text: {source}")
            return 0
        texts = texts[: N_QUICK if args.quick else N_TEXTS]
        if args.processes > 1:
            print(
                f"where the time goes on {args.processes} processes: {len(texts):,} unseen"
                f" texts ({source}), us per text (each figure the least of {args.passes} passes;"
                f" load average {os.getloadavg()[0]:.2f})"
            )
            passes = [parallel_profile(texts, args.processes) for _ in range(args.passes)]
            for key in passes[0]:
                print(f"  {key:54} {min(p[key] for p in passes):>7}")
            return 0
        print(
            f"where the time goes: {len(texts):,} unseen texts ({source}), CPU us per text"
            f" (each figure the least of {args.passes} passes)"
        )
        passes = [stage_profile(texts) for _ in range(args.passes)]
        profile = {key: min(p[key] for p in passes) for key in passes[0]}
        left = profile.pop(LEFT_TRACKED)
        for label, us in profile.items():
            print(f"  {label:42} {us:>7}")
        print(f"  {LEFT_TRACKED}: {left}")
        return 0
    result = run(quick=args.quick)
    unseen = result["unseen_human_text"]
    if isinstance(unseen, dict):
        print(_lines("UNSEEN human text (the headline)", unseen, result["cores"]))
        print(f"  sentences repeating within the set: {unseen['repeated_sentence_share']:.1%}")
    else:
        print(f"unseen human text: {unseen}")
    print(_lines("generated demo text", result["generated_text"], result["cores"]))
    print(
        f"peak RSS: main {result['peak_rss_mb_main']} MB, "
        f"largest worker {result['peak_rss_mb_largest_worker']} MB"
    )
    before, after = result["load_average_1min_before_after"]
    print(f"load average (1 min) before {before}, after {after}, on {result['cores']} cores")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
