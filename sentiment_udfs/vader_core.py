"""A VADER-compatible core: the same compound as ``vaderSentiment`` (to the last bit), in one pass.

``vaderSentiment`` rebuilds the lower-cased token list for every lexicon word it checks, and walks
the text one character at a time for emojis. Here each text is tokenized and lower-cased once, and
every token's contribution after the rules (boosters, negation, "no", "least", caps, idioms, "but")
is kept, so a score can be explained token by token. The floating-point operations are done in
VADER's order, quirks included: the contrastive "but" rule, which finds each value's *first* equal
element in the list (see ``_but_rule``), and the "kind of" / idiom special cases.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

from sentiment_udfs.lexicon import vader_lexicon, vader_rules
from sentiment_udfs.tokenize import replace_emojis, vader_tokens


@dataclass(slots=True)
class CoreResult:
    """Tokens, their contributions after VADER's rules, and the compound they add up to."""

    tokens: list[str]
    valences: list[float]  # one per token, after every rule including "but"
    punct_amplifier: float
    compound: float  # rounded to 4 decimals, as VADER reports it
    raw_sum: float = 0.0  # sum of valences plus punctuation emphasis, before normalizing
    rules: list[tuple[int, str]] = field(default_factory=list)  # (token index, rule) when explain


def normalize(score: float, alpha: float = 15) -> float:
    """VADER's squashing of a valence sum into [-1, 1].

    >>> round(normalize(1.9), 4)
    0.4404
    """
    norm = score / math.sqrt((score * score) + alpha)
    if norm < -1.0:
        return -1.0
    if norm > 1.0:
        return 1.0
    return norm


def punctuation_amplifier(text: str) -> float:
    """Emphasis from "!" (up to 4) and from 2+ "?" on the whole text, as VADER adds it.

    >>> punctuation_amplifier("no way!!"), punctuation_amplifier("really??")
    (0.584, 0.36)
    """
    return amplifier(text.count("!"), text.count("?"))


def amplifier(exclamations: int, questions: int) -> float:
    """VADER's emphasis for these counts of "!" and "?" (the engine counts them per token)."""
    amp = (exclamations if exclamations < 4 else 4) * 0.292
    if questions > 1:
        amp += questions * 0.18 if questions <= 3 else 0.96
    return amp


def _negated(word: str, negate: frozenset[str]) -> bool:
    return word in negate or "n't" in word


class VaderCore:
    """VADER's rules over a lexicon (VADER's own by default; the CRM layer passes its merge)."""

    def __init__(self, lexicon: dict[str, float] | None = None) -> None:
        r = vader_rules()
        self.lexicon = vader_lexicon() if lexicon is None else lexicon
        self.boosters = r.boosters
        self.negate = r.negate
        self.special = r.special_cases
        self.n_scalar = r.n_scalar
        self.c_incr = r.c_incr

    def prepare(self, text: str) -> str:
        """Emoji descriptions in, surrounding whitespace out: the text VADER actually scores."""
        return replace_emojis(text).strip()

    def valences(
        self,
        tokens: list[str],
        lower: list[str],
        explain: list | None = None,
        cap_diff: bool | None = None,
        candidates: list | None = None,
    ) -> list:
        """Each token's valence after every rule but "but" (``explain`` collects rule names).

        ``cap_diff`` (some but not all tokens ALL CAPS: caps then emphasize) is computed from
        the tokens unless given (the CRM layer decides it over a whole text). ``candidates``:
        the positions of the tokens in the lexicon and not degree words, in order, where the
        caller knows them (the engine, per distinct token); the others score 0 anyway.
        """
        lex = self.lexicon
        boosters = self.boosters
        n = len(tokens)
        if cap_diff is None:
            upper_count = 0
            for t in tokens:
                if t.isupper():
                    upper_count += 1
            cap_diff = 0 < n - upper_count < n
        out: list = [0] * n
        for i in range(n) if candidates is None else candidates:
            item_l = lower[i]
            if item_l not in lex or item_l in boosters:
                continue  # boosters are modifiers, never scored themselves
            if item_l == "kind" and i < n - 1 and lower[i + 1] == "of":
                continue
            out[i] = self._valence(i, tokens, lower, n, cap_diff, explain)
        return out

    def _valence(self, i, tokens, lower, n, cap_diff, explain):  # noqa: C901 - VADER's rules, in order
        lex = self.lexicon
        n_scalar = self.n_scalar
        c_incr = self.c_incr
        item_l = lower[i]
        base = lex[item_l]
        valence = base
        if item_l == "no" and i != n - 1 and lower[i + 1] in lex:
            valence = 0.0  # "no" negates the next lexicon word instead of scoring itself
            if explain is not None:
                explain.append((i, "'no' before a sentiment word scores 0"))
        if (
            (i > 0 and lower[i - 1] == "no")
            or (i > 1 and lower[i - 2] == "no")
            or (i > 2 and lower[i - 3] == "no" and lower[i - 1] in ("or", "nor"))
        ):
            valence = base * n_scalar
            if explain is not None:
                explain.append((i, "negated by 'no'"))
        if cap_diff and tokens[i].isupper():
            valence = valence + c_incr if valence > 0 else valence - c_incr
            if explain is not None:
                explain.append((i, "ALL CAPS emphasis"))
        for start_i in range(3):
            if i <= start_i:
                break
            j = i - (start_i + 1)
            wj = lower[j]
            if wj in lex:
                continue
            s = 0.0
            b = self.boosters.get(wj)
            if b is not None:
                s = b
                if valence < 0:
                    s *= -1
                if cap_diff and tokens[j].isupper():
                    s = s + c_incr if valence > 0 else s - c_incr
                if start_i == 1 and s != 0:
                    s = s * 0.95
                if start_i == 2 and s != 0:
                    s = s * 0.9
                if explain is not None and s != 0:
                    explain.append((i, f"degree word '{tokens[j]}'"))
            valence = valence + s
            valence = self._negation(valence, lower, start_i, i, explain)
            if start_i == 2:
                valence = self._idioms(valence, lower, i, n, explain)
        # "least": negation unless "at least" / "very least"
        if i > 1 and lower[i - 1] not in lex and lower[i - 1] == "least":
            if lower[i - 2] != "at" and lower[i - 2] != "very":
                valence = valence * n_scalar
                if explain is not None:
                    explain.append((i, "negated by 'least'"))
        elif i > 0 and lower[i - 1] not in lex and lower[i - 1] == "least":
            valence = valence * n_scalar
            if explain is not None:
                explain.append((i, "negated by 'least'"))
        return valence

    def _negation(self, valence, lower, start_i, i, explain):
        n_scalar = self.n_scalar
        negate = self.negate
        before = valence
        if start_i == 0:
            if _negated(lower[i - 1], negate):
                valence = valence * n_scalar
        elif start_i == 1:
            w2, w1 = lower[i - 2], lower[i - 1]
            if w2 == "never" and (w1 == "so" or w1 == "this"):
                valence = valence * 1.25
            elif w2 == "without" and w1 == "doubt":
                pass
            elif _negated(w2, negate):
                valence = valence * n_scalar
        else:
            w3, w2, w1 = lower[i - 3], lower[i - 2], lower[i - 1]
            if (w3 == "never" and (w2 == "so" or w2 == "this")) or (w1 == "so" or w1 == "this"):
                valence = valence * 1.25
            elif w3 == "without" and (w2 == "doubt" or w1 == "doubt"):
                pass
            elif _negated(w3, negate):
                valence = valence * n_scalar
        if explain is not None and valence is not before and valence != before:
            word = lower[i - start_i - 1]
            rule = "emphasis 'never so/this'" if valence * before > 0 else f"negated by '{word}'"
            explain.append((i, rule))
        return valence

    def _idioms(self, valence, lower, i, n, explain):
        special = self.special
        onezero = f"{lower[i - 1]} {lower[i]}"
        twoonezero = f"{lower[i - 2]} {lower[i - 1]} {lower[i]}"
        twoone = f"{lower[i - 2]} {lower[i - 1]}"
        threetwoone = f"{lower[i - 3]} {lower[i - 2]} {lower[i - 1]}"
        threetwo = f"{lower[i - 3]} {lower[i - 2]}"
        for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
            if seq in special:
                valence = special[seq]
                if explain is not None:
                    explain.append((i, f"idiom '{seq}'"))
                break
        if n - 1 > i:
            zeroone = f"{lower[i]} {lower[i + 1]}"
            if zeroone in special:
                valence = special[zeroone]
                if explain is not None:
                    explain.append((i, f"idiom '{zeroone}'"))
        if n - 1 > i + 1:
            zeroonetwo = f"{lower[i]} {lower[i + 1]} {lower[i + 2]}"
            if zeroonetwo in special:
                valence = special[zeroonetwo]
                if explain is not None:
                    explain.append((i, f"idiom '{zeroonetwo}'"))
        boosters = self.boosters
        for ngram in (threetwoone, threetwo, twoone):
            if ngram in boosters:
                valence = valence + boosters[ngram]
                if explain is not None:
                    explain.append((i, f"degree phrase '{ngram}'"))
        return valence

    def score(self, text: str, explain: bool = False) -> CoreResult:
        """Score one text as ``SentimentIntensityAnalyzer().polarity_scores(text)['compound']``.

        >>> VaderCore().score("The book was only kind of good.").compound
        0.3832
        """
        prepared = self.prepare(text)
        tokens = vader_tokens(prepared)
        lower = [t.lower() for t in tokens]
        rules: list | None = [] if explain else None
        vals = self.valences(tokens, lower, rules)
        if "but" in lower:
            vals = but_rule(vals, lower.index("but"))
            if rules is not None:
                rules.append((lower.index("but"), "contrast 'but': before x0.5, after x1.5"))
        return finish(tokens, vals, prepared, rules)


def but_rule(vals: list, bi: int) -> list:
    """VADER's contrastive "but", quirk included, in O(m log m) over the m non-zero values.

    VADER walks the list and, for each value, rescales the *first* element equal to it
    (``list.index``), so equal values before and after a rescale interact. Zeros stay zero, so only
    non-zero values need simulating; a heap per value finds the first index still holding it.

    >>> but_rule([2.0, 1.0, 0, 1.0], 2)
    [0.5, 0.5, 0, 1.0]
    """
    vals = list(vals)
    heaps: dict = {}
    nonzero = [k for k, v in enumerate(vals) if v != 0]
    for k in nonzero:
        heaps.setdefault(vals[k], []).append(k)  # ascending already: a valid heap
    for k in nonzero:
        v = vals[k]
        h = heaps[v]
        while vals[h[0]] != v:  # lazily drop indexes whose value has since changed
            heapq.heappop(h)
        si = h[0]
        if si < bi:
            nv = v * 0.5
        elif si > bi:
            nv = v * 1.5
        else:
            continue
        vals[si] = nv
        heapq.heappush(heaps.setdefault(nv, []), si)
    return vals


def finish(tokens: list[str], vals: list, prepared: str, rules: list | None = None) -> CoreResult:
    """Sum the contributions in VADER's order, add punctuation emphasis, normalize, round."""
    if not tokens:
        return CoreResult(tokens, vals, 0.0, 0.0, 0.0, rules or [])
    sum_s = float(sum(vals))  # sequential, left to right, as VADER (Python 3.11 sum)
    amp = punctuation_amplifier(prepared)
    if sum_s > 0:
        sum_s += amp
    elif sum_s < 0:
        sum_s -= amp
    return CoreResult(tokens, vals, amp, round(normalize(sum_s), 4), sum_s, rules or [])
