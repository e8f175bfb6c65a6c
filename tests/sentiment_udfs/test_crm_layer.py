"""Regression cases kept as data (cases/*.csv): CRM sentiment, cues and emotions."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from sentiment_udfs import score_text
from sentiment_udfs.engine import score_sentiment
from sentiment_udfs.lexicon import DATA_DIR

CASES = Path(__file__).parent / "cases"


def _rows(name: str) -> list[dict]:
    with (CASES / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("case", _rows("sentiment.csv"), ids=lambda c: c["text"][:40])
def test_sentiment_cases(case):
    r = score_text(case["text"])
    assert r["sentiment_label"] == case["label"], (case["why"], r["compound"], r["evidence"])


@pytest.mark.parametrize("case", _rows("vader_unchanged.csv"), ids=lambda c: c["text"][:40])
def test_plain_sentences_keep_vaders_label(case):
    want = SentimentIntensityAnalyzer().polarity_scores(case["text"])["compound"]
    got = score_text(case["text"])["compound"]
    assert (got >= 0.05, got <= -0.05) == (want >= 0.05, want <= -0.05), case["why"]


@pytest.mark.parametrize("case", _rows("cues.csv"), ids=lambda c: f"{c['cue']}:{c['text'][:30]}")
def test_cue_cases(case):
    r = score_text(case["text"])
    assert r["cues"][case["cue"]] is (case["expected"] == "true"), case["why"]
    if case["expected"] == "true" and case["cue"] != "sarcasm":
        assert any(e["target"] == case["cue"] for e in r["evidence"])


@pytest.mark.parametrize("case", _rows("emotions.csv"), ids=lambda c: c["text"][:40])
def test_emotion_cases(case):
    r = score_text(case["text"])
    assert r["emotion"] == case["emotion"], (case["why"], r["emotion_scores"])


@pytest.mark.parametrize("case", _rows("hard_cases.csv"), ids=lambda c: c["text"][:40])
def test_issue_17_hard_cases_read_right_with_evidence_that_says_why(case):
    """Each hard case of issue 17: its label and emotion, and the evidence naming the rule,
    lexicon entry or emoji that decided it."""
    r = score_text(case["text"])
    assert (r["sentiment_label"], r["emotion"]) == (case["label"], case["emotion"]), (
        case["why"],
        r["compound"],
        r["emotion_scores"],
    )
    assert any(case["evidence"] in e["text"] for e in r["evidence"]), r["evidence"]


@pytest.mark.parametrize(
    "text",
    [
        "Kindly resolve this ASAP, we are losing money",
        "Great, another outage. Just what we needed.",
        "Thanks for nothing.",
    ],
)
def test_issue_examples_are_negative_with_reasons(text):
    r = score_text(text)
    assert r["sentiment_label"] == "negative"
    explained = [e for e in r["evidence"] if e["target"] == "sentiment" and e["weight"] < 0]
    assert any(e["kind"] in ("lexicon", "pattern", "rule") for e in explained), r["evidence"]


def _lexicon():
    return yaml.safe_load((DATA_DIR / "crm_lexicon.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("phrase", sorted(_lexicon()["phrases"]))
def test_every_phrase_override_is_applied_with_its_reason(phrase):
    entry = _lexicon()["phrases"][phrase]
    _, evidence = score_sentiment(f"Well {phrase} here")
    hits = [e for e in evidence if e["text"].lower().startswith(phrase)]
    assert hits and entry["reason"] in hits[0]["text"]
    assert hits[0]["weight"] == pytest.approx(entry["valence"])


@pytest.mark.parametrize("word", sorted(_lexicon()["words"]))
def test_every_word_override_is_applied(word):
    entry = _lexicon()["words"][word]
    compound, evidence = score_sentiment(f"the {word} thing")
    hits = [e for e in evidence if e["text"].lower().startswith(word)]
    if entry["valence"] == 0:
        assert not hits and compound == 0.0
    else:
        assert hits and entry["reason"] in hits[0]["text"]
        assert hits[0]["weight"] == pytest.approx(entry["valence"])


def test_every_override_has_a_reason():
    lex = _lexicon()
    for section in ("words", "phrases", "emoji"):
        for term, entry in lex[section].items():
            assert entry.get("reason"), term
            assert -4 <= entry["valence"] <= 4, term


def test_quoted_reply_and_signature_do_not_score():
    mail = (
        "The export still fails.\n\nBest regards,\nAna\nHead of Happiness, Great Co\n\n"
        "On Mon, 3 Jun 2024, Support <s@x.io> wrote:\n> Wonderful news, it is fixed! Enjoy!\n"
    )
    r = score_text(mail)
    assert r["sentiment_label"] == "negative"
    assert not any("Wonderful" in e["text"] for e in r["evidence"])


def test_long_complaint_is_not_outweighed_by_polite_sentences():
    text = (
        "Hello, I hope you are well. I have been a loyal customer for years and I love the app. "
        "However, I was charged twice for my subscription. I contacted you three times and "
        "got no response. This is unacceptable and I want my money back. "
        "Thank you for your help. Kind regards."
    )
    assert score_text(text)["sentiment_label"] == "negative"


def test_non_english_is_flagged_not_scored():
    r = score_text("No funciona la aplicación y nadie me responde, es un desastre total")
    assert r["language"] == "es" and r["compound"] == 0.0
    assert "not scored" in r["evidence"][0]["text"]
    assert score_text("这个应用程序根本不能用，太糟糕了")["language"] == "zh"
    assert score_text("Thanks, the app works great now!")["language"] == "en"


@pytest.mark.parametrize(
    "text",
    [
        "I was charged twice for the same invoice.",
        "The export is still not working.",
        "The app froze twice during checkout.",
        "Please refund my last payment.",
    ],
)
def test_a_problem_the_crm_lexicon_reads_is_not_emotionally_neutral(text):
    r = score_text(text)
    assert r["sentiment_label"] == "negative"
    assert r["emotion"] != "neutral", r["emotion_scores"]


def test_negative_words_outside_a_customer_problem_leave_neutral_alone():
    # No CRM word: the problem-report rule does not fire, and the model's neutral stands.
    r = score_text("There is no evidence connecting him to the crime.")
    assert r["emotion"] == "neutral"
    assert not any("problem report" in e["text"] for e in r["evidence"])


def test_a_problem_report_that_stays_neutral_shows_the_rule_that_pushed_against_it():
    from sentiment_udfs.emotion_rules import Flags, pushes_on
    from sentiment_udfs.taxonomy import EMOTIONS

    neutral, curiosity = EMOTIONS.index("neutral"), EMOTIONS.index("curiosity")
    problem = Flags(
        sarcasm=False, escalation=False, churn=False, urgent=False, contrast=False, problem=True
    )
    quiet = problem._replace(problem=False)
    assert ("rule", "neutral", "a problem report (CRM lexicon)", -2.0) in pushes_on(
        neutral, -0.2, problem
    )
    assert not pushes_on(curiosity, -0.2, problem)  # the rule does not touch curiosity
    assert not pushes_on(neutral, -0.2, quiet)


def _crm_lexicon_emoji() -> dict:
    return _lexicon()["emoji"]


@pytest.mark.parametrize("emoji", sorted(_crm_lexicon_emoji()))
def test_every_emoji_scores_with_its_reason_and_says_its_emotion(emoji):
    entry = _crm_lexicon_emoji()[emoji]
    r = score_text(f"Well {emoji} here")
    hits = [e for e in r["evidence"] if e["kind"] == "lexicon" and emoji in e["text"]]
    assert hits and entry["reason"] in hits[0]["text"], r["evidence"]
    assert hits[0]["weight"] == pytest.approx(entry["valence"])
    if "emotion" in entry:
        said = [e for e in r["evidence"] if e["text"].startswith(f"emoji {emoji}")]
        assert r["emotion"] == entry["emotion"] and said, r["emotion_scores"]


def test_a_repeated_emoji_weighs_more():
    one, three = (score_text(t)["compound"] for t in ("😡", "😡😡😡"))
    assert three < one < 0


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("hung up on after an hour in the queue. Awesome. #sarcasm", "sarcasm hashtag"),
        ("I love it. NOT.", "trailing not"),
        ("🙄 sure, whatever", "rolling eyes"),
    ],
)
def test_sarcasm_markers_flip_the_praise_and_say_so(text, why):
    r = score_text(text)
    assert r["cues"]["sarcasm"] and r["sentiment_label"] == "negative"
    assert any(e["target"] == "sarcasm" and e["text"].startswith(why) for e in r["evidence"])
    assert any("sarcastic: sign flipped" in e["text"] for e in r["evidence"])


def test_a_hashtag_reads_as_its_words_with_evidence():
    r = score_text("Landed three hours late #worstflightever")
    assert any(e["text"] == "worst" and e["weight"] < 0 for e in r["evidence"]), r["evidence"]


def test_contrast_puts_the_weight_on_the_complaint_clause():
    praise_only = score_text("your airline is awesome")["compound"]
    r = score_text("your airline is awesome but your lounge needs to step up its game")
    assert praise_only > 0 > r["compound"]
    assert any("asks the company to do better" in e["text"] for e in r["evidence"])


def test_a_polite_demand_reads_as_a_demand():
    r = score_text("is there any way to speak to a human asap? Thank you.")
    assert r["sentiment_label"] == "negative" and r["emotion"] != "satisfaction"
    assert any(e["text"].startswith("asks for a person") for e in r["evidence"]), r["evidence"]


def test_contrast_reads_the_praise_as_a_concession():
    r = score_text("your airline is awesome but your lounge needs to step up its game")
    assert r["emotion"] == "disappointment", r["emotion_scores"]
    assert any(e["text"].startswith("contrast:") for e in r["evidence"]), r["evidence"]
    # Praise after 'but' is no complaint: the rule does not fire.
    kept = score_text("The wait was long but the staff were wonderful")
    assert kept["sentiment_label"] == "positive"
    assert not any(e["text"].startswith("contrast") for e in kept["evidence"])


@pytest.mark.parametrize(
    "text",
    [
        "The flight was terrible, delayed 3 hours",
        "That was a terrible call, the agent was rude",
        "The new update is horrible to use",
        "Horrible experience with your support team today",
        "Terrible.",
    ],
)
def test_a_verdict_on_a_thing_is_not_fear(text):
    """'terrible', 'horrible' judge a thing: the model no longer learns them as fear (GoEmotions'
    raters tagged many bare verdicts as fear), wherever the verdict stands in the sentence."""
    r = score_text(text)
    assert r["emotion"] in ("frustration", "disappointment", "anger"), r["emotion_scores"]


@pytest.mark.parametrize(
    "text",
    [
        "I'm worried the payment will fail again",
        "I am worried about the renewal",
        "Horrible news, I'm scared we will lose the account",
        "This is scary, who else can see my card number?",
    ],
)
def test_a_worry_or_fear_word_still_reads_as_anxiety(text):
    assert score_text(text)["emotion"] == "anxiety"
