"""Shared, seeded context of one generation run: time window, agents, name pools, id counters."""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from faker import Faker

from dagster_project.lib.demo_data.pools import VENDOR_DOMAIN
from dagster_project.lib.demo_data.writers import to_seconds

DAY = 86400
# Locales mixed on purpose: accents and non-English names are part of real CRM data.
_LOCALES = ["en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT"]


def ascii_slug(text: str, sep: str = ".") -> str:
    """Lower-case ASCII for e-mail addresses and domains.

    >>> ascii_slug("José Núñez-Ölz")
    'jose.nunez.olz'
    """
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return sep.join(re.findall(r"[a-z0-9]+", plain.lower()))


def add_months(d: date, months: int) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 + months, 12)
    return date(y, m + 1, min(d.day, 28))


@dataclass(frozen=True)
class Agent:
    name: str
    first: str
    email: str


@dataclass
class Counters:
    """Sequential ids; accounts are built in order, so ids are deterministic."""

    interaction: int = 0
    ticket: int = 0
    survey: int = 0
    event: int = 0
    deal: int = 0
    contact: int = 0

    def next(self, kind: str) -> int:
        value = getattr(self, kind) + 1
        setattr(self, kind, value)
        return value


@dataclass
class World:
    seed: int
    start: int  # first second of the window
    end: int  # last second of the window
    end_date: date
    agents: list[Agent]
    first_names: list[str]
    last_names: list[str]
    companies: list[str]
    ids: Counters = field(default_factory=Counters)
    used_names: set[str] = field(default_factory=set)

    @property
    def ces_switch(self) -> int:
        """The CES survey moved from 1–5 effort (lower better) to 1–7 agreement mid-window."""
        return (self.start + self.end) // 2


def make_world(seed: int, months: int, end_date: date, accounts: int) -> World:
    fake = Faker(_LOCALES)
    fake.seed_instance(seed)
    rng = random.Random(f"world:{seed}")
    first_names = sorted({fake.first_name() for _ in range(700)})
    last_names = sorted({fake.last_name() for _ in range(700)})
    companies = sorted({fake.company() for _ in range(500)})
    rng.shuffle(first_names)
    rng.shuffle(last_names)
    rng.shuffle(companies)
    agents = []
    for _ in range(max(12, min(80, accounts // 12))):
        first, last = rng.choice(first_names), rng.choice(last_names)
        email = f"{ascii_slug(first)}.{ascii_slug(last)}@{VENDOR_DOMAIN}"
        if all(a.email != email for a in agents):
            agents.append(Agent(f"{first} {last}", first, email))
    # The window is `months` whole calendar months ending with end_date's month.
    start_date = add_months(date(end_date.year, end_date.month, 1), -(months - 1))
    return World(
        seed=seed,
        start=to_seconds(start_date),
        end=to_seconds(end_date) + DAY - 1,
        end_date=end_date,
        agents=agents,
        first_names=first_names,
        last_names=last_names,
        companies=companies,
    )
