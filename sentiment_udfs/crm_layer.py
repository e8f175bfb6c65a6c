"""The CRM layer: customer-service lexicon, phrases, sarcasm, polite escalation, negation fixes,
and sentence-level scoring with an aggregation for long texts.

It runs VADER's rules (``VaderCore``) over VADER's lexicon merged with ``data/crm_lexicon.yaml``,
sentence by sentence, then applies the patterns of ``data/crm_rules.yaml``. Every change it makes
is returned as evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from sentiment_udfs.lexicon import DATA_DIR, vader_lexicon, vader_rules
from sentiment_udfs.tokenize import replace_emojis, vader_tokens
from sentiment_udfs.vader_core import VaderCore, normalize, punctuation_amplifier

Evidence = dict  # {"kind", "target", "text", "weight"}

# Sentence ends: . ! ? runs (with closing quotes) followed by space, or a line break.
_SPLIT = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\s*\n\s*")
_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
# 'never ... liked a product this much' is praise: comparisons end a negation's reach.
_COMPARATIVE = frozenset({"this", "so", "such", "as", "more", "better", "ever"})
_CLAUSE_END = frozenset(
    {"but", "and", "or", "because", "so", "which", "that", "although", "though"}
)
# Long texts: sentences beyond the first few are averaged rather than summed, so a complaint
# narrative is not judged by how many polite words it contains.
_SUM_SENTENCES = 3


@dataclass(frozen=True)
class Pattern:
    name: str
    regex: re.Pattern[str]
    reason: str
    valence: float = 0.0
    requires_negative: bool = False


@dataclass(frozen=True)
class CrmData:
    lexicon: dict[str, float]
    word_reasons: dict[str, str]
    phrases: dict[str, list[tuple[tuple[str, ...], float, str]]]  # first token -> longest first
    sarcasm: tuple[Pattern, ...]
    escalation: tuple[Pattern, ...]
    closer: re.Pattern[str]
    closer_keep: float
    negated_negative_keep: float
    weak_negators: frozenset[str]
    negation_window: int
    negators: frozenset[str]
    cues: dict[str, tuple[Pattern, ...]]
    emotion_cues: tuple[Pattern, ...]  # name = emotion, valence = push


def _patterns(entries: list[dict]) -> tuple[Pattern, ...]:
    return tuple(
        Pattern(
            name=e["name"],
            regex=re.compile(e["pattern"]),
            reason=e["reason"],
            valence=float(e.get("valence", 0.0)),
            requires_negative=bool(e.get("requires_negative", False)),
        )
        for e in entries
    )


@lru_cache(maxsize=1)
def crm_data() -> CrmData:
    """The CRM lexicon and rules, read once on first use."""
    lex_file = yaml.safe_load((DATA_DIR / "crm_lexicon.yaml").read_text(encoding="utf-8"))
    rules = yaml.safe_load((DATA_DIR / "crm_rules.yaml").read_text(encoding="utf-8"))
    lexicon = dict(vader_lexicon())
    reasons = {}
    for word, entry in lex_file["words"].items():
        reasons[word] = entry["reason"]
        if entry["valence"] == 0:
            lexicon.pop(word, None)  # a plain word again: no score, no blocking of look-back
        else:
            lexicon[word] = float(entry["valence"])
    phrases: dict[str, list] = {}
    for phrase, entry in lex_file["phrases"].items():
        toks = tuple(phrase.split())
        phrases.setdefault(toks[0], []).append((toks, float(entry["valence"]), entry["reason"]))
    for entries in phrases.values():
        entries.sort(key=lambda e: -len(e[0]))
    closer = rules["courtesy_closer"]
    return CrmData(
        lexicon=lexicon,
        word_reasons=reasons,
        phrases=phrases,
        sarcasm=_patterns(rules["sarcasm"]),
        escalation=_patterns(rules["escalation"]),
        closer=re.compile(closer["pattern"]),
        closer_keep=float(closer["keep"]),
        negated_negative_keep=float(rules["negated_negative_keep"]),
        weak_negators=frozenset(rules["weak_negators"]),
        negation_window=int(rules["negation_window"]),
        negators=frozenset(rules["negators"]),
        cues={cue: _patterns(entries) for cue, entries in rules["cues"].items()},
        emotion_cues=tuple(
            Pattern(e, re.compile(c["pattern"]), f"says {e}", float(c["push"]))
            for e, c in rules["emotion_cues"].items()
        ),
    )


@lru_cache(maxsize=1)
def crm_core() -> VaderCore:
    return VaderCore(crm_data().lexicon)


@dataclass(slots=True)
class SentimentResult:
    compound: float
    sentences: list[str]
    sentence_compounds: list[float]
    evidence: list[Evidence] = field(default_factory=list)
    sarcasm: list[Evidence] = field(default_factory=list)
    escalation: list[Evidence] = field(default_factory=list)


def split_sentences(text: str) -> list[str]:
    """Sentences of a text: split after . ! ? runs and at line breaks.

    >>> split_sentences("Great, another outage. Just what we needed!\\nThanks")
    ['Great, another outage.', 'Just what we needed!', 'Thanks']
    """
    return [s for s in (p.strip() for p in _SPLIT.split(text)) if s]


def _ev(kind: str, text: str, weight: float, target: str = "sentiment") -> Evidence:
    return {"kind": kind, "target": target, "text": text, "weight": round(float(weight), 4)}


def _score_sentence(sentence: str, data: CrmData, core: VaderCore, text_negative: bool, ev: list):
    """(valence sum with punctuation emphasis, sarcasm evidence, escalation evidence)."""
    prepared = replace_emojis(sentence).strip()
    tokens = vader_tokens(prepared)
    if not tokens:
        return 0.0, [], []
    lower = [t.lower() for t in tokens]
    lex = data.lexicon
    n = len(tokens)
    changed = [False] * n
    # Phrases first, masked out so VADER's rules neither score their words nor let them negate
    # or boost neighbours ('no problem, happy to help' is not a negated 'happy').
    phrases = data.phrases
    masked = lower
    found: list[tuple[int, float]] = []
    i = 0
    while i < n:
        cands = phrases.get(lower[i])
        if cands:
            for toks, valence, reason in cands:
                k = len(toks)
                if tuple(lower[i : i + k]) == toks:
                    if masked is lower:
                        masked = list(lower)
                    for j in range(i, i + k):
                        masked[j] = "\x00"
                        changed[j] = True
                    found.append((i, valence))
                    ev.append(_ev("lexicon", " ".join(tokens[i : i + k]), valence))
                    ev[-1]["text"] += f" ({reason})"
                    i += k - 1
                    break
        i += 1
    vals = core.valences(tokens, masked)
    for i, valence in found:
        vals[i] = valence
    n_scalar = vader_rules().n_scalar
    keep = data.negated_negative_keep
    negators = data.negators
    window = data.negation_window
    for i in range(n):
        v = vals[i]
        if not v or changed[i]:
            continue
        base = lex.get(lower[i])
        if base is None:
            continue
        if base < 0 < v:  # VADER negated a negative word: faint praise, not strong praise
            vals[i] = v * keep
            changed[i] = True
            ev.append(_ev("rule", f"negated negative '{tokens[i]}' (faint praise)", vals[i]))
            continue
        if base > 0 and v > 0:
            prev = lower[max(0, i - 2) : i]
            if any(w in data.weak_negators for w in prev):
                vals[i] = base * n_scalar
                changed[i] = True
                ev.append(_ev("rule", f"'{' '.join(prev)} {tokens[i]}' negates", vals[i]))
                continue
        if (base > 0) == (v > 0) and i > 3 and not _COMPARATIVE.intersection(lower[i + 1 : i + 3]):
            # Negation further back than VADER's three words, within the same clause.
            for j in range(i - 4, max(-1, i - window - 1), -1):
                w = lower[j]
                if w in _CLAUSE_END or w in _COMPARATIVE or tokens[j][-1:] in ",;:":
                    break
                if w in negators or "n't" in w:
                    vals[i] = v * n_scalar
                    changed[i] = True
                    ev.append(_ev("rule", f"'{tokens[j]} … {tokens[i]}' negates", vals[i]))
                    break
    # Sarcasm flips the sentence's positive words; escalation adds its own weight.
    low_sentence = sentence.lower().translate(_FOLD)
    sarcasm: list[Evidence] = []
    for p in data.sarcasm:
        if p.requires_negative and not text_negative:
            continue
        m = p.regex.search(low_sentence)
        if m:
            sarcasm.append(_ev("pattern", f"{p.name}: '{m.group(0)}'", -1.0, "sarcasm"))
            sarcasm[-1]["text"] += f" ({p.reason})"
    if sarcasm:
        for i in range(n):
            if vals[i] > 0:
                vals[i] = -vals[i]
                ev.append(_ev("pattern", f"{tokens[i]} (sarcastic: sign flipped)", vals[i]))
                changed[i] = True
        if not any(v < 0 for v in vals):
            vals.append(-1.5)  # irony with no positive word to flip ('yeah right')
    escalation: list[Evidence] = []
    for p in data.escalation:
        m = p.regex.search(low_sentence)
        if m:
            escalation.append(_ev("pattern", f"{p.name}: '{m.group(0)[:80]}'", p.valence))
            escalation[-1]["text"] += f" ({p.reason})"
            vals.append(p.valence)
    if escalation:
        for i in range(n):  # the courtesy inside an escalation is not satisfaction
            if vals[i] > 0 and lower[i] in ("appreciate", "thank", "thanks", "grateful"):
                vals[i] = 0
    if "but" in lower:  # VADER's contrast rule, by position
        bi = lower.index("but")
        vals = [v * 0.5 if k < bi else v * 1.5 if k > bi else v for k, v in enumerate(vals)]
    for i in range(n):
        if vals[i] and not changed[i]:
            reason = data.word_reasons.get(lower[i])
            ev.append(_ev("lexicon" if reason else "token", tokens[i], vals[i]))
            if reason:
                ev[-1]["text"] += f" ({reason})"
    s = float(sum(vals))
    amp = punctuation_amplifier(prepared)
    if s > 0:
        s += amp
    elif s < 0:
        s -= amp
    return s, sarcasm, escalation


def _looks_negative(lower_text: str, data: CrmData) -> bool:
    lex = data.lexicon
    return any(lex.get(w.strip(".,!?;:"), 0) < 0 for w in lower_text.split())


def score_sentiment(text: str) -> SentimentResult:
    """CRM-aware compound of an already cleaned text, with evidence.

    >>> score_sentiment("Great, another outage. Just what we needed.").compound < 0
    True
    >>> score_sentiment("Thanks for nothing.").compound < 0
    True
    """
    data = crm_data()
    core = crm_core()
    sentences = split_sentences(text)
    negative = _looks_negative(text.lower(), data)
    ev: list[Evidence] = []
    sums: list[float] = []
    sarcasm: list[Evidence] = []
    escalation: list[Evidence] = []
    for sentence in sentences:
        s, sar, esc = _score_sentence(sentence, data, core, negative, ev)
        if len(sentences) > 1 and s > 0 and data.closer.match(sentence.lower().strip()):
            ev.append(_ev("rule", f"courtesy closer '{sentence[:40]}'", s * data.closer_keep - s))
            s *= data.closer_keep
        sums.append(s)
        sarcasm += sar
        escalation += esc
    compounds = [normalize(s) for s in sums]
    compound = aggregate(sums, compounds)
    if len(sentences) > _SUM_SENTENCES:
        ev.append(_ev("rule", f"{len(sentences)} sentences: length-aware aggregation", compound))
    return SentimentResult(
        round(compound, 4), sentences, compounds, ev + sarcasm + escalation, sarcasm, escalation
    )


def aggregate(sums: list[float], compounds: list[float]) -> float:
    """One compound from sentence scores.

    Up to three sentences: VADER-like, the sum of their valences normalized. Longer: that is
    blended with a mean of sentence compounds in which negative sentences weigh double (a
    complaint is not cancelled by polite sentences around it), so the score does not saturate
    with length.

    >>> round(aggregate([2.0], [normalize(2.0)]), 4)
    0.4588
    """
    if not sums:
        return 0.0
    whole = normalize(sum(sums))
    n = len(sums)
    if n <= _SUM_SENTENCES:
        return whole
    num = den = 0.0
    for c in compounds:
        w = (2.0 if c < 0 else 1.0) * (0.5 + abs(c))
        num += w * c
        den += w
    mean = num / den if den else 0.0
    share = min(1.0, (n - _SUM_SENTENCES) / 4)
    return (1 - share) * whole + share * mean
