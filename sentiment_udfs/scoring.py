"""Score texts: CRM-aware sentiment, a primary emotion with intensity, cues, and evidence.

Batch first: ``score_texts`` runs the per-text rules, then the emotion model for the whole batch
in one numpy pass, then assembles one record per text (the warehouse's contract, see
``_record``). ``processes > 1`` splits the batch across a process pool, order preserved.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor

from sentiment_udfs.crm_layer import score_sentiment
from sentiment_udfs.cues import detect_cues
from sentiment_udfs.emotions import batch_logits, decide, feature_ids, intensity, softmax, top_words
from sentiment_udfs.features import compound_feature, features, words
from sentiment_udfs.language import detect_language
from sentiment_udfs.taxonomy import CUES, EMOTIONS, sentiment_label
from sentiment_udfs.text_cleaning import strip_quoted
from sentiment_udfs.version import SCORER_VERSION

MAX_CHARS = 20_000  # longer texts are scored on their first 20,000 characters
_MAX_TOKEN_EVIDENCE = 12
_CHUNK = 2_000  # texts per task when scoring on several processes


def _as_text(text: object) -> str:
    """Any input as a str: None/NaN -> '', bytes decoded leniently, anything else str()."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    if isinstance(text, bytes | bytearray):
        return bytes(text).decode("utf-8", errors="replace")
    if isinstance(text, float) and math.isnan(text):
        return ""
    return str(text)


def _empty_record(language: str = "unknown", why: str = "empty text") -> dict:
    return {
        "compound": 0.0,
        "sentiment_label": "neutral",
        "emotion": "neutral",
        "emotion_intensity": 0.0,
        "emotion_scores": {e: float(e == "neutral") for e in EMOTIONS},
        "cues": dict.fromkeys(CUES, False),
        "evidence": [{"kind": "rule", "target": "sentiment", "text": why, "weight": 0.0}],
        "language": language,
        "is_empty": language == "unknown" and why == "empty text",
        "scorer_version": SCORER_VERSION,
    }


def _prepare(raw: object):
    """First pass for one text: everything but the emotion model. None means a fixed record."""
    text = _as_text(raw)
    if not text.strip():
        return None, _empty_record()
    truncated = len(text) > MAX_CHARS
    if truncated:
        text = text[:MAX_CHARS]
    text = text.replace("\x00", " ")
    cleaned = strip_quoted(text) or text.strip()
    lowered = cleaned.lower()
    language = detect_language(cleaned, words(cleaned))
    if language not in ("en", "unknown"):
        return None, _empty_record(language, f"language '{language}': not scored in English")
    sentiment = score_sentiment(cleaned)
    state = (cleaned, lowered, language, sentiment, truncated, cleaned != text.strip())
    return state, feature_ids([*features(cleaned), compound_feature(sentiment.compound)])


_POLARITY_MARGIN = 0.5  # the polarity model overrules the lexicon's label only when this sure
_KEEP_STRONG = 0.5  # ... and never calls a clearly polar lexicon reading neutral


def polarity_adjust(
    compound: float, probs: list[float], crm_said: bool = False
) -> tuple[float, list[dict]]:
    """Let the polarity model settle the label where the lexicon misses context.

    The lexicon calls any mild word polar ("like", "yes", "sure"), and misses sentiment
    without lexicon words. When the model (words + the compound's bucket) is confident, the
    label follows it: neutral shrinks the compound into the neutral band keeping its sign
    (ranks barely move); a polarity the compound lacks moves it just past the cut-off. Where
    the CRM lexicon or a pattern spoke (``crm_said``), the model does not overrule it.

    >>> polarity_adjust(0.4, [0.1, 0.8, 0.1])[0]
    0.016
    >>> polarity_adjust(0.0, [0.7, 0.2, 0.1])[0]
    -0.12
    >>> polarity_adjust(-0.7, [0.1, 0.2, 0.7])[0]
    -0.7
    """
    top = max(range(3), key=probs.__getitem__)
    p = probs[top]
    if p <= _POLARITY_MARGIN or (crm_said and compound != 0):
        return compound, []
    if top == 1:
        if abs(compound) >= _KEEP_STRONG:
            return compound, []
        new = compound * 0.04
    elif top == 2:
        new = compound if compound >= 0.05 else round(0.05 + 0.1 * p, 4)
    else:
        new = compound if compound <= -0.05 else round(-0.05 - 0.1 * p, 4)
    if new == compound:
        return compound, []
    if abs(compound) >= 0.3 and top != 1 and (new > 0) != (compound > 0):
        return compound, []  # a strong lexicon reading is not flipped by the model
    label = ("negative", "neutral", "positive")[top]
    why = f"polarity model: {label} (p={p:.2f})"
    return round(new, 4), [{"kind": "model", "target": "sentiment", "text": why, "weight": p}]


def _finish(state, ids: list[int], emo_logits: list[float], pol_logits: list[float]) -> dict:
    cleaned, lowered, language, sentiment, truncated, stripped = state
    evidence: list[dict] = []
    crm_said = sentiment.crm_changed
    compound, polarity_ev = polarity_adjust(sentiment.compound, softmax(pol_logits), crm_said)
    cues, cue_ev = detect_cues(lowered, compound, sentiment.sarcasm, sentiment.escalation)
    scores, rule_ev = decide(emo_logits, compound, cues, bool(sentiment.escalation), lowered)
    emotion = max(scores, key=scores.__getitem__)
    prob = scores[emotion]
    # Evidence: the rules and patterns first, then the words that weighed most.
    non_token = [e for e in sentiment.evidence if e["kind"] != "token"]
    tokens = sorted(
        (e for e in sentiment.evidence if e["kind"] == "token"), key=lambda e: -abs(e["weight"])
    )
    evidence.extend(non_token)
    evidence.extend(tokens[:_MAX_TOKEN_EVIDENCE])
    if stripped:
        evidence.append(
            {
                "kind": "rule",
                "target": "sentiment",
                "text": "quoted reply/signature removed",
                "weight": 0.0,
            }
        )
    if truncated:
        evidence.append(
            {
                "kind": "rule",
                "target": "sentiment",
                "text": "scored first 20,000 characters",
                "weight": 0.0,
            }
        )
    evidence.extend(polarity_ev)
    evidence.extend(cue_ev)
    for word, w in top_words(ids, emotion):
        evidence.append({"kind": "model", "target": emotion, "text": word, "weight": w})
    evidence.extend(e for e in rule_ev if e["target"] == emotion)
    return {
        "compound": compound,
        "sentiment_label": sentiment_label(compound),
        "emotion": emotion,
        "emotion_intensity": intensity(emotion, prob, compound),
        "emotion_scores": {e: round(s, 4) for e, s in scores.items()},
        "cues": cues,
        "evidence": evidence,
        "language": language,
        "is_empty": False,
        "scorer_version": SCORER_VERSION,
    }


def _score_batch(texts: Sequence[object]) -> list[dict]:
    records: list[dict | None] = []
    pending: list[tuple[int, tuple, list[int]]] = []
    for raw in texts:
        state, other = _prepare(raw)
        if state is None:
            records.append(other)
        else:
            pending.append((len(records), state, other))
            records.append(None)
    if pending:
        emo, pol = batch_logits([ids for _, _, ids in pending])
        emo_l, pol_l = emo.tolist(), pol.tolist()
        for k, (pos, state, ids) in enumerate(pending):
            records[pos] = _finish(state, ids, emo_l[k], pol_l[k])
    return records  # type: ignore[return-value]


def score_texts(texts: Iterable[object], processes: int = 1) -> list[dict]:
    """Score many texts; one record per text, in order.

    >>> [r["sentiment_label"] for r in score_texts(["Love it!", "", "Thanks for nothing."])]
    ['positive', 'neutral', 'negative']
    """
    texts = list(texts)
    if processes <= 1 or len(texts) <= _CHUNK:
        return _score_batch(texts)
    # A few large chunks per worker: each task pays pickling both ways, so fewer is cheaper.
    size = max(_CHUNK, -(-len(texts) // (processes * 4)))
    chunks = [texts[i : i + size] for i in range(0, len(texts), size)]
    with ProcessPoolExecutor(max_workers=processes) as pool:
        out: list[dict] = []
        for part in pool.map(_score_batch, chunks):
            out.extend(part)
    return out


def score_text(text: object) -> dict:
    """Score one text. An empty or missing text is neutral and flagged ``is_empty``.

    >>> r = score_text("I want to cancel, this is unacceptable!")
    >>> r["sentiment_label"], r["cues"]["churn_intent"]
    ('negative', True)
    """
    return _score_batch([text])[0]
