"""Strip what the customer did not write now: quoted replies, forwarded history, signatures."""

from __future__ import annotations

import re

# Everything after one of these lines is earlier correspondence or a signature block.
_CUT_LINE = re.compile(
    r"^\s*(?:"
    r"on\b.{0,200}\bwrote:\s*$"  # Gmail / Apple Mail: "On Mon, 3 Jun 2024, Ana <a@b.c> wrote:"
    r"|-{2,}\s*original message\s*-{2,}"  # Outlook
    r"|-{2,}\s*forwarded message\s*-{2,}"
    r"|from:\s.*"  # Outlook header block of the quoted mail
    r"|_{8,}"
    r"|--\s*"  # RFC 3676 signature separator "-- "
    r"|sent from my \w+.*"
    r"|get outlook for \w+.*"
    r")$",
    re.IGNORECASE,
)
# A sign-off line; what follows it (name, title, phone) is signature.
_SIGN_OFF = re.compile(
    r"^\s*(?:(?:best|kind|warm|warmest|many)\s+)?(?:regards|wishes|thanks|thank you|cheers|"
    r"sincerely|yours(?: truly| sincerely)?|best|respectfully)\s*[,.!]?\s*$",
    re.IGNORECASE,
)


def strip_quoted(text: str) -> str:
    """Drop quoted lines ("> ..."), the reply history after "On ... wrote:", and signatures.

    >>> strip_quoted("Still broken.\\n\\nOn Mon, Ana wrote:\\n> Fixed!\\n")
    'Still broken.'
    >>> strip_quoted("Please refund me.\\nThanks,\\nAna Lima\\nACME Corp")
    'Please refund me.\\nThanks,'
    >>> strip_quoted("Thanks!")
    'Thanks!'
    """
    if "\n" not in text:
        return text.strip()
    kept: list[str] = []
    lines = text.splitlines()
    kinds = _KINDS
    for n, line in enumerate(lines):
        kind = kinds.get(line)
        if kind is None:
            kind = _kind(line)
        if kind == _CUT and kept:
            break
        if kind == _QUOTE:
            continue
        kept.append(line)
        # A sign-off in the last lines ends the message: the rest is name, title, phone.
        if kind == _SIGN and kept[:-1] and len(lines) - n <= 6:
            break
    return "\n".join(kept).strip()


_PLAIN, _CUT, _QUOTE, _SIGN = range(4)
_KINDS: dict[str, int] = {}  # line -> kind, memoized (lines such as sign-offs repeat a lot)


def clear_memo() -> None:
    """Forget the memoized line kinds."""
    _KINDS.clear()


def _kind(line: str) -> int:
    if _CUT_LINE.match(line):
        kind = _CUT
    elif line.lstrip().startswith(">"):
        kind = _QUOTE
    elif _SIGN_OFF.match(line):
        kind = _SIGN
    else:
        kind = _PLAIN
    if len(_KINDS) > 200_000:
        _KINDS.clear()
    _KINDS[line] = kind
    return kind
