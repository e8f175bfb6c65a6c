"""The CRM layer: customer-service lexicon, phrases, sarcasm, polite escalation, negation fixes,
and sentence-level scoring with an aggregation for long texts.

It runs VADER's rules (``VaderCore``) over VADER's lexicon merged with ``data/crm_lexicon.yaml``,
sentence by sentence, then applies the patterns of ``data/crm_rules.yaml``. Every change it makes
is returned as evidence.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from sentiment_udfs.lexicon import DATA_DIR, vader_lexicon, vader_rules
from sentiment_udfs.tokenize import replace_emojis
from sentiment_udfs.vader_core import VaderCore, normalize, punctuation_amplifier

Evidence = dict  # {"kind", "target", "text", "weight"}

_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
# 'never ... liked a product this much' is praise: comparisons end a negation's reach.
_COURTESY = frozenset({"appreciate", "thank", "thanks", "grateful", "kindly", "please"})
_CLOSER_START = frozenset(
    {
        "thanks",
        "thank",
        "many",
        "i",
        "we",
        "best",
        "kind",
        "warm",
        "regards",
        "cheers",
        "ok",
        "okay",
    }
    | {"sincerely", "thx"}
)
_PUNCT = string.punctuation
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
    any_pattern: re.Pattern[str]  # sarcasm or escalation might be present: a cheap pre-check
    emotion_any: re.Pattern[str]  # one pass over the text for every emotion cue
    emotion_push: dict[str, float]


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
    either = [e["pattern"] for e in rules["sarcasm"] + rules["escalation"]]
    emotion_any = "|".join(f"(?P<{e}>{c['pattern']})" for e, c in rules["emotion_cues"].items())
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
        any_pattern=re.compile("|".join(f"(?:{x})" for x in either)),
        emotion_any=re.compile(emotion_any),
        emotion_push={e: float(c["push"]) for e, c in rules["emotion_cues"].items()},
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
    crm_changed: bool = False  # a CRM override, pattern or negation fix moved the score


def _ev(kind: str, text: str, weight: float, target: str = "sentiment") -> Evidence:
    return {"kind": kind, "target": target, "text": text, "weight": round(float(weight), 4)}


def _sentence_ends(prepared: str) -> tuple[list[str], list[int]]:
    """Whitespace tokens of the whole text and the token index where each sentence ends.

    A sentence ends after a token ending in . ! ? (closing quotes allowed) and at a line break.

    >>> _sentence_ends("Great, another outage. Just what we needed!\\nThanks")
    (['Great,', 'another', 'outage.', 'Just', 'what', 'we', 'needed!', 'Thanks'], [3, 7, 8])
    """
    raw: list[str] = []
    ends: list[int] = []
    for line in prepared.splitlines():
        for tok in line.split():
            raw.append(tok)
            last = tok[-1]
            if last in ".!?" or (last in "\"')]" and tok.rstrip("\"')]")[-1:] in (".", "!", "?")):
                ends.append(len(raw))
        if raw and (not ends or ends[-1] != len(raw)):
            ends.append(len(raw))
    return raw, ends


def _token_at(lower_text: str, pos: int) -> int:
    return len(lower_text[:pos].split())


def _apply_phrases(lower, tokens, data, changed, ev):
    phrases = data.phrases
    masked = lower
    found: list[tuple[int, float]] = []
    n = len(lower)
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
                    ev.append(_ev("lexicon", f"{' '.join(tokens[i : i + k])} ({reason})", valence))
                    i += k - 1
                    break
        i += 1
    return masked, found


def _negation_fixes(vals, lower, tokens, data, changed, ev):
    lex = data.lexicon
    n_scalar = vader_rules().n_scalar
    keep = data.negated_negative_keep
    negators = data.negators
    window = data.negation_window
    for i, v in enumerate(vals):
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


def score_sentiment(text: str) -> SentimentResult:
    """CRM-aware compound of an already cleaned text, with evidence.

    The text is tokenized once (VADER's way); VADER's rules run over all of it, then the CRM
    rules, then sentences are summed and aggregated.

    >>> score_sentiment("Great, another outage. Just what we needed.").compound < 0
    True
    >>> score_sentiment("Thanks for nothing.").compound < 0
    True
    """
    data = crm_data()
    prepared = replace_emojis(text).strip()
    raw, ends = _sentence_ends(prepared)
    if not raw:
        return SentimentResult(0.0, [], [])
    tokens = []
    for tok in raw:
        stripped = tok.strip(_PUNCT)
        tokens.append(tok if len(stripped) <= 2 else stripped)
    lower = [t.lower() for t in tokens]
    n = len(tokens)
    ev: list[Evidence] = []
    changed = [False] * n
    masked, found = _apply_phrases(lower, tokens, data, changed, ev)
    vals = crm_core().valences(tokens, masked)
    for i, valence in found:
        vals[i] = valence
    _negation_fixes(vals, lower, tokens, data, changed, ev)
    extra = [0.0] * len(ends)  # per-sentence weight of patterns
    sentence_of = [0] * n
    start = 0
    for k, end in enumerate(ends):
        for i in range(start, end):
            sentence_of[i] = k
        start = end
    # Sarcasm and escalation: one cheap pre-check on the whole text, details only on a hit.
    sarcasm: list[Evidence] = []
    escalation: list[Evidence] = []
    low_text = " ".join(raw).lower().translate(_FOLD)
    if data.any_pattern.search(low_text):
        negative = any(v < 0 for v in vals)
        flip: set[int] = set()
        for p in data.sarcasm:
            if p.requires_negative and not negative:
                continue
            for m in p.regex.finditer(low_text):
                k = sentence_of[min(n - 1, _token_at(low_text, m.start()))]
                if k != sentence_of[min(n - 1, _token_at(low_text, m.end() - 1))]:
                    continue  # irony is read within one sentence ('It was great. Another…')
                flip.add(k)
                sarcasm.append(
                    _ev("pattern", f"{p.name}: '{m.group(0)}' ({p.reason})", -1.0, "sarcasm")
                )
        for k in sorted(flip):
            s, e = (ends[k - 1] if k else 0), ends[k]
            flipped = False
            for i in range(s, e):
                if vals[i] > 0:
                    vals[i] = -vals[i]
                    changed[i] = True
                    flipped = True
                    ev.append(_ev("pattern", f"{tokens[i]} (sarcastic: sign flipped)", vals[i]))
            if not flipped and not any(vals[i] < 0 for i in range(s, e)):
                extra[k] -= 1.5  # irony with no positive word to flip ('yeah right')
        for p in data.escalation:
            m = p.regex.search(low_text)
            if m:
                k = sentence_of[min(n - 1, _token_at(low_text, m.start()))]
                extra[k] += p.valence
                escalation.append(
                    _ev("pattern", f"{p.name}: '{m.group(0)[:80]}' ({p.reason})", p.valence)
                )
                s, e = (ends[k - 1] if k else 0), ends[k]
                for i in range(s, e):  # the courtesy inside an escalation is not satisfaction
                    if vals[i] > 0 and lower[i] in _COURTESY:
                        vals[i] = 0
    sums: list[float] = []
    start = 0
    multi = len(ends) > 1
    for k, end in enumerate(ends):
        sv = vals[start:end]
        sl = lower[start:end]
        if "but" in sl:  # VADER's contrast rule, by position, within the sentence
            bi = sl.index("but")
            sv = [v * 0.5 if j < bi else v * 1.5 if j > bi else v for j, v in enumerate(sv)]
            vals[start:end] = sv
        s = float(sum(sv)) + extra[k]
        if s:
            amp = punctuation_amplifier("".join(raw[start:end]))
            s = s + amp if s > 0 else s - amp
        if multi and s > 0 and sl and sl[0] in _CLOSER_START:
            sentence = " ".join(raw[start:end]).lower().translate(_FOLD)
            if data.closer.match(sentence):
                ev.append(
                    _ev("rule", f"courtesy closer '{sentence[:40]}'", s * data.closer_keep - s)
                )
                s *= data.closer_keep
        sums.append(s)
        start = end
    reasons = data.word_reasons
    for i, v in enumerate(vals):
        if v and not changed[i]:
            reason = reasons.get(lower[i])
            if reason:
                ev.append(_ev("lexicon", f"{tokens[i]} ({reason})", v))
            else:
                ev.append(_ev("token", tokens[i], v))
    compounds = [normalize(s) for s in sums]
    compound = aggregate(sums, compounds)
    if len(ends) > _SUM_SENTENCES:
        ev.append(_ev("rule", f"{len(ends)} sentences: length-aware aggregation", compound))
    # Phrases, patterns and negation fixes are CRM knowledge the polarity model must not undo.
    # So are clear word overrides ('refund', 'outage'); weak ones ('like' 0.6) are not.
    crm_changed = bool(found) or bool(sarcasm) or bool(escalation) or any(changed)
    if not crm_changed:
        reasons = data.word_reasons
        crm_changed = any(abs(v) >= 0.8 and lower[i] in reasons for i, v in enumerate(vals))
    return SentimentResult(
        round(compound, 4),
        [],
        compounds,
        ev + sarcasm + escalation,
        sarcasm,
        escalation,
        crm_changed,
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
