"""Is the sentiment *label* right on human-rated text? Next to plain VADER, same texts.

    python -m sentiment_udfs.training.label_accuracy --data ../shared/eval/data

``evaluate.py`` scores compound ranks on VADER's human-rated tweets and Amazon review snippets;
the warehouse also counts labels (negative share, churn risk), and a scorer can rank well while
calling half the complaints neutral. Here each text's mean human rating (-4..4) becomes a label
(above +0.5 positive, below -0.5 negative, else neutral), and the output is the 3-class
macro-F1 and the recall of negative texts, for this scorer and for plain VADER. `make eval`
runs it; it guided the polarity model's guards (``polarity.adjust``), so its figures are not a
held-out measure.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sentiment_udfs.training.build_emotion_model import POLARITY, macro_f1


def _label(x: float, cut: float) -> str:
    return "positive" if x > cut else "negative" if x < -cut else "neutral"


def label_macro_f1(gold: list[str], pred: list[str]) -> float:
    """Mean F1 over the three labels (the trainer's ``macro_f1`` on label names).

    >>> round(label_macro_f1(["negative", "positive"], ["negative", "neutral"]), 3)
    0.333
    """
    return macro_f1([POLARITY.index(g) for g in gold], [POLARITY.index(p) for p in pred], 3)


def negative_recall(gold: list[str], pred: list[str]) -> float:
    """Share of the negative texts labelled negative.

    >>> negative_recall(["negative", "negative", "neutral"], ["negative", "neutral", "negative"])
    0.5
    """
    neg = [p for g, p in zip(gold, pred, strict=True) if g == "negative"]
    return sum(p == "negative" for p in neg) / len(neg)


def rated_texts(data: Path, name: str) -> tuple[list[str], list[str]]:
    path = data / "vader_groundtruth" / f"{name}_GroundTruth.txt"
    rows = [
        line.split("\t", 2) for line in path.read_text("utf-8-sig").splitlines() if line.strip()
    ]
    return [t for _, _, t in rows], [_label(float(m), 0.5) for _, m, _ in rows]


def run(data: Path) -> dict:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from sentiment_udfs import score_texts
    from sentiment_udfs.taxonomy import sentiment_label

    vader = SentimentIntensityAnalyzer()
    out = {}
    for name in ("tweets", "amazonReviewSnippets"):
        texts, gold = rated_texts(data, name)
        ours = [r["sentiment_label"] for r in score_texts(texts)]
        plain = [sentiment_label(vader.polarity_scores(t)["compound"]) for t in texts]
        out[name] = {
            "macro_f1": round(label_macro_f1(gold, ours), 3),
            "negative_recall": round(negative_recall(gold, ours), 3),
            "vader_macro_f1": round(label_macro_f1(gold, plain), 3),
            "vader_negative_recall": round(negative_recall(gold, plain), 3),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sentiment_udfs.training.label_accuracy")
    ap.add_argument("--data", type=Path, default=Path("../shared/eval/data"))
    print(json.dumps(run(ap.parse_args(argv).data)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
