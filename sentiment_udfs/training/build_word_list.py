"""Rebuild ``sentiment_udfs/data/hashtag_words.txt``: the words a hashtag may be split into.

    python -m sentiment_udfs.training.build_word_list --train ../shared/eval/data/train

The words of the permissively licensed training sets (GoEmotions train, XED English, DynaSent,
CLINC150, MultiDoGO: see that folder's README for licences), most frequent first, plus every
word of VADER's and the CRM lexicon (so no sentiment word is missing). ``hashtags`` reads the
rank as a word's cost, as in Zipf-cost word segmentation. No evaluation file is read.
"""

from __future__ import annotations

import argparse
import csv
import re
from collections import Counter
from pathlib import Path

from sentiment_udfs.crm_layer import crm_data
from sentiment_udfs.lexicon import DATA_DIR

SETS = (
    "goemotions_train/train.csv",
    "xed_en/xed_en.csv",
    "dynasent/dynasent_v1.1_dev_test.csv",
    "clinc150/clinc150_full.csv",
    "multidogo/multidogo_turns.csv",
)
MIN_COUNT = 3  # a word seen fewer times is more likely a typo than a word
_WORD = re.compile(r"[a-z]+")
_ONE_LETTER = frozenset({"a", "i"})


def word_counts(train: Path) -> Counter:
    counts: Counter = Counter()
    for name in SETS:
        with (train / name).open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                counts.update(_WORD.findall(row["text"].lower()))
    return counts


def words(train: Path) -> list[str]:
    """Training words seen at least MIN_COUNT times by frequency, then lexicon words."""
    counts = word_counts(train)
    ranked = [
        w
        for w, k in sorted(counts.items(), key=lambda x: (-x[1], x[0]))
        if k >= MIN_COUNT and (len(w) > 1 or w in _ONE_LETTER)
    ]
    seen = set(ranked)
    extra = sorted(
        w
        for w in crm_data().lexicon
        if w.isalpha() and w.isascii() and len(w) > 1 and w not in seen
    )
    return ranked + extra


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", type=Path, default=Path("../shared/eval/data/train"))
    args = ap.parse_args()
    out = DATA_DIR / "hashtag_words.txt"
    ws = words(args.train)
    out.write_text("\n".join(ws) + "\n", encoding="utf-8")
    print(f"{out}: {len(ws)} words")


if __name__ == "__main__":
    main()
