"""The core equals vaderSentiment's compound (to 1e-9) on 100,000+ varied generated texts."""

from __future__ import annotations

import random

import pytest
from vaderSentiment import vaderSentiment as vs

from sentiment_udfs.lexicon import emoji_descriptions, vader_lexicon
from sentiment_udfs.vader_core import VaderCore, but_rule

N_TEXTS = 100_000


def _vocabulary(rng: random.Random) -> list[str]:
    lex = list(vader_lexicon())
    rules = (
        list(vs.NEGATE)
        + [w for w in vs.BOOSTER_DICT if " " not in w]
        + ["but", "BUT", "But,", "no", "No", "NO", "least", "at", "very", "kind", "of", "sort"]
        + ["so", "this", "never", "without", "doubt", "or", "nor", "the", "shit", "bomb", "bad"]
        + ["ass", "yeah", "right", "kiss", "death", "to", "die", "for", "beating", "heart", "bus"]
        + ["stop", "just", "enough", "isn't", "don't", "n't", "cant", "ok", "customer", "ticket"]
    )
    plain = ["the", "a", "we", "you", "it", "is", "was", "our", "account", "order", "and"]
    emojis = rng.sample(sorted(emoji_descriptions()), 300)
    emoticons = [":)", ":(", ":D", ":-)", ":'(", "<3", ":P", ";)", "xD", ":/"]
    return lex, rules, plain, emojis, emoticons


def _texts(n: int, seed: int = 20240) -> list[str]:
    rng = random.Random(seed)
    lex, rules, plain, emojis, emoticons = _vocabulary(rng)
    puncts = ["", "", "", ",", ".", "!", "!!", "?", "??", "???", "!?", "...", "!!!!!", "?!?!"]
    out = []
    for _ in range(n):
        words = []
        for _ in range(rng.randint(0, 18)):
            r = rng.random()
            if r < 0.35:
                w = rng.choice(lex)
            elif r < 0.7:
                w = rng.choice(rules)
            elif r < 0.85:
                w = rng.choice(plain)
            elif r < 0.92:
                w = rng.choice(emoticons)
            else:
                w = rng.choice(emojis) * rng.randint(1, 2)
            c = rng.random()
            if c < 0.12:
                w = w.upper()
            elif c < 0.2:
                w = w.capitalize()
            if rng.random() < 0.25:
                w += rng.choice(puncts)
            if rng.random() < 0.04:
                w = rng.choice(["(", '"', "'", "*", "#"]) + w
            words.append(w)
        sep = rng.choice([" ", " ", " ", "  ", "\n", "\t"])
        text = sep.join(words)
        if rng.random() < 0.05 and words:  # emoji glued to a word
            text = text + rng.choice(emojis)
        out.append(text)
    return out


def test_generated_texts_are_varied():
    texts = _texts(2000)
    assert len(set(texts)) > 1900
    assert any("but" in t.lower() for t in texts) and any(not t.isascii() for t in texts)


def test_compound_equals_vader_on_100k_texts():
    oracle = vs.SentimentIntensityAnalyzer()
    core = VaderCore()
    texts = _texts(N_TEXTS)
    mismatches = []
    for t in texts:
        want = oracle.polarity_scores(t)["compound"]
        got = core.score(t).compound
        if abs(want - got) > 1e-9:
            mismatches.append((t, want, got))
    assert not mismatches, mismatches[:5]


@pytest.mark.parametrize(
    "text",
    [
        "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
        "At least it isn't a horrible book.",
        "Roger Dodger is one of the least compelling variations on this theme.",
        "Today only kinda sux! But I'll get by, lol",
        "Catch utf-8 emoji such as 💘 and 💋 and 😁",
        "Sentiment analysis has never been this good!",
        "With VADER, sentiment analysis is the shit!",
        "Without a doubt, excellent idea.",
        "no no good",
        "NO good bad",
        "",
        "   ",
        "!!!",
        "good good but good good",
        "great bad but great great bad",
    ],
)
def test_known_cases(text):
    want = vs.SentimentIntensityAnalyzer().polarity_scores(text)["compound"]
    assert VaderCore().score(text).compound == pytest.approx(want, abs=1e-9)


def test_but_rule_reproduces_first_index_quirk():
    # VADER rescales the first element equal to each value, so equal values interact.
    vals = [2.0, 1.0, 0, 1.5, 1.0]
    expected = list(vals)
    bi = 2
    for s in expected:
        si = expected.index(s)
        if si < bi:
            expected.pop(si)
            expected.insert(si, s * 0.5)
        elif si > bi:
            expected.pop(si)
            expected.insert(si, s * 1.5)
    assert but_rule(vals, bi) == expected


def test_contributions_are_exposed():
    r = VaderCore().score("The service was not good, but the agent was VERY helpful!", explain=True)
    by_token = dict(zip(r.tokens, r.valences, strict=True))
    assert by_token["good"] < 0 < by_token["helpful"]
    assert any("negated" in rule for _, rule in r.rules)
