"""The CRM layer: customer-service lexicon, phrases, sarcasm, polite escalation, negation fixes,
and sentence-level scoring with an aggregation for long texts.

Its data and rules: VADER's lexicon merged with ``data/crm_lexicon.yaml`` (words, phrases,
emoji), the patterns of ``data/crm_rules.yaml``, the phrase and negation rules over a sentence's
valences, and how sentences add up to a text. The engine (``engine.py``) applies them; this
module imports no engine (the dependency goes one way). Every change a rule makes is returned
as evidence.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import lru_cache

import yaml

from sentiment_udfs.lexicon import DATA_DIR, emoji_descriptions, vader_lexicon, vader_rules
from sentiment_udfs.vader_core import VaderCore, normalize

FOLD_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
# 'never ... liked a product this much' is praise: comparisons end a negation's reach.
COURTESY = frozenset({"appreciate", "thank", "thanks", "grateful", "kindly", "please"})
# A sentence that opens like this and ends with '?' asks for information ('Do I get the card
# for free?', 'How long until my top up is approved?'): its positive words are not praise.
# ('why' is left out: 'why' questions are often complaints, and negative words always count.)
QUESTION_START = frozenset(
    {"how", "what", "when", "where", "which", "who", "do", "does", "did", "can", "could", "is"}
    | {"are", "was", "will", "would", "should", "may", "shall", "am", "have", "has"}
)
CLOSER_START = frozenset(
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
COMPARATIVE = frozenset({"this", "so", "such", "as", "more", "better", "ever"})
# 'never ... so/such' exclaims rather than negates: 'never seen such bad service' is a complaint,
# 'never been so happy' praise (VADER reads both the other way round).
EXCLAIM = frozenset({"so", "such"})
CLAUSE_END = frozenset({"but", "and", "or", "because", "so", "which", "that", "although", "though"})
# Long texts: sentences beyond the first few are averaged rather than summed, so a complaint
# narrative is not judged by how many polite words it contains.
SUM_SENTENCES = 3


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
    not_negated: frozenset[str]
    cues: dict[str, tuple[Pattern, ...]]
    any_pattern: re.Pattern[str]  # sarcasm or escalation might be present: a cheap pre-check
    emotion_any: re.Pattern[str]  # one pass over the text for every emotion cue
    emotion_push: dict[str, float]
    emotion_patterns: dict[str, re.Pattern[str]]
    emoji_push: float
    emoji_patterns: dict[str, re.Pattern[str]]  # emotion -> its emoji's descriptions
    emoji_by_description: dict[str, str]  # 'pouting face' -> '😡', for evidence
    verdict_patterns: dict[str, tuple[re.Pattern[str], float]]  # emotion -> (pattern, push)


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
    descriptions = emoji_descriptions()
    emoji_by_description: dict[str, str] = {}
    emoji_words: dict[str, list[str]] = {}
    for ch, entry in lex_file["emoji"].items():
        description = descriptions[ch]  # VADER's reading of it: what the tokens hold
        emoji_by_description[description] = ch
        toks = tuple(description.split())
        why = f"{ch} {entry['reason']}"
        phrases.setdefault(toks[0], []).append((toks, float(entry["valence"]), why))
        if "emotion" in entry:
            emoji_words.setdefault(entry["emotion"], []).append(re.escape(description))
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
        not_negated=frozenset(rules["not_negated"]),
        cues={cue: _patterns(entries) for cue, entries in rules["cues"].items()},
        any_pattern=re.compile("|".join(f"(?:{x})" for x in either)),
        emotion_any=re.compile(emotion_any),
        emotion_push={e: float(c["push"]) for e, c in rules["emotion_cues"].items()},
        emotion_patterns={e: re.compile(c["pattern"]) for e, c in rules["emotion_cues"].items()},
        emoji_push=float(rules["emoji_push"]),
        emoji_patterns={e: re.compile(rf"\b(?:{'|'.join(ds)})\b") for e, ds in emoji_words.items()},
        emoji_by_description=emoji_by_description,
        verdict_patterns={
            e: (re.compile(c["pattern"]), float(c["push"]))
            for e, c in rules["verdict_cues"].items()
        },
    )


@lru_cache(maxsize=1)
def crm_core() -> VaderCore:
    return VaderCore(crm_data().lexicon)


def evidence_tuple(kind: str, text: str, weight: float, target: str = "sentiment") -> tuple:
    """Evidence as a compact tuple (kind, target, text, weight); records get dicts."""
    return (kind, target, text, round(float(weight), 4))


def apply_phrases(lower, tokens, data, changed, ev):
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
                    ev.append(
                        evidence_tuple(
                            "lexicon", f"{' '.join(tokens[i : i + k])} ({reason})", valence
                        )
                    )
                    i += k - 1
                    break
        i += 1
    return masked, found


def _never_exclaims(lower: list[str], i: int, reach: int) -> bool:
    """Whether a 'never' up to ``reach`` words before word ``i`` has 'so' or 'such' after it.

    >>> _never_exclaims("never seen such bad service".split(), 3, 3)
    True
    >>> _never_exclaims("never seen bad service".split(), 2, 3)
    False
    """
    for j in range(i - 1, max(-1, i - reach - 1), -1):
        if lower[j] == "never":
            return bool(EXCLAIM.intersection(lower[j + 1 : i]))
    return False


def negation_fixes(vals, lower, tokens, data, changed, ev, written=None):
    """The CRM's negation rules on VADER's valences, in place. ``written``: the tokens as
    written (punctuation kept, so a comma ends a negation's clause); ``tokens`` if None.
    The engine runs the same rules over its tokens' C fields (``engine._negation_fixes``,
    tested equal to this one).
    Returns whether a word-level rule applied ('not bad' is faint praise, 'hardly helpful',
    'lol' outside a negation); not for a negation read further back than VADER's three words
    (its scope is a guess the polarity model may settle)."""
    written = tokens if written is None else written
    decided = False
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
        if lower[i] in data.not_negated:  # laughter, emoticons: outside any negation's scope
            if (base > 0) != (v > 0):
                vals[i] = v / n_scalar
                changed[i] = decided = True
                ev.append(evidence_tuple("rule", f"'{tokens[i]}' is not negated", vals[i]))
            continue
        if (base > 0) != (v > 0) and _never_exclaims(lower, i, 3):
            vals[i] = v / n_scalar  # VADER's negation undone
            changed[i] = decided = True
            ev.append(evidence_tuple("rule", f"'never … so/such {tokens[i]}' exclaims", vals[i]))
            continue
        if base < 0 < v:  # VADER negated a negative word: faint praise, not strong praise
            vals[i] = v * keep
            changed[i] = decided = True
            ev.append(
                evidence_tuple("rule", f"negated negative '{tokens[i]}' (faint praise)", vals[i])
            )
            continue
        if base > 0 and v > 0:
            prev = lower[max(0, i - 2) : i]
            if any(w in data.weak_negators for w in prev):
                vals[i] = base * n_scalar
                changed[i] = decided = True
                ev.append(
                    evidence_tuple("rule", f"'{' '.join(prev)} {tokens[i]}' negates", vals[i])
                )
                continue
        if (base > 0) == (v > 0) and i > 3 and not COMPARATIVE.intersection(lower[i + 1 : i + 3]):
            # Negation further back than VADER's three words, within the same clause: a comma
            # or 'but' right before the word ends the clause too ('not good but I love it').
            for j in range(i - 1, max(-1, i - window - 1), -1):
                w = lower[j]
                if written[j][-1:] in ",;:" or w == "but":
                    break
                if j > i - 4:
                    continue
                if w in CLAUSE_END or w in COMPARATIVE:
                    break
                if w == "never" and EXCLAIM.intersection(lower[j + 1 : i]):
                    # 'never been treated so badly': not negated, and the evidence says why
                    ev.append(evidence_tuple("rule", f"'never … so/such {tokens[i]}' exclaims", v))
                    break
                if w in negators or "n't" in w:
                    vals[i] = v * n_scalar
                    changed[i] = True
                    ev.append(
                        evidence_tuple("rule", f"'{tokens[j]} … {tokens[i]}' negates", vals[i])
                    )
                    break
    return decided


def sentence_weight(compound: float) -> float:
    """A sentence's weight in a long text's mean: negative sentences weigh double (a complaint
    is not cancelled by polite sentences around it), strong ones more than faint ones."""
    return (2.0 if compound < 0 else 1.0) * (0.5 + abs(compound))


def mean_share(n_sentences: int) -> float:
    """How much of a long text's compound is the weighted mean of its sentences (the rest is
    the VADER-like sum): none up to SUM_SENTENCES sentences, all of it four sentences later."""
    return min(1.0, max(0, n_sentences - SUM_SENTENCES) / 4)


def aggregate(sums: list[float], compounds: list[float]) -> float:
    """One compound from sentence scores.

    Up to three sentences: VADER-like, the sum of their valences normalized. Longer: that is
    blended with a mean of sentence compounds weighted by ``sentence_weight``, so the score
    does not saturate with length.

    >>> round(aggregate([2.0], [normalize(2.0)]), 4)
    0.4588
    """
    if not sums:
        return 0.0
    whole = normalize(sum(sums))
    n = len(sums)
    if n <= SUM_SENTENCES:
        return whole
    num = den = 0.0
    for c in compounds:
        w = sentence_weight(c)
        num += w * c
        den += w
    mean = num / den if den else 0.0
    share = mean_share(n)
    return (1 - share) * whole + share * mean
