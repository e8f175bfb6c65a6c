"""The hot path's shortcuts change no result: pattern pre-checks, memoized features, dedupe,
memos, and the fork pool."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import sentiment_udfs.engine as engine_module
from sentiment_udfs import score_texts
from sentiment_udfs.emotions import model
from sentiment_udfs.engine import Engine, engine, record
from sentiment_udfs.features import sentence_features, word_grams
from sentiment_udfs.pattern_reads import read_patterns
from sentiment_udfs.prefilter import Prefilter, triggers
from sentiment_udfs.taxonomy import EMOTIONS
from sentiment_udfs.training.build_emotion_model import text_view

try:
    from dagster_project.lib.demo_data import sample_texts
except ImportError:  # pragma: no cover - the library is tested on its own too
    sample_texts = None

EXTRA = [
    "Great, another outage. Just what we needed.",
    "Kindly resolve this ASAP, we are losing money",
    "I love how the app crashes every time I open it.",
    "This is my third email about this, please help.",
    "We are evaluating alternatives; switching to another provider soon?",
    "Thanks a lot, the update broke everything!!! a.s.a.p please",
    "how do i reset my password\nAny update? I'm worried and confused 😡",
    "I don’t understand the invoice — it doesn’t make any sense. Not renewing.",
    "Oh wonderful, it broke again. Love that for us.",
    "Another great day with @united #neveragain",
    "Thanks @delta for losing my bag #customerservicefail",
    "Creepy ads, scary bills, so disappointed #notimpressed #fail",
]


def _texts(n: int = 3000) -> list[str]:
    base = sample_texts(n, seed=11) if sample_texts else []
    return base + EXTRA


def test_a_pattern_runs_only_where_a_piece_it_needs_is_present():
    pre = Prefilter([r"\b(?:my|our) (?:\w+ )?account (?:to )?(?:be )?closed\b"])
    mask = pre.token_mask("my")  # a common word: the token masks let the pattern through
    assert mask == 1
    assert pre.confirm(mask, "my account to be closed") == 1
    assert pre.confirm(mask, "my order was closed") == 0  # no 'account ': it cannot match


def test_a_pattern_whose_triggers_are_not_what_it_needs_is_confirmed_too():
    # Triggered by 'want' (not a common word), but every match needs 'cancel' or 'leave'.
    pre = Prefilter([r"\b(?:want|need) (?:\w+ )?to (?:cancel|leave)\b"])
    mask = pre.token_mask("want")
    assert mask == 1
    assert pre.confirm(mask, "i want to cancel") == 1
    assert pre.confirm(mask, "i want to know more") == 0
    # Praise under a complaining hashtag needs its '#': as telling as a word here.
    praise = Prefilter([r"\b(?:yay|wow)\b.*(?=#(?:fail|smh)\b)#\w+"])
    mask = praise.token_mask("wow")
    assert praise.confirm(mask, "wow, what service #fail") == 1
    assert praise.confirm(mask, "wow, what service") == 0
    # Where the pieces it needs are its trigger words, there is nothing more to look at.
    assert Prefilter([r"\b(?:cancel|quit)\w*"]).needs == {}


def test_an_opening_pattern_runs_only_where_it_can_start():
    pre = Prefilter([r"(?:^|[.!]\s+)(?:how (?:do|can)|any update)\b"])
    mask = pre.token_mask("how") | pre.token_mask("update")
    assert mask == 1
    assert pre.confirm(mask, "how do i pay") == 1
    assert pre.confirm(mask, "any update?") == 1
    assert pre.confirm(mask, "so how do i pay") == 0  # it would need to start the text
    assert pre.confirm(mask, "fine. how do i pay") == 1  # a sentence ends inside it


def test_prefilter_never_skips_a_pattern_that_matches():
    eng = engine()
    named = [p for _, p in eng.sarcasm + eng.escalation]
    named += [p for _, _, ps in eng.cues for _, p in ps]
    regexes = [p.regex for p in named] + [rx for _, _, rx, _ in eng.emotion_cues]
    checked = 0
    for text in _texts():
        for si in eng.sentences(text.strip()):
            mask = eng.pre.always
            for t in si.infos:
                mask |= t.pattern_mask
            mask = eng.pre.confirm(mask, si.folded)
            for k, rx in enumerate(regexes):
                if rx.search(si.folded):
                    checked += 1
                    assert mask & (1 << k), (rx.pattern[:60], si.folded)
    assert checked > 500


def test_a_sentence_reads_its_patterns_as_every_pattern_run_in_order():
    """``read_patterns`` walks a sentence's pattern bits by number: with every bit set, its
    readings are those of running each kind's patterns in its list's order, a cue's first
    matching pattern only."""
    eng = engine()
    uses = eng._pattern_uses
    emoji = eng.d.emoji_by_description
    every = pow(2, len(uses)) - 1
    read = 0
    for text in _texts() + ["Thanks for nothing. Cancel my account, I want a refund!! 😡 #sarcasm"]:
        for si in eng.sentences(text.strip()):
            f = si.folded
            sarcasm = [
                (
                    p.requires_negative,
                    ("pattern", "sarcasm", f"{p.name}: '{m.group(0)}' ({p.reason})", -1.0),
                )
                for _, p in eng.sarcasm
                for m in p.regex.finditer(f)
            ]
            escalation = [
                (
                    p.valence,
                    (
                        "pattern",
                        "sentiment",
                        f"{p.name}: '{m.group(0)[:80]}' ({p.reason})",
                        round(p.valence, 4),
                    ),
                )
                for _, p in eng.escalation
                if (m := p.regex.search(f))
            ]
            cues = []
            for cue, cue_bit, pats in eng.cues:
                for _, p in pats:
                    if m := p.regex.search(f):
                        why = f"{p.name}: '{m.group(0).strip()[:80]}'"
                        cues.append((cue, cue_bit, ("pattern", cue, why, 1.0)))
                        break
            emotions = [
                (e, amount, f"emoji {emoji[said]} ({said})" if said in emoji else f"says '{said}'")
                for _, e, rx, amount in eng.emotion_cues
                if (m := rx.search(f)) and (said := m.group(0))
            ]
            readings = read_patterns(uses, every, f, emoji)
            assert readings == (sarcasm, escalation, cues, emotions), f
            read += bool(sarcasm or escalation or cues or emotions)
    assert read > 500


@pytest.mark.parametrize(
    ("pattern", "text", "hit"),
    [
        (r"\bthank(?:s| you) for nothing\b", "well thank you for nothing.", True),
        (r"\b(?:cancel|close)\s+my account\b", "please close   my account", True),
        (r"(?:^|[.!]\s+)how (?:do|can)\b", "ok. how can i", True),
        (r"\brefund\w*", "refunds?", True),
        (r"\brefund\w*", "no money back", False),
        # a look-behind matches nothing: the word after it is the trigger
        (r"(?<!not )\bgreat\b.*#fail\b", "oh great #fail", True),
        (r"(?<!not )\bgreat\b.*#fail\b", "not great #fail", False),
    ],
)
def test_prefilter_on_single_texts(pattern, text, hit):
    pre = Prefilter([pattern])
    folded = " ".join(text.split())
    mask = pre.always
    for tok in folded.split():
        mask |= pre.token_mask(tok)
    assert bool(re.search(pattern, folded)) == hit
    if hit:
        assert mask & 1
    assert triggers(pattern) is not None


def test_feature_ids_are_the_named_features():
    eng = engine()
    for text in _texts(1000):
        for si in eng.sentences(text.strip()):
            want = {eng.vocab[f] for f in sentence_features(si.words) if f in eng.vocab}
            assert set(si.fids) == want


def test_memos_do_not_change_scores():
    texts = _texts(1500)
    first = score_texts(texts)
    engine().clear_memos()
    assert score_texts(list(reversed(texts)))[::-1] == first


def test_logits_are_the_trainers_features_summed():
    """A text's logits from the table of sentence rows equal the biases plus the weights of the
    features the trainer sees (``feature_names``: each counted once per sentence holding it)."""
    eng = engine()
    eng.clear_memos()
    biases = np.concatenate([model().emotion_b, model().polarity_b])
    texts = [*_texts(400), "Broken. Broken again. Still broken!", "Slow, slow and slow."]
    checked = 0
    for text in texts:
        state, bucket = eng.prepare(text)
        if bucket is None:
            continue
        emo, pol = eng.logits([state.sentences], [bucket])
        names, _, _ = text_view(eng, text)
        want = biases
        for f in names:
            j = eng.vocab.get(f)
            if j is not None:
                want = want + eng.w_all[j]
        assert np.allclose(np.concatenate([emo[0], pol[0]]), want, atol=1e-9), text
        checked += 1
    assert checked > 300


def test_model_evidence_names_words_not_character_grams():
    texts = [*_texts(300), "I am so frustrated, nobody helps me.", "Thank you so much!"]
    shown = [
        e["text"]
        for r in score_texts(texts)
        for e in r["evidence"]
        if e["kind"] == "model" and e["target"] != "sentiment"
    ]
    assert len(shown) > 200
    assert not [t for t in shown if t.startswith("#")]
    frustrated = score_texts(["I am so frustrated, nobody helps me."])[0]
    assert "frustrated" in [e["text"] for e in frustrated["evidence"] if e["kind"] == "model"]


def test_a_words_evidence_weight_is_its_feature_plus_its_grams():
    """A gram two words share is counted once by the model, so it goes to the first word."""
    eng = engine()
    k = EMOTIONS.index("neutral")
    col = eng.emotion_cols[k]

    def weight(*feats):
        return round(sum(col[eng.vocab[f]] for f in feats if f in eng.vocab), 3)

    (si,) = eng.sentences("invoice notice")
    top = {text: w for _, _, text, w in eng._sentence_top(si, k)}  # evidence tuples
    notice = ["notice", *word_grams("notice")]
    assert "#ice>" in word_grams("invoice") and "#ice>" in notice
    want = {
        "invoice": weight("invoice", *word_grams("invoice")),
        "notice": weight(*[f for f in notice if f != "#ice>"]),
    }
    assert top == {w: v for w, v in want.items() if v > 0.05}
    assert top  # the case shows at least one word


def test_a_full_logit_table_is_cleared_between_slices(monkeypatch):
    texts = _texts(2000)
    want = score_texts(texts)
    monkeypatch.setattr(engine_module, "_ROW_LIMIT", 50)
    monkeypatch.setattr(engine_module, "_SLICE", 100)
    eng = Engine()
    got = [record(c) for c in eng.score_batch(texts)]
    assert got == want
    distinct = {si for t in texts for si in engine().sentences(t.strip())}
    assert eng._n_rows < min(len(distinct), 50 + 100 * 20)  # it was cleared on the way


def test_threads_share_one_engine_safely():
    texts = _texts(2000)
    want = score_texts(texts)
    engine().clear_memos()
    parts = [texts[k::4] for k in range(4)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(score_texts, parts))
    for k in range(4):
        assert got[k] == want[k::4]


def test_duplicates_get_equal_but_separate_records():
    a, b = score_texts(["Thanks for nothing.", "Thanks for nothing."])
    assert a == b and a is not b and a["evidence"] is not b["evidence"]
    a["cues"]["sarcasm"] = False
    assert b["cues"]["sarcasm"] is True


@pytest.mark.skipif(sample_texts is None, reason="needs the demo-data generator")
def test_fork_pool_matches_one_process_on_a_large_batch():
    texts = _texts(6000)
    assert len(set(texts)) >= 4000  # large enough for the pool
    engine().clear_memos()
    one = score_texts(texts)
    engine().clear_memos()
    assert score_texts(texts, processes=2) == one


def test_polarity_tradeoff_measures_the_scorers_own_labels():
    """``training.polarity_tradeoff`` recomputes the scorer's label decision from the parts;
    its first rule must be exactly what ``score_texts`` says."""
    from sentiment_udfs.training.build_emotion_model import POLARITY
    from sentiment_udfs.training.polarity_tradeoff import readings, rules

    texts = [*_texts(600), "Billing is confusing", "Do I get the physical card for free?", ""]
    labels = rules(*readings(texts), engine())
    scorer = next(iter(labels.values()))
    assert [POLARITY[k] for k in scorer] == [r["sentiment_label"] for r in score_texts(texts)]
    alone = labels["the model alone"]
    assert (alone != scorer).any()  # the rules differ on these texts, so the check has teeth


def test_no_pattern_runs_on_every_sentence():
    """Each pattern's pre-check keys on its words: one without derivable triggers runs on every
    sentence (an irony rule whose hashtag list was written out after '.*' once did, unnoticed)."""
    eng = engine()
    named = [p for _, p in eng.sarcasm + eng.escalation] + [
        p for _, _, ps in eng.cues for _, p in ps
    ]
    patterns = [p.regex.pattern for p in named] + [rx.pattern for _, _, rx, _ in eng.emotion_cues]
    always = [patterns[k][:60] for k in range(len(patterns)) if eng.pre.always >> k & 1]
    assert not always


VADER_RULE_TEXTS = [
    "It was kind of good, not bad at all",
    "No good deed. no way this is great. Nor happy nor sad",
    "At least it works. The very least you could do. least helpful reply",
    "Never so happy! never this bad, without doubt the best, without a doubt awful",
    "Yeah right, that was the bomb. It is kind of a shit show, sort of fine",
    "I am NOT HAPPY with this TERRIBLE service",
    "VERY GOOD but REALLY bad support isn't helpful, don't love it",
    "the shit I have to deal with, just enough help to be almost useless",
    "cut the mustard, kiss of death for this product, hand to mouth",
]


def test_vader_rules_over_token_fields_equal_vader_core():
    """The engine's VADER walk over its tokens' C fields gives VaderCore's valences, bit for
    bit, with and without ALL CAPS emphasis."""
    eng = engine()
    seen = 0
    for text in VADER_RULE_TEXTS + _texts(1500):
        for si in eng.sentences(text.strip()):
            for cap in (False, True):
                want = eng.core.valences(si.tokens, si.lower, None, cap, si.scored)
                got = engine_module._vader_valences(
                    eng.core, si.infos, cap, si.scored, eng._idiom_keys
                )
                assert [repr(v) for v in got] == [repr(v) for v in want], si.text
                seen += any(got)
    assert seen > 500  # most sentences hold a scored word


NEGATION_TEXTS = [
    "not good but I love it, this is not what I would call a great fix",
    "I have never seen such bad service. Never been so happy with support",
    "hardly helpful, barely useful. The agent was not bad at all",
    "lol not funny haha. I don't think the new billing page is good at all",
    "I wasn't expecting that the reply would be so helpful, nor that it would be better",
    "Nobody on your team has ever been helpful or kind to me and that is a shame",
]


def test_negation_rules_over_token_fields_equal_crm_layer():
    """The engine's walk of the CRM's negation rules over its tokens' C fields changes the
    values, flags and evidence as crm_layer.negation_fixes does, bit for bit."""
    from sentiment_udfs.crm_layer import negation_fixes

    eng = engine()
    fired = 0
    for text in NEGATION_TEXTS + VADER_RULE_TEXTS + _texts(1500):
        for si in eng.sentences(text.strip()):
            vals = eng.core.valences(si.tokens, si.lower, None, False, si.scored)
            want_vals, want_changed, want_ev = list(vals), [False] * si.n, []
            want = negation_fixes(
                want_vals, si.lower, si.tokens, eng.d, want_changed, want_ev, si.written
            )
            got_vals, got_changed, got_ev = list(vals), [False] * si.n, []
            got = engine_module._negation_fixes(
                got_vals, si.infos, got_changed, got_ev, si.scored, eng._negation
            )
            assert [repr(v) for v in got_vals] == [repr(v) for v in want_vals], si.text
            assert (got, got_changed, got_ev) == (want, want_changed, want_ev), si.text
            fired += bool(want_ev)
    assert fired > 20  # the rules fire on many of these sentences


def test_finish_batch_unpacks_fields_in_the_order_they_are_declared() -> None:
    """``Engine.finish_batch`` unpacks ``Prepared``, ``Reading`` and ``_Reading`` by position
    (``engine._fields``: C loads when compiled). A reordered field would swap values silently
    there, so the order it unpacks is pinned here: change both together."""
    assert engine_module.Prepared._fields == (
        "sentences",
        "language",
        "reading",
        "truncated",
        "stripped",
        "cued",
    )
    assert engine_module.Reading._fields == (
        "compound",
        "evidence",
        "token_evidence",
        "sarcasm",
        "escalation",
        "crm_spoke",
        "contrast",
    )
    assert engine_module._Reading._fields == (
        "compound",
        "flags",
        "cue_mask",
        "cue_evidence",
        "polarity_evidence",
        "said",
    )
