"""Redact e-mail addresses, phone numbers and card-like numbers from free text before it is stored.

Placeholders keep the sentence readable and scorable ("call me on [phone]"). The same patterns
run in Python (``redact``) and inside DuckDB (``redact_sql``, RE2 syntax), so a row loaded in
bulk and a single text redacted in a test agree. On unless ``REDACT_PII`` is 0/false/no/off.

>>> redact("Mail jo.doe+crm@example.co.uk or call +44 20 7946 0958, card 4111 1111 1111 1111.")
'Mail [email] or call [phone], card [card].'
>>> redact("Invoice 2026-01-15, ref 48213, at 10:30, 3 seats")
'Invoice 2026-01-15, ref 48213, at 10:30, 3 seats'
"""

from __future__ import annotations

import os
import re

from dagster_project.lib.contract import ENTITIES

# Order matters: card numbers first, so their digit groups are not taken for phone numbers.
PATTERNS: tuple[tuple[str, str], ...] = (
    ("[card]", r"\b\d(?:[ -]?\d){12,18}\b"),
    ("[email]", r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"),
    (
        "[phone]",
        # +international, (area) local, 555-123-4567 / 555.123.4567, and 030 1234 5678 styles.
        r"\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]?\d{2,4}){2,4}\b"
        r"|\(\d{2,4}\)[ .-]?\d{3,4}[ .-]?\d{3,4}\b"
        r"|\b\d{3}[.-]\d{3}[.-]\d{4}\b"
        r"|\b0\d{2,4}[ -]\d{3,4}[ -]\d{3,5}\b",
    ),
)

# ASCII classes, as RE2 has them: \d is 0-9 and \b an ASCII word boundary in both engines.
_COMPILED = tuple((placeholder, re.compile(pattern, re.ASCII)) for placeholder, pattern in PATTERNS)

# Free-text columns of the contract: what people wrote, where contact details turn up.
FREE_TEXT_COLUMNS: dict[str, tuple[str, ...]] = {
    "interactions": ("subject", "body"),
    "surveys": ("comment",),
}
assert all(c in ENTITIES[e].column_names for e, cols in FREE_TEXT_COLUMNS.items() for c in cols)


def redaction_enabled() -> bool:
    """REDACT_PII, read at call time; on by default."""
    return os.environ.get("REDACT_PII", "1").strip().lower() not in ("0", "false", "no", "off")


def redact(text: str | None) -> str | None:
    """Replace contact details and card-like numbers in ``text`` by placeholders."""
    if text is None:
        return None
    for placeholder, pattern in _COMPILED:
        text = pattern.sub(placeholder, text)
    return text


# Every pattern needs an @ (e-mail), a + before a digit (international phone: "+1 234 56" has
# only six digits) or seven digits close together (the other phone styles, cards); most texts
# have none, and one scan for that is much cheaper than three replacing scans.
CANDIDATE = (
    r"@|\+\d"
    r"|\d[ ().-]{0,2}\d[ ().-]{0,2}\d[ ().-]{0,2}\d[ ().-]{0,2}\d[ ().-]{0,2}\d[ ().-]{0,2}\d"
)


def redact_sql(expr: str, params: dict[str, object]) -> str:
    """The SQL expression redacting ``expr``; pattern values are added to ``params``."""
    redacted = expr
    for i, (placeholder, pattern) in enumerate(PATTERNS):
        params[f"redact_p{i}"] = pattern
        params[f"redact_r{i}"] = placeholder
        redacted = f"regexp_replace({redacted}, $redact_p{i}, $redact_r{i}, 'g')"
    params["redact_candidate"] = CANDIDATE
    return f"(case when regexp_matches({expr}, $redact_candidate) then {redacted} else {expr} end)"
