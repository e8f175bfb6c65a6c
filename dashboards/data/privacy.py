"""People's personal data by role, enforced where data leaves ``dashboards.data``.

Every data function that returns text, owners or account names takes a :class:`Policy` and
returns values already masked for it; pages never see the unmasked values. What each role may
see is in ``dashboards/roles.yaml`` (or ``DASHBOARD_ROLES_FILE``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml

TextAccess = Literal["none", "masked", "own_accounts", "full"]
TEXT_ACCESS: tuple[str, ...] = ("none", "masked", "own_accounts", "full")
AccountAccess = Literal["all", "own"]
ACCOUNT_ACCESS: tuple[str, ...] = ("all", "own")
DEFAULT_ROLES_FILE = Path(__file__).resolve().parents[1] / "roles.yaml"

HIDDEN_TEXT = "[text hidden for your role]"
OPTED_OUT_TEXT = "[withheld: the contact opted out of analysis]"


@dataclass(frozen=True)
class Policy:
    role: str
    text: TextAccess = "none"
    owner_emails: bool = False
    account_names: bool = True
    owner: str | None = None  # the dim_accounts.owner whose accounts are this user's own
    # Which accounts' rows the account lists (At risk, Actions) hold: all, or only the user's own.
    accounts: AccountAccess = "all"

    def __post_init__(self) -> None:
        if self.text not in TEXT_ACCESS:
            raise ValueError(f"role {self.role!r}: text must be one of {TEXT_ACCESS}")
        if self.accounts not in ACCOUNT_ACCESS:
            raise ValueError(f"role {self.role!r}: accounts must be one of {ACCOUNT_ACCESS}")

    @property
    def only_owner(self) -> str | None:
        """The owner whose accounts alone this policy may list ('' matches none); None: all.

        >>> Policy("agent", accounts="own", owner="sam").only_owner, Policy("leader").only_owner
        ('sam', None)
        >>> Policy("agent", accounts="own").only_owner
        ''
        """
        return (self.owner or "") if self.accounts == "own" else None


# The strictest policy: what anything without a known role gets.
NOBODY = Policy(role="none", text="none", owner_emails=False, account_names=False, accounts="own")


@lru_cache(maxsize=8)
def _read_roles(path: str, _mtime: float) -> dict[str, dict]:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}


def roles_file() -> Path:
    return Path(os.environ.get("DASHBOARD_ROLES_FILE") or DEFAULT_ROLES_FILE)


def policy_for(role: str | None, owner: str | None = None) -> Policy:
    """The policy of ``role`` from the roles file; :data:`NOBODY` for an unknown role."""
    path = roles_file()
    roles = _read_roles(str(path), path.stat().st_mtime)
    entry = roles.get(role or "")
    if not isinstance(entry, dict):
        return NOBODY
    return Policy(
        role=str(role),
        text=entry.get("text", "none"),
        owner_emails=bool(entry.get("owner_emails", False)),
        account_names=bool(entry.get("account_names", False)),
        owner=owner,
        accounts=entry.get("accounts", "all"),
    )


_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_PHONE = re.compile(
    r"\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]?\d{2,4}){2,4}\b"
    r"|\(\d{2,4}\)[ .-]?\d{3,4}[ .-]?\d{3,4}\b"
    r"|\b\d{3}[.-]\d{3}[.-]\d{4}\b"
    r"|\b0\d{2,4}[ -]\d{3,4}[ -]\d{3,5}\b"
)
_NAME_WORD = r"[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?"
# A name after a greeting or sign-off, or as "X wrote:", "From: X".
_NAME_AFTER_CUE = re.compile(
    rf"\b(?P<cue>Hi|Hello|Hey|Dear|Thanks|Thank you|Cheers|Regards|Best|Sincerely|From:|Ask|ask|"
    rf"with|With|to|To|cc|CC|Cc)(?P<sep>,?[ \t]+)(?P<name>{_NAME_WORD}(?:[ \t]+{_NAME_WORD})?)\b"
)
_NAME_WROTE = re.compile(rf"\b{_NAME_WORD}(?:[ \t]+{_NAME_WORD})?(?=[ \t]+(?:wrote|said)\b)")
# Two capitalised words in a row (First Last), not at the start of a sentence.
_FULL_NAME = re.compile(rf"(?<![.!?\n]\s)(?<!^)\b{_NAME_WORD}[ \t]+{_NAME_WORD}\b")
# A sign-off line holding only a name (one or two capitalised words).
_SIGNATURE = re.compile(rf"^(?:[-–—]+\s*)?{_NAME_WORD}(?:[ \t]+{_NAME_WORD})?[ \t]*$", re.MULTILINE)
_NOT_NAMES = frozenset(
    [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Hi",
        "Hello",
        "Thanks",
        "Regards",
        "Best",
        "Team",
        "The",
        "This",
        "That",
        "Please",
        "Support",
        "Customer",
        "Success",
        "Account",
        "Manager",
        "Billing",
        "Invoice",
        "Yes",
        "No",
        "Okay",
        "Great",
        "Cheers",
        "Sincerely",
        "Kind",
        "Dear",
        "Sent",
        "Original",
        "Message",
    ]
)


def _name_or_keep(text: str) -> str:
    words = re.split(r"[ \t]+", text.strip())
    if all(w in _NOT_NAMES for w in words):
        return text
    return "[name]"


def mask_text(text: str | None) -> str | None:
    """Mask e-mail addresses, phone numbers and people's names in free text.

    >>> mask_text("Hi Maria, call me on +44 20 7946 0958 or mail jo.doe@acme.example.\\nThanks, Tom Baker")
    'Hi [name], call me on [phone] or mail [email].\\nThanks, [name]'
    >>> mask_text("On Monday, Priya Shah wrote:\\n> The export failed")
    'On Monday, [name] wrote:\\n> The export failed'
    >>> mask_text("The invoice for March is wrong.")
    'The invoice for March is wrong.'
    """
    if text is None:
        return None
    text = _EMAIL.sub("[email]", text)
    text = _PHONE.sub("[phone]", text)
    text = _NAME_AFTER_CUE.sub(
        lambda m: (
            f"{m['cue']}{m['sep']}{_name_or_keep(m['name'])}"
            if m["cue"] not in ("with", "With", "to", "To") or " " in m["name"].strip()
            else m[0]
        ),
        text,
    )
    text = _NAME_WROTE.sub(lambda m: _name_or_keep(m[0]), text)
    text = _FULL_NAME.sub(lambda m: _name_or_keep(m[0]), text)
    text = _SIGNATURE.sub(lambda m: _name_or_keep(m[0]), text)
    return text


def mask_email(email: str | None) -> str | None:
    """``jo.doe@acme.example`` → ``j•••@acme.example`` (the domain says which team).

    >>> mask_email("jo.doe@acme.example"), mask_email("not an email")
    ('j•••@acme.example', '•••')
    """
    if email is None:
        return None
    local, at, domain = email.partition("@")
    if not at or not local:
        return "•••"
    return f"{local[0]}•••@{domain}"


def show_owner(policy: Policy, owner: str | None) -> str | None:
    if owner is None or policy.owner_emails or (policy.owner and owner == policy.owner):
        return owner
    return mask_email(owner) if "@" in owner else "•••"


def show_account(policy: Policy, account_id: str | None, name: str | None) -> str | None:
    return name if policy.account_names and name else account_id


# Words a line quotes from a customer: 'we are evaluating alternatives', “too slow”.
_QUOTED = re.compile(r"(?<!\w)(['‘“\"])(.+?)(['’”\"])(?!\w)")
HIDDEN_QUOTE = "“…”"


def show_quotes(policy: Policy, line: str | None, *, owner: str | None) -> str | None:
    """A line written about a customer (an observation, a cue) as ``policy`` may see it.

    Such lines are the data's own words except where they quote the customer; those quotes
    follow the text rules: masked for analysts, hidden where the role sees no text.

    >>> show_quotes(NOBODY, "said 'we're evaluating alternatives' on 2 Oct", owner=None)
    'said “…” on 2 Oct'
    >>> show_quotes(Policy("analyst", "masked"), "opened 5 e-mails in 2 days", owner=None)
    'opened 5 e-mails in 2 days'
    """
    if line is None:
        return None
    if policy.text == "full" or (
        policy.text == "own_accounts" and policy.owner and owner == policy.owner
    ):
        return line
    if policy.text == "masked":
        return mask_text(line)
    return _QUOTED.sub(HIDDEN_QUOTE, line)


def can_read_text(policy: Policy, owner: str | None) -> bool:
    """Whether ``policy`` sees (some form of) the texts of an account owned by ``owner``."""
    if policy.text in ("full", "masked"):
        return True
    return policy.text == "own_accounts" and bool(policy.owner) and owner == policy.owner


def show_text(
    policy: Policy, text: str | None, *, owner: str | None, opted_out: bool = False
) -> str | None:
    """The text as ``policy`` may see it (already redacted of opted-out contacts upstream)."""
    if opted_out:
        return OPTED_OUT_TEXT
    if text is None:
        return None
    if policy.text == "full":
        return text
    if policy.text == "masked":
        return mask_text(text)
    if policy.text == "own_accounts" and policy.owner and owner == policy.owner:
        return text
    return HIDDEN_TEXT


def show_note(policy: Policy, text: str | None, *, owner: str | None) -> str | None:
    """Words people wrote about an account that are not a customer's text (a risk reason that
    quotes a few of the customer's words, a decision's note): in full where the policy shows the
    account's texts in full, else with e-mail addresses, phone numbers and names masked.

    >>> show_note(Policy("leader"), "wrote 'ask Tom Baker' on 3 Oct", owner="sam")
    "wrote 'ask [name]' on 3 Oct"
    """
    if text is None:
        return None
    if policy.text == "full" or (
        policy.text == "own_accounts" and policy.owner and owner == policy.owner
    ):
        return text
    return mask_text(text)
