"""The typed inner loops (sentiment_udfs.kernels), on small hand-made tables."""

from __future__ import annotations

from array import array

import numpy as np

from sentiment_udfs import kernels
from sentiment_udfs.kernels import WordWeights, sum_rows


def _table(weights: list[list[float]]) -> WordWeights:
    return WordWeights([w for row in weights for w in row], len(weights[0]))


def test_a_feature_an_earlier_word_holds_counts_for_that_word_only():
    ww = _table([[0.5, 0.0], [0.25, 1.0], [0.125, 0.0]])
    first, second = ww.add((0, 1)), ww.add((1, 2))
    assert ww.heavy([first, second], 0, 0.05) == [(0, 0.75), (1, 0.125)]
    assert ww.heavy([second, first], 0, 0.05) == [(0, 0.375), (1, 0.5)]
    assert ww.heavy([first, first], 1, 0.05) == [(0, 1.0)]  # the word again adds nothing


def test_a_feature_twice_inside_one_word_counts_twice_and_the_floor_is_strict():
    ww = _table([[0.25], [0.05]])
    assert ww.heavy([ww.add((0, 0))], 0, 0.05) == [(0, 0.5)]
    assert ww.heavy([ww.add((1,))], 0, 0.05) == []


def test_tables_grow_and_stamps_restart(monkeypatch):
    ww = _table([[float(j)] for j in range(50)])
    ids = [ww.add(tuple(range(j % 50, 50))) for j in range(3000)]  # past the first capacity
    assert ww.heavy(ids[:2], 0, 0.05) == [(0, float(sum(range(50))))]
    monkeypatch.setattr(kernels, "_STAMP_LIMIT", 3)
    for _ in range(5):  # stamps wrap: every sentence still starts with nothing seen
        assert ww.heavy([ids[49]], 0, 0.05) == [(0, 49.0)]


def test_a_sentences_features_count_once_in_the_order_its_words_bring_them():
    ww = _table([[0.0]] * 10)
    first, second = ww.add((4, 1, 4)), ww.add((1, 7))

    def features(word_ids, pairs=(), negated=()):
        fids, named = ww.features(word_ids, list(pairs), list(negated))
        return list(fids), named

    assert features([first, second]) == ([4, 1, 7], ())
    # Then the pairs and the negated words, each once, in that order: named as themselves.
    assert features([second, first], [9, 8, 9], [6, 8]) == ([1, 7, 4, 9, 8, 6], (9, 8, 6))
    assert features([]) == ([], ())
    assert features([first]) == ([4, 1], ())  # a fresh 'seen' set each sentence


def test_sum_rows_gives_the_bits_of_numpys_reduceat():
    # The logit table was summed with add.reduceat (pairwise: sequential below 8 rows, eight
    # running sums to 128, halves beyond); the compiled loop must add in that order exactly.
    rng = np.random.default_rng(3)
    weights = np.vstack([rng.normal(size=(500, 12)), np.zeros((1, 12))])  # last: the pad row
    sizes = (0, 1, 7, 8, 9, 15, 16, 36, 127, 128, 129, 300, 1500)
    fids = [array("i", rng.integers(0, 500, size=k).tolist()) for k in sizes]
    out = np.full((len(sizes) + 4, 12), np.nan)
    sum_rows(weights, fids, out, 2, pad=500)
    for s, ids in enumerate(fids):
        expected = np.add.reduceat(weights[[500, *ids]], [0], axis=0)[0]
        assert out[2 + s].tolist() == expected.tolist(), len(ids)  # the same bits
    assert np.isnan(out[:2]).all() and np.isnan(out[2 + len(sizes) :]).all()  # untouched


def test_round_to_gives_the_bits_of_round():
    rng = np.random.default_rng(5)
    values = (
        rng.normal(scale=2.0, size=20_000).tolist() + rng.normal(scale=1e-3, size=5_000).tolist()
    )
    for digits in (3, 4):
        ties = (np.arange(-3000, 3000) + 0.5) / 10**digits  # exact decimal halves and their
        values += ties.tolist() + np.nextafter(ties, np.inf).tolist()  # neighbours
    values += [0.0, -0.0, 2.675, 0.0625, -0.0625, 5e-324, 1e12, float("inf"), float("nan")]
    for digits in (3, 4):
        for v in values:
            want = round(v, digits)
            assert repr(kernels.round_to(v, digits)) == repr(want), (v, digits)


def test_top_keeps_what_sorting_the_heavy_words_keeps():
    """``top`` chooses in C what sorting ``heavy``'s rounded (weight, word) pairs and the
    named features' own chose, ties on the rounded weight included (the larger text first;
    some named texts equal a word). It tests the C slots where
    the kernels are compiled (``make env``); as Python, ``top`` is that sort."""
    rng = np.random.default_rng(11)
    # Weights on a coarse grid, so that many rounded weights tie.
    table = (rng.integers(-2, 9, size=(40, 2)) / 16).tolist()
    ww = _table(table)
    vocab = ["cab", "abc", "zed", "bee", "ant", "fog", "elk", "dew"]
    named_text = {j: f"{vocab[j % 8]} {vocab[j % 5]}" if j % 2 else vocab[j % 8] for j in range(40)}
    for _ in range(2000):
        size = int(rng.integers(0, 9))
        words = [vocab[k] for k in rng.integers(0, len(vocab), size=size)]
        ids = [
            ww.add(tuple(rng.integers(0, 40, size=int(rng.integers(1, 4))).tolist()), w)
            for w in words
        ]
        # Features named as themselves (pairs, negated words): their own weight, their text.
        named = tuple(dict.fromkeys(rng.integers(0, 40, size=int(rng.integers(0, 3))).tolist()))
        for e in (0, 1):
            want = sorted(
                [(round(w, 3), words[i]) for i, w in ww.heavy(ids, e, 0.05)]
                + [(round(table[j][e], 3), named_text[j]) for j in named if table[j][e] > 0.05],
                reverse=True,
            )
            assert ww.top(ids, named, named_text, e, 0.05) == want[: kernels.TOP], (
                words,
                named,
                e,
            )
