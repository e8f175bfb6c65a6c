"""Hashtags split into words; one-word and unknown tags stay as written."""

from __future__ import annotations

import pytest

from sentiment_udfs.hashtags import hashtag_words


@pytest.mark.parametrize(
    ("tag", "words"),
    [
        ("#worstflightever", ("#worst", "flight", "ever")),
        ("#WorstFlightEver", ("#worst", "flight", "ever")),
        ("#customerservicefail", ("#customer", "service", "fail")),
        ("#nothappy.", ("#not", "happy.")),
        ("#lostluggage", ("#lost", "luggage")),
        ("#neveragain", ("#never", "again")),
    ],
)
def test_a_hashtag_of_several_words_splits(tag, words):
    assert hashtag_words(tag) == words


@pytest.mark.parametrize("tag", ["#sarcasm", "#fail", "#fml", "#abc", "#iphone6", "hello", "#a-b"])
def test_one_word_short_or_odd_tags_stay_as_written(tag):
    assert hashtag_words(tag) is None


def test_a_tag_no_split_covers_stays_as_written():
    assert hashtag_words("#qzxvbnmwq") is None
