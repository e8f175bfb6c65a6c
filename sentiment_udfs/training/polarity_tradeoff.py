"""How far may the polarity model overrule the lexicon? The trade-off, measured.

    python -m sentiment_udfs.training.polarity_tradeoff --data ../shared/eval/data

The model is trained on Reddit comments (GoEmotions), whose annotators call a comment without
an emotion "neutral" even when it states something negative ('In my experience they suck',
'There is no evidence connecting him to the crime.'). In support text a negative word reports
a problem, so the scorer never lets the model call a negative reading neutral
(``polarity.adjust``). This prints, for the scorer's rule and for looser ones, the GoEmotions
polarity macro-F1 next to the label macro-F1 and negative recall on VADER's human-rated tweets
and Amazon review snippets: every rule that gains on GoEmotions loses complaints.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from sentiment_udfs.polarity import label_ids
from sentiment_udfs.training.build_emotion_model import POLARITY, decide, emotion_names_and_groups
from sentiment_udfs.training.label_accuracy import label_macro_f1, negative_recall, rated_texts


def goemotions_polarity(data: Path) -> tuple[list[str], list[str]]:
    """Single-label dev comments whose emotion has a polarity (as ``evaluate.py`` reads them)."""
    d = data / "goemotions"
    names, groups = emotion_names_and_groups(d)
    texts, gold = [], []
    for line in (d / "dev.tsv").read_text(encoding="utf-8").splitlines():
        text, ids, *_ = line.split("\t")
        if "," not in ids and groups.get(names[int(ids)]) in POLARITY:
            texts.append(text)
            gold.append(groups[names[int(ids)]])
    return texts, gold


def readings(texts: list[str]):
    """Per text: the CRM compound before the model, whether the CRM lexicon or a pattern
    spoke, and the polarity model's probabilities (with the scorer's offsets)."""
    from sentiment_udfs.engine import engine

    eng = engine()
    n = len(texts)
    compound, crm = np.zeros(n), np.zeros(n, dtype=bool)
    probs = np.tile([1e-9, 1 - 2e-9, 1e-9], (n, 1))  # no reading (empty, not English): neutral
    states, rows = [], []
    for i, text in enumerate(texts):
        state, bucket = eng.prepare(text)
        if bucket is not None:  # else empty or not English: neutral, as the scorer says
            states.append((state.sentences, bucket))
            rows.append(i)
            compound[i], crm[i] = state.reading.compound, state.reading.crm_spoke
    _, z = eng.logits([s for s, _ in states], [b for _, b in states])
    z = z + eng.pol_offsets
    p = np.exp(z - z.max(axis=1, keepdims=True))
    probs[rows] = p / p.sum(axis=1, keepdims=True)
    return compound, crm, probs


def rules(compound, crm, probs, eng) -> dict[str, np.ndarray]:
    """Label ids (0 negative, 1 neutral, 2 positive) under the scorer's rule and looser ones."""
    top, sure = probs.argmax(axis=1), probs.max(axis=1)
    lexicon = label_ids(compound)
    settings = (eng.pol_margin, eng.pol_keep_strong, eng.pol_no_flip)
    scorer = decide(np.log(probs), compound, crm, [0.0, 0.0, 0.0], *settings)
    out = {"the scorer's rule (the model never calls a negative reading neutral)": scorer}
    for m in (0.8, 0.6):
        loose = scorer.copy()
        loose[(top == 1) & (sure > m) & (lexicon == 0) & ~crm] = 1
        out[f"... but it may, when p > {m} and no CRM entry spoke"] = loose
    out["the model decides unless a CRM entry spoke"] = np.where(crm & (lexicon != 1), lexicon, top)
    out["the model alone"] = top
    return out


def run(data: Path) -> list[dict]:
    from sentiment_udfs.engine import engine

    sets = {"goemotions": goemotions_polarity(data)}
    for name in ("tweets", "amazonReviewSnippets"):
        sets[name] = rated_texts(data, name)
    table: dict[str, dict] = {}
    for name, (texts, gold) in sets.items():
        for rule, ids in rules(*readings(texts), engine()).items():
            pred = [POLARITY[k] for k in ids]
            row = table.setdefault(rule, {"rule": rule})
            row[f"{name}_macro_f1"] = round(label_macro_f1(gold, pred), 3)
            if name != "goemotions":
                row[f"{name}_negative_recall"] = round(negative_recall(gold, pred), 3)
    return list(table.values())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sentiment_udfs.training.polarity_tradeoff")
    ap.add_argument("--data", type=Path, default=Path("../shared/eval/data"))
    for row in run(ap.parse_args(argv).data):
        print(json.dumps(row))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
