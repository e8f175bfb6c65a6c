"""Behaviour of the demo-data generator: determinism, contract, consistency, realism, mess, scale."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from dagster_project.lib.contract import ENTITIES, ENUMS
from dagster_project.lib.demo_data import generate_demo_data, sample_texts
from dagster_project.lib.demo_data.__main__ import main
from dagster_project.lib.demo_data.writers import FORMATS
from sentiment_udfs.taxonomy import EMOTIONS

TS = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
SMALL = {"accounts": 8, "months": 4}


def _csv(out: Path, entity: str) -> list[dict[str, str]]:
    with (out / f"{entity}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _ts(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%d %H:%M:%S")


def _is_malformed(row: dict[str, str]) -> bool:
    return not row["interaction_id"] or row["interaction_id"].endswith("-X")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """One mid-sized run shared by the read-only tests (a few seconds)."""
    out = tmp_path_factory.mktemp("demo")
    counts = generate_demo_data(out, accounts=80, months=12, seed=11)
    return out, counts


@pytest.fixture(scope="module")
def interactions(demo: tuple[Path, dict[str, int]]) -> list[dict[str, str]]:
    return _csv(demo[0], "interactions")


def _file_bytes(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_same_seed_gives_identical_bytes_and_another_seed_differs(tmp_path: Path) -> None:
    generate_demo_data(tmp_path / "a", seed=3, **SMALL)
    generate_demo_data(tmp_path / "b", seed=3, **SMALL)
    generate_demo_data(tmp_path / "c", seed=4, **SMALL)
    a, b, c = (_file_bytes(tmp_path / x) for x in "abc")
    assert a == b
    assert set(a) == set(c)
    assert all(a[name] != c[name] for name in a), "every file should change with the seed"


def test_one_file_per_entity_with_contract_columns_in_order(demo) -> None:
    out, counts = demo
    # The demo's survey answers name their contact; none come as separate submissions; its
    # deals' stages say whether they are closed, so no pipelines file. Action decisions and
    # health overrides come from the dashboard's app state, never from a CRM export.
    from_app_state = {"action_decisions", "health_overrides"}
    assert set(counts) == set(ENTITIES) - {"survey_submissions", "pipeline_stages", *from_app_state}
    for name, entity in ENTITIES.items():
        if name not in counts:
            continue
        ext = FORMATS[name][0]
        path = out / f"{name}.{ext}"
        assert path.exists(), path
        if ext == "csv":
            with path.open(encoding="utf-8", newline="") as fh:
                assert next(csv.reader(fh)) == entity.column_names
        elif ext == "parquet":
            assert pq.read_schema(path).names == entity.column_names
        elif ext == "json":
            objs = json.loads(path.read_text(encoding="utf-8"))
            assert objs and all(list(o) == entity.column_names for o in objs)
        else:
            lines = path.read_text(encoding="utf-8").splitlines()
            assert lines and all(list(json.loads(x)) == entity.column_names for x in lines)


def test_returned_counts_are_the_rows_in_the_files(demo, interactions) -> None:
    out, counts = demo
    assert counts["interactions"] == len(interactions)
    accounts = _csv(out, "accounts")
    assert counts["accounts"] == len(accounts)
    # 80 customer accounts, as asked; leads come on top of them
    assert sum(a["account_id"].startswith("ACC-") for a in accounts) == 80
    assert (
        counts["engagement_events"] == pq.read_metadata(out / "engagement_events.parquet").num_rows
    )
    assert counts["deals"] == len(json.loads((out / "deals.json").read_text(encoding="utf-8")))
    tags = (out / "emotion_tags.ndjson").read_text(encoding="utf-8").splitlines()
    assert counts["emotion_tags"] == len(tags) > 0


def test_references_between_entities_hold(demo, interactions) -> None:
    out, _ = demo
    accounts = {r["account_id"] for r in _csv(out, "accounts")}
    contacts = {r["contact_id"]: r["account_id"] for r in _csv(out, "contacts")}
    tickets = {r["ticket_id"]: r for r in _csv(out, "tickets")}
    good = [r for r in interactions if not _is_malformed(r)]
    assert all(r["account_id"] in accounts for r in good)
    assert all(contacts[r["contact_id"]] == r["account_id"] for r in good)
    on_tickets = {r["ticket_id"] for r in good if r["ticket_id"]}
    assert on_tickets == set(tickets), "every ticket has interactions and every reference exists"
    assert all(
        tickets[r["ticket_id"]]["account_id"] == r["account_id"] for r in good if r["ticket_id"]
    )
    assert set(contacts.values()) <= accounts
    for r in _csv(out, "surveys"):
        assert r["account_id"] in accounts
        assert int(r["scale_min"]) <= float(r["score"]) <= int(r["scale_max"])
        assert (r["scale_min"], r["scale_max"]) in {("0", "10"), ("1", "5"), ("1", "7")}
        assert not r["ticket_id"] or r["ticket_id"] in tickets
    ids = {r["interaction_id"] for r in good}
    lines = (out / "emotion_tags.ndjson").read_text(encoding="utf-8").splitlines()
    for tag in map(json.loads, lines):
        assert tag["interaction_id"] in ids and tag["tag"] in EMOTIONS
        assert tag["tagged_by"].endswith("@tallyhawk.example")
        assert tag["account_id"] in (None, *accounts)
    events = pq.read_table(out / "engagement_events.parquet").to_pylist()
    assert {e["account_id"] for e in events} <= accounts
    assert all(contacts[e["contact_id"]] == e["account_id"] for e in events)


def test_ticket_times_agree_with_their_interactions(demo, interactions) -> None:
    out, _ = demo
    by_ticket: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in interactions:
        if r["ticket_id"] and not _is_malformed(r):
            by_ticket[r["ticket_id"]].append(r)
    reopened = 0
    for t in _csv(out, "tickets"):
        rows = by_ticket[t["ticket_id"]]
        assert t["created_at"] == min(r["occurred_at"] for r in rows)
        stamps = [t[k] for k in ("created_at", "first_solved_at", "solved_at", "closed_at") if t[k]]
        assert stamps == sorted(stamps), t
        if t["first_solved_at"]:
            agent_times = [r["occurred_at"] for r in rows if r["author_type"] == "agent"]
            assert t["first_solved_at"] in agent_times, "a ticket is solved by an agent's reply"
        if t["closed_at"]:
            assert t["status"] == "closed" and t["solved_at"]
        if int(t["reopen_count"]):
            reopened += 1
            later = [r for r in rows if r["occurred_at"] > t["first_solved_at"]]
            assert any(r["author_type"] == "customer" for r in later), "reopened by the customer"
    assert reopened > 0


def test_enums_types_and_formats(demo, interactions) -> None:
    out, _ = demo
    good = [r for r in interactions if not _is_malformed(r)]
    for (entity, column), allowed in ENUMS.items():
        if entity == "interactions":
            assert {r[column] for r in good} == set(allowed), column
        elif entity == "engagement_events":
            values = set(pq.read_table(out / f"{entity}.parquet").column(column).to_pylist())
            assert values == set(allowed)
        elif entity in FORMATS and FORMATS[entity][0] == "csv":  # decisions come from no export
            assert {r[column] for r in _csv(out, entity)} <= set(allowed), column
    assert all(TS.match(r["occurred_at"]) for r in good)
    contacts = _csv(out, "contacts")
    assert {r["analysis_opt_out"] for r in contacts} == {"true", "false"}
    accounts = _csv(out, "accounts")
    # a customer renews on a date; a lead has bought nothing to renew
    customers = [r for r in accounts if r["lifecycle_stage"] != "lead"]
    assert all(re.match(r"^\d{4}-\d{2}-\d{2}$", r["renewal_date"]) for r in customers)
    assert all(r["renewal_date"] == "" for r in accounts if r["lifecycle_stage"] == "lead")
    # Authors and directions agree: customers write in, agents and bots write out.
    for r in good:
        if r["author_type"] == "customer":
            assert r["direction"] == "inbound"
        elif r["channel"] != "call":
            assert r["direction"] == "outbound"
    end = max(r["occurred_at"] for r in good)
    assert end <= "2026-10-31 23:59:59", "a fixed default end date, not today"
    assert min(r["occurred_at"] for r in good) >= "2025-11-01 00:00:00"


def test_texts_are_varied(interactions) -> None:
    bodies = [
        r["body"] for r in interactions if r["author_type"] == "customer" and r["body"].strip()
    ]
    assert len(set(bodies)) / len(bodies) > 0.85
    counts = Counter(r["body"] for r in interactions if r["body"].strip())
    top_body, top = counts.most_common(1)[0]
    assert top / len(interactions) < 0.01, top_body
    channels = Counter((r["channel"], r["author_type"]) for r in interactions)
    for pair in [("email", "customer"), ("chat", "bot"), ("ticket_comment", "agent")]:
        assert channels[pair] > 0
    assert ("social", "customer") in channels and ("note", "agent") in channels


def test_hard_cases_appear_in_customer_text(demo) -> None:
    out, _ = demo
    big = "\n".join(r["body"] for r in _csv(out, "interactions") if r["author_type"] == "customer")
    big += "\n".join(sample_texts(3000, seed=5))
    for phrase in ("ASAP", "evaluating alternatives", "cancel at renewal", "Just what we needed"):
        assert phrase in big, phrase
    assert "charged twice" in big and "?" in big


def test_odd_characters_survive_the_csv(interactions) -> None:
    bodies = "".join(r["body"] for r in interactions)
    for odd in ("\u2019", "&amp;", "\t", "\n", "é"):
        assert odd in bodies, repr(odd)
    assert re.search(r"[\U0001F300-\U0001FAFF]", bodies), "emoji"


def test_the_mess_is_there_in_small_proportions(interactions) -> None:
    n = len(interactions)
    blank = sum(1 for r in interactions if not r["body"].strip())
    seen: set[tuple[str, ...]] = set()
    dupes = 0
    for r in interactions:
        key = tuple(r.values())
        dupes += key in seen
        seen.add(key)
    malformed = [r for r in interactions if _is_malformed(r)]
    assert 0.004 < blank / n < 0.02
    assert 0.002 < dupes / n < 0.01
    assert 0 < len(malformed) / n < 0.004
    # Each malformed row breaks something a loader checks: id, timestamp, enum or account.
    for r in malformed:
        broken = not TS.match(r["occurred_at"]) or r["channel"] == "fax" or not r["account_id"]
        assert broken or not r["interaction_id"], r
    ids = Counter(r["interaction_id"] for r in interactions if not _is_malformed(r))
    assert max(ids.values()) == 2, "duplicates are whole rows repeated, ids included"


def test_arcs_drive_scores_and_engagement(demo) -> None:
    out, _ = demo
    accounts = {r["account_id"]: r for r in _csv(out, "accounts")}
    churned = {a for a, r in accounts.items() if r["lifecycle_stage"] == "churned"}
    events = _csv(out, "account_events")
    churn_at = {e["account_id"]: _ts(e["occurred_at"]) for e in events if e["event"] == "churned"}
    assert set(churn_at) == churned and len(churned) >= 5
    assert any(e["event"] == "renewed" for e in events)
    nps: dict[bool, list[float]] = {True: [], False: []}
    for s in _csv(out, "surveys"):
        if s["survey_type"] == "nps":
            nps[s["account_id"] in churned].append(float(s["score"]))
    churned_nps = sum(nps[True]) / len(nps[True])
    other_nps = sum(nps[False]) / len(nps[False])
    assert churned_nps < other_nps - 1.0
    # Usage in the last 60 days before the end (churn, or the window's end) vs the 60 before.
    window_end = datetime(2026, 10, 31, 23, 59, 59)
    ratio: dict[bool, list[float]] = {True: [], False: []}
    recent, before = Counter(), Counter()
    table = pq.read_table(out / "engagement_events.parquet", columns=["account_id", "occurred_at"])
    for e in table.to_pylist():
        end = churn_at.get(e["account_id"], window_end)
        age = end - e["occurred_at"]
        if age <= timedelta(days=60):
            recent[e["account_id"]] += 1
        elif age <= timedelta(days=120):
            before[e["account_id"]] += 1
    for a in accounts:
        if before[a] >= 10:
            ratio[a in churned].append(recent[a] / before[a])
    assert sum(ratio[True]) / len(ratio[True]) < 0.8 * sum(ratio[False]) / len(ratio[False])


def test_about_two_percent_of_contacts_opt_out(tmp_path: Path) -> None:
    generate_demo_data(tmp_path, accounts=150, months=2, seed=5)
    rows = _csv(tmp_path, "contacts")
    share = sum(r["analysis_opt_out"] == "true" for r in rows) / len(rows)
    assert 0.005 < share < 0.04


def test_interactions_option_scales_to_at_least_the_target(tmp_path: Path) -> None:
    counts = generate_demo_data(tmp_path, accounts=5, months=6, seed=2, interactions=20_000)
    assert counts["interactions"] >= 20_000
    assert counts["accounts"] > 5
    assert counts["interactions"] < 21_000, "stops soon after reaching the target"


def test_sample_texts_are_deterministic_varied_and_mixed() -> None:
    texts = sample_texts(5000, seed=1)
    assert len(texts) == 5000 and texts == sample_texts(5000, seed=1)
    assert texts != sample_texts(5000, seed=2)
    assert len(set(texts)) / len(texts) > 0.7
    assert any("Hi " in t and "\n" in t for t in texts)  # agent replies
    assert any(t.startswith("@") or "@tallyhawk" in t for t in texts)  # social


def test_cli_writes_files_and_prints_a_summary(tmp_path: Path, capsys) -> None:
    args = ["--out", str(tmp_path), "--accounts", "3", "--months", "2", "--seed", "1"]
    assert main([*args, "--quiet"]) == 0
    printed = capsys.readouterr()
    assert "interactions.csv" in printed.out and "engagement_events.parquet" in printed.out
    assert printed.err == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"{name}.{ext}" for name, (ext, _) in FORMATS.items()
    )
    main(args)
    assert "demo-data:" in capsys.readouterr().err, "progress on stderr unless --quiet"


def test_leads_and_lifecycle_deals(demo) -> None:
    """Leads (pre-sale accounts) with one open or lost new-business deal and no purchase; every
    customer's first deal is its new business, and renewals and expansions say what they are."""
    out, _ = demo
    accounts = {r["account_id"]: r for r in _csv(out, "accounts")}
    deals = json.loads((out / "deals.json").read_text(encoding="utf-8"))
    by_account: dict[str, list[dict]] = defaultdict(list)
    for d in deals:
        by_account[d["account_id"]].append(d)
    leads = [a for a in accounts if a.startswith("LEAD-")]
    assert len(leads) >= 3 and all(accounts[a]["lifecycle_stage"] == "lead" for a in leads)
    for lead in leads:
        (deal,) = by_account[lead]
        assert deal["deal_type"] == "new_business" and deal["outcome"] in (None, "lost")
    churn_events = {e["account_id"] for e in _csv(out, "account_events") if e["event"] == "churned"}
    assert not churn_events & set(leads)
    # leads write to us and use the product too (demos, opens), so their templates have content
    written = {r["account_id"] for r in _csv(out, "interactions")}
    assert sum(lead in written for lead in leads) >= len(leads) // 2
    customers = [a for a in accounts if a.startswith("ACC-")]
    for account in customers:
        first = min(by_account[account], key=lambda d: d["created_at"])
        assert first["deal_type"] == "new_business" and first["outcome"] == "won", account
    types = Counter(d["deal_type"] for a in customers for d in by_account[a])
    assert types["renewal"] > 0 and types["expansion"] > 0
