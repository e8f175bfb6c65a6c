"""Cheap pre-checks for regular expressions: which words a match must start with.

Running some forty patterns over every text costs more than VADER itself. Most patterns can
only match where the text has one of a few words (``\\b(?:cancel|close|...)``), so each pattern's
*triggers* are derived from its parsed form: the literal word prefixes a match can begin with
(or the one non-word character it begins with, such as ``?``). A text's tokens are looked up
once (memoized per distinct word), and a pattern runs only when one of its triggers is present.
A pattern whose start cannot be derived has no triggers and always runs, so the pre-check can
only skip work, never change a result (a test compares it with running every pattern).
"""

from __future__ import annotations

import re
from array import array
from itertools import accumulate
from re import _constants as C  # noqa: N812 - the parser's opcode names
from re import _parser as P  # noqa: N812

try:
    import cython
except ImportError:  # pragma: no cover - installed without the build tools
    from sentiment_udfs import _no_cython as cython

_MAX_BRANCHES = 400  # beyond this many alternatives, give up and always run the pattern
_WORD_CHAR = re.compile(r"\w")
# Words found in most sentences: as a trigger they filter nothing ('my account ... closed' runs
# on every text saying 'my'), so a run's anchor is any other piece where it has one. The last
# two lines are frequent words that let the disappointment and praise patterns run on one unseen
# sentence in seven, for a match in twenty or thirty runs ('not what ...', 'switch over to a new
# ...', 'good job'); as common words, such a pattern looks for its required pieces before it runs.
# fmt: off
_COMMON = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "do", "for", "from",
    "get", "go", "have", "i", "i'm", "in", "is", "it", "it's", "me", "my", "no", "not", "of",
    "on", "or", "our", "so", "that", "the", "them", "they", "this", "to", "up", "us", "was",
    "we", "were", "will", "with", "you", "your", "you're",
    "being", "didn't", "getting", "good", "having", "just", "never", "new", "other", "over",
    "really", "well", "what", "work",
))
# fmt: on


def _is_word(ch: str) -> bool:
    return bool(_WORD_CHAR.match(ch))


def _nonword_item(op, av) -> bool:
    """True when the item can only match non-word characters (or nothing)."""
    if op is C.LITERAL:
        return not _is_word(chr(av))
    if op is C.IN:
        for iop, iav in av:
            if iop is C.LITERAL:
                if _is_word(chr(iav)):
                    return False
            elif iop is C.CATEGORY:
                if iav not in (C.CATEGORY_SPACE, C.CATEGORY_NOT_WORD):
                    return False
            else:
                return False
        return True
    if op in (C.MAX_REPEAT, C.MIN_REPEAT):
        return all(_nonword_item(o, a) for o, a in av[2])
    return False


def _space_run(op, av) -> bool:
    """``\\s+`` (one or more whitespace): in the lower-cased, single-spaced text, one space."""
    if op is not C.MAX_REPEAT or av[0] < 1 or len(av[2]) != 1:
        return False
    iop, iav = av[2][0]
    if iop is C.IN:
        return all(x == (C.CATEGORY, C.CATEGORY_SPACE) or x == (C.LITERAL, 32) for x in iav)
    return iop is C.LITERAL and iav == 32


def _starts(seq: list, bounded: bool = False, cont: bool = False) -> set[str] | None:
    """Literal runs (``\\s+`` written as one space) that a match of seq begins with; None when
    not derivable. ``bounded``: a word run here starts at a word boundary (after ``\\b``,
    ``^`` or a non-word character); without it a run could start mid-word. ``cont``: seq
    continues a run already begun, so it may stop anywhere ('' = nothing more is known)."""
    stop = {""} if cont else None
    i = 0
    while i < len(seq):
        op, av = seq[i]
        if op is C.AT:
            if av in (C.AT_BOUNDARY, C.AT_BEGINNING, C.AT_BEGINNING_STRING):
                bounded = True
            i += 1
            continue
        if op in (C.ASSERT, C.ASSERT_NOT):
            # A look-around ('(?<!not )great') matches no characters: the match starts with
            # what follows it, and a pattern led by one need not run on every sentence.
            i += 1
            continue
        if op is C.LITERAL or (cont and _space_run(op, av)):
            if op is C.LITERAL and _is_word(chr(av)) and not bounded and not cont:
                return None
            run = []
            while i < len(seq):
                op, av = seq[i]
                if op is C.LITERAL:
                    run.append(chr(av))
                elif _space_run(op, av):
                    run.append(" ")
                else:
                    break
                i += 1
            head = "".join(run)
            rest = _starts(list(seq[i:]), True, True) or {""}
            return _shrink({head + r for r in rest}, cont)
        if op is C.SUBPATTERN:
            return _starts(list(av[-1]) + list(seq[i + 1 :]), bounded, cont)
        if op is C.BRANCH:
            out: set[str] = set()
            for branch in av[1]:
                s = _starts(list(branch) + list(seq[i + 1 :]), bounded, cont)
                if s is None:
                    return None
                out |= s
                out = _shrink(out, cont)
                if out is None:
                    return None
            return out
        if op in (C.MAX_REPEAT, C.MIN_REPEAT):
            lo, _hi, body = av
            with_body = _starts(list(body) + list(seq[i + 1 :]), bounded, cont)
            if with_body is None:
                return None
            if lo > 0:
                return with_body
            without = _starts(list(seq[i + 1 :]), bounded, cont)
            if without is None:
                return None
            return _shrink(with_body | without, cont)
        if op is C.IN and _nonword_item(op, av) and not cont:
            # e.g. '[.!]\\s+' before a word: the word that follows is the trigger
            return _starts(list(seq[i + 1 :]), True)
        return stop
    return stop  # the pattern can match an empty string or only zero-width things


def _shrink(runs: set[str], cont: bool) -> set[str] | None:
    """At most ``_MAX_BRANCHES`` runs: cut the runs after fewer and fewer spaces (a shorter
    run is still a prefix of every match that the longer one was)."""
    if len(runs) <= _MAX_BRANCHES:
        return runs
    k = max(r.count(" ") for r in runs)
    while len(runs) > _MAX_BRANCHES and k > 0:
        k -= 1
        runs = {" ".join(r.split(" ")[: k + 1]) + (" " if r.count(" ") > k else "") for r in runs}
    if len(runs) > _MAX_BRANCHES:
        return {""} if cont else None
    return runs


def _anchor(run: str) -> tuple[str, str]:
    """The most telling piece of a literal run and how a whitespace token must hold it.

    Pieces are what lies between spaces; in the single-spaced text a piece with a space on
    both sides is a whole token ('=='), with one on its right only ends a token ('end'), with
    one on its left only starts one ('start'), and with none lies inside one ('in').

    >>> _anchor("thanks for nothing"), _anchor("how "), _anchor("refund"), _anchor("a shame")
    (('nothing', 'start'), ('how', 'end'), ('refund', 'in'), ('shame', 'start'))
    """
    pieces = run.split(" ")
    best = None
    for k, piece in enumerate(pieces):
        if not piece:
            continue
        left, right = k > 0, k < len(pieces) - 1
        mode = "==" if left and right else "start" if left else "end" if right else "in"
        score = len(piece) + (2 if mode == "==" else 0) - (100 if piece in _COMMON else 0)
        if best is None or score > best[0]:
            best = (score, piece, mode)
    assert best is not None
    return best[1], best[2]


def triggers(pattern: str) -> frozenset[str] | None:
    """The literal runs a match must start with (``\\s+`` as one space), or None.

    >>> sorted(triggers(r"\\b(?:oh,?\\s+)?(?:great|perfect)\\s*,"))
    ['great', 'oh great', 'oh perfect', 'oh, great', 'oh, perfect', 'perfect']
    >>> sorted(triggers(r"\\brefund\\w*|\\bthank(?:s| you) for"))
    ['refund', 'thank you for', 'thanks for']
    >>> sorted(triggers(r"\\?"))
    ['?']
    >>> sorted(triggers(r"(?<!not )\\b(?:great|nice)\\b"))
    ['great', 'nice']
    >>> triggers(r"\\w+ing") is None
    True
    """
    try:
        parsed = P.parse(pattern)
    except re.error:  # pragma: no cover - patterns are compiled elsewhere first
        return None
    s = _starts(list(parsed))
    if not s or any(not t.strip() for t in s):
        return None
    # A run that extends another adds nothing: a match starting with it starts with the other.
    return frozenset(t for t in s if not any(o != t and t.startswith(o) for o in s))


_MAX_REQUIRED = 60  # beyond this many alternatives a required set checks too long to pay
_PAIRS = cython.declare(cython.int, 1024)  # buckets of the required pieces (``_pair``)
# A pattern opening so matches at the text's start or after '.' or '!' and white space; in
# a sentence's tokens joined by single spaces, that white space is one space.
OPENING = r"(?:^|[.!]\s+)"


def _required_seq(seq) -> frozenset[str] | None:
    """Literal pieces at least one of which every match of ``seq`` holds: the most telling of
    its items' (a literal run, a group, a branch, a repeat of at least one); None if none."""
    best, best_score = None, None
    i = 0
    while i < len(seq):
        op, av = seq[i]
        found = None
        if op is C.LITERAL:
            run = []
            while i < len(seq) and (seq[i][0] is C.LITERAL or _space_run(*seq[i])):
                op, av = seq[i]
                run.append(chr(av) if op is C.LITERAL else " ")
                i += 1
            found = frozenset(["".join(run)])
            i -= 1
        elif op is C.SUBPATTERN:
            if not av[1] & re.IGNORECASE:  # '(?i:...)': its letters need not be as written
                found = _required_seq(av[-1])
        elif op is C.BRANCH:
            union: set[str] = set()
            for branch in av[1]:
                r = _required_seq(branch)
                if r is None:
                    union = set()
                    break
                union |= r
            found = frozenset(union) if 0 < len(union) <= _MAX_REQUIRED else None
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1:
            found = _required_seq(av[2])
        if found:
            score = _telling(found)
            if best_score is None or score > best_score:
                best, best_score = found, score
        i += 1
    return best


def _telling(pieces: frozenset[str]) -> tuple[int, int]:
    """How well a required set filters: its weakest piece's length (a common word counts as
    nothing), then fewer pieces."""
    weakest = min(_piece_length(p.strip()) for p in pieces)
    return weakest, -len(pieces)


def _piece_length(piece: str) -> int:
    """A piece's length as a filter: a common word counts as nothing, a hashtag's '#' (rare
    in text, and praise under '#fail' must hold one) as a three-letter word."""
    if piece in _COMMON:
        return len(piece) - 100
    if piece.startswith("#"):
        return len(piece) + 2
    return len(piece)


def required(pattern: str) -> frozenset[str] | None:
    """Pieces of text at least one of which every match of ``pattern`` holds, or None (none
    that filters well). The trigger words say where a match may start; these are what it must
    hold anywhere ('my ... account ... closed' starts at a common word but needs 'account').

    >>> sorted(required(r"\\b(?:my|our) (?:\\w+ )?account (?:to )?(?:be )?(?:closed|deleted)\\b"))
    ['account ']
    >>> sorted(required(r"\\b(?:want|need) to (?:cancel|quit)"))  # 'to' filters nothing
    ['need', 'want']
    >>> sorted(required(r"(?:cancel|quit)\\w*|\\brefund"))
    ['cancel', 'quit', 'refund']
    >>> required(r"\\b(?:do|can) (?:you|i)\\b") is None  # only common words
    True
    """
    try:
        parsed = P.parse(pattern)
    except re.error:  # pragma: no cover - patterns are compiled elsewhere first
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    found = _required_seq(list(parsed))
    if not found or _telling(found)[0] < 3:
        return None
    return found


@cython.cfunc
@cython.inline
def _pair(first: cython.long, second: cython.long) -> cython.int:
    """The bucket of a piece, or of a text's position, by its first two characters' code
    points."""
    return (first * 31 ^ second) & (_PAIRS - 1)


def _by_number(by_bit: dict, n: int) -> list:
    """``by_bit``'s values by pattern number (None where it has none)."""
    out = [None] * n
    for bit, value in by_bit.items():
        out[bit.bit_length() - 1] = value
    return out


@cython.cclass
class Prefilter:
    """Bit ``k`` stands for pattern ``k``; ``token_mask(token)`` says which patterns a
    whitespace token (lower-cased, quotes folded) can be part of a match of.

    ``always`` holds the patterns without triggers. A text's mask is the OR of its tokens'
    masks (memoized per distinct token by the caller); a pattern whose bit is not set cannot
    match the text's tokens joined by single spaces.

    Compiled, it is a C struct (``prefilter.pxd``) and ``confirm``, run on every new sentence,
    works its masks as C integers: as Python ints above 2**30 each ``&``, ``^`` and look-up by
    bit made a new object.
    """

    def __init__(self, patterns: list[str]) -> None:
        self.always = 0
        self.exact: dict[str, int] = {}
        start: dict[str, int] = {}  # piece a token must start with -> its patterns' bits
        end: dict[str, int] = {}  # ... end with
        self.inside: dict[str, list[tuple[str, int]]] = {}
        self.inside_nonword: list[tuple[str, int]] = []
        self.anchors: list[tuple[int, str, str]] = []
        weak = 0  # patterns that some common word ('my', 'the') lets through
        for k, pattern in enumerate(patterns):
            bit = 1 << k
            trig = triggers(pattern)
            if trig is None:
                self.always |= bit
                continue
            for run in trig:
                piece, mode = _anchor(run)
                self.anchors.append((bit, piece, mode))
                if piece in _COMMON:
                    weak |= bit
                if mode == "==":
                    self.exact[piece] = self.exact.get(piece, 0) | bit
                elif mode in ("start", "end"):
                    pieces = start if mode == "start" else end
                    pieces[piece] = pieces.get(piece, 0) | bit
                elif _is_word(piece[0]):
                    self.inside.setdefault(piece[0], []).append((piece, bit))
                else:
                    self.inside_nonword.append((piece, bit))
        # Grouped by their first (last) few characters, as many as the shortest piece has: a
        # token costs one slice and one look-up, then a startswith (endswith) per candidate.
        self.head = min(map(len, start), default=0)
        self.starts_by_head: dict[str, list[tuple[str, int]]] = {}
        for piece, bits in start.items():
            self.starts_by_head.setdefault(piece[: self.head], []).append((piece, bits))
        self.tail = min(map(len, end), default=0)
        self.ends_by_tail: dict[str, list[tuple[str, int]]] = {}
        for piece, bits in end.items():
            self.ends_by_tail.setdefault(piece[-self.tail :], []).append((piece, bits))
        # bit -> the pieces one of which the text must hold for the pattern to match there;
        # for the patterns a common word lets through, and for those whose required pieces
        # are not their trigger words ('want to cancel' starts at 'want' but needs 'cancel':
        # on unseen text its triggers are met 30 times as often as it matches). Where the
        # pieces are the trigger words, looking again would only cost time.
        self.needs: dict[int, frozenset[str]] = {}
        triggered: dict[int, set[str]] = {}
        for bit, piece, _ in self.anchors:
            triggered.setdefault(bit, set()).add(piece)
        for k, pattern in enumerate(patterns):
            bit = 1 << k
            if self.always & bit:
                continue
            pieces = required(pattern)
            if pieces is None:
                continue
            if weak & bit or not pieces <= triggered[bit]:
                self.needs[bit] = pieces
        self.checked = sum(self.needs)  # the bits ``confirm`` looks at
        # The needed pieces, each once with the bits of the patterns that need it, filed by
        # their first two characters (``_pair``): ``_present`` finds all a sentence holds in
        # one pass over it, where a look per piece costs a call. A piece of one character
        # ('#') is looked for on its own (``short``).
        by_piece: dict[str, int] = {}
        for bit, pieces in self.needs.items():
            for piece in pieces:
                by_piece[piece] = by_piece.get(piece, 0) | bit
        self.short = [(piece, bits) for piece, bits in by_piece.items() if len(piece) < 2]
        buckets: list[list[str]] = [[] for _ in range(_PAIRS)]
        for piece in by_piece:
            if len(piece) >= 2:
                buckets[_pair(ord(piece[0]), ord(piece[1]))].append(piece)
        self.pieces = [piece for bucket in buckets for piece in bucket]
        self._piece_bits = array("Q", [by_piece[piece] for piece in self.pieces])
        self.piece_bits = self._piece_bits
        # ... and their code points, one after another (piece k is piece_chars[piece_start[k]:
        # piece_start[k + 1]]): compiled, ``_holds`` compares them in C.
        self._piece_chars = array("I", [ord(ch) for piece in self.pieces for ch in piece])
        self.piece_chars = self._piece_chars
        self._piece_start = array("i", accumulate(map(len, self.pieces), initial=0))
        self.piece_start = self._piece_start
        # bucket b is pieces[bucket_start[b]:bucket_start[b + 1]]
        self._bucket_start = array("i", accumulate(map(len, buckets), initial=0))
        self.bucket_start = self._bucket_start
        # Patterns that match only at the start of a text or after a sentence end inside it
        # ('how do ...' as a question): triggered by 'how', 'is', 'can' in one unseen sentence
        # of two, they match in one of 40. Where no sentence ends inside a text, such a match
        # starts at its start, with one of the pattern's literal runs (``triggers``): bit ->
        # those runs.
        self.opening: dict[int, tuple[str, ...]] = {}
        for k, pattern in enumerate(patterns):
            runs = triggers(pattern) if pattern.startswith(OPENING) else None
            if runs is not None and not re.compile(pattern).flags & re.IGNORECASE:
                self.opening[1 << k] = tuple(sorted(runs))
        self.opening_bits = sum(self.opening)
        self.opening_runs = _by_number(self.opening, len(patterns))

    @cython.locals(left=cython.ulonglong, bit=cython.ulonglong, k=cython.Py_ssize_t)
    def confirm(self, mask: cython.ulonglong, text: str) -> int:
        """``mask`` (a sentence's tokens' masks OR-ed) less the patterns that need a piece
        ``text`` (its tokens joined by single spaces) does not hold, and the opening patterns
        that cannot match at its start where no sentence ends inside it: a second, cheap look
        before a regular expression runs."""
        left = mask & self.opening_bits
        if left and ". " not in text and "! " not in text:
            k, bit = 0, 1  # pattern k, its bit; ``left`` shifts down to k's bit
            while left:
                if left & 1 and not text.startswith(self.opening_runs[k]):
                    mask ^= bit
                left >>= 1
                k, bit = k + 1, bit << 1
        if mask & self.checked:
            mask &= ~self.checked | self._present(text)
        return mask

    @cython.cfunc
    @cython.boundscheck(False)
    @cython.wraparound(False)
    @cython.locals(
        i=cython.Py_ssize_t,
        k=cython.Py_ssize_t,
        b=cython.int,
        found=cython.ulonglong,
        before=cython.Py_UCS4,
        ch=cython.Py_UCS4,
    )
    def _present(self, text: str) -> cython.ulonglong:
        """The patterns that ``text`` holds a needed piece of."""
        found = 0
        for piece, bits in self.short:
            if piece in text:
                found |= bits
        i = -1  # where ``before`` stands: a piece starting there starts with it and ``ch``
        before = " "
        for ch in text:  # compiled, a C loop over the characters
            if i >= 0:
                b = _pair(ord(before), ord(ch))
                for k in range(self.bucket_start[b], self.bucket_start[b + 1]):
                    if (found & self.piece_bits[k]) != self.piece_bits[k] and self._holds(
                        text, i, k
                    ):
                        found |= self.piece_bits[k]
            before = ch
            i += 1
        return found

    @cython.cfunc
    @cython.inline
    @cython.boundscheck(False)
    @cython.wraparound(False)
    @cython.locals(start=cython.Py_ssize_t, j=cython.Py_ssize_t)
    def _holds(self, text: str, at: cython.Py_ssize_t, k: cython.Py_ssize_t) -> cython.bint:
        """Whether needed piece ``k`` stands in ``text`` at ``at``. A sentence checks about 85
        candidates (pieces sharing a bucket with a place in it) and holds about one: compiled,
        their code points are compared in C, where a ``startswith`` call apiece cost more than
        the comparing (perf: most of ``_present``'s time)."""
        if not cython.compiled:
            return text.startswith(self.pieces[k], at)
        start = self.piece_start[k]
        if at + self.piece_start[k + 1] - start > len(text):
            return False
        for j in range(start, self.piece_start[k + 1]):
            if ord(text[at + j - start]) != self.piece_chars[j]:
                return False
        return True

    def token_mask(self, t: str) -> int:
        if not t:
            return 0
        m = self.exact.get(t, 0)
        n = len(t)
        if self.head and n >= self.head:
            for piece, bits in self.starts_by_head.get(t[: self.head], ()):
                if t.startswith(piece):
                    m |= bits
        if self.tail and n >= self.tail:
            for piece, bits in self.ends_by_tail.get(t[-self.tail :], ()):
                if t.endswith(piece):
                    m |= bits
        inside = self.inside
        if t.isalnum():
            # One word: word-led pieces can only start at its start, and no piece led by a
            # non-word character ('#sarcasm', '?') can be inside it.
            for piece, bit in inside.get(t[0], ()):
                if t.startswith(piece):
                    m |= bit
            return m
        prev_word = False
        for p, ch in enumerate(t):  # a word-led piece starts where a word starts
            is_word = ch.isalnum() or ch == "_"
            if is_word and not prev_word:
                for piece, bit in inside.get(ch, ()):
                    if t.startswith(piece, p):
                        m |= bit
            prev_word = is_word
        for piece, bit in self.inside_nonword:
            if piece in t:
                m |= bit
        return m
