"""Account emotional arcs: how a customer feels over its life, and how that life ends.

An arc is a list of phases over the account's life (fractions of the time from creation to the
arc's end). Each phase sets which emotions customers write with, how much they talk to us, how
much they use the product, how well their tickets go and how they answer surveys. The outcome
(renewal, churn, downgrade, expansion) follows the arc, but not as a rule: `decide_churn` is a
hidden process in which some accounts on a churn arc are saved at the last moment and some on a
healthy arc leave for reasons that leave no trace in the data (a budget cut, an acquisition). So a
churn-risk score finds a signal, noisy and incomplete, and its backtest is an honest test.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from dagster_project.lib.demo_data.pools import AREAS


@dataclass(frozen=True)
class Phase:
    until: float  # fraction of the account's life at which this phase ends
    emotions: tuple[tuple[str, float], ...]  # weights of the primary emotion of customer texts
    valence: float  # -1..1, moves survey scores
    activity: float  # multiplier on conversations per month
    engagement: float  # multiplier on product usage events
    resolution: float  # probability an agent's reply actually fixes things
    churn_risk: bool = False  # customers may threaten to leave
    billing_heavy: bool = False  # conversations lean to billing

    def emotion(self, rng: random.Random) -> str:
        names, weights = zip(*self.emotions, strict=True)
        return rng.choices(names, weights)[0]

    def area(self, rng: random.Random) -> str:
        if self.billing_heavy and rng.random() < 0.5:
            return "billing"
        return rng.choice(AREAS)


@dataclass(frozen=True)
class Arc:
    name: str
    weight: float  # share of accounts
    outcome: str  # renew, churn or downgrade (expansions happen inside renew arcs)
    phases: tuple[Phase, ...]
    expands: float = 0.0  # probability of an expansion event in the last positive phase

    def phase_at(self, fraction: float) -> Phase:
        for phase in self.phases:
            if fraction <= phase.until:
                return phase
        return self.phases[-1]


_ONBOARD_EXCITED = Phase(
    0.12,
    (("delight", 3), ("curiosity", 4), ("satisfaction", 2), ("confusion", 1)),
    0.7,
    1.5,
    1.6,
    0.85,
)

ARCS: tuple[Arc, ...] = (
    Arc(
        "champion",
        0.20,
        "renew",
        (
            _ONBOARD_EXCITED,
            Phase(
                1.0,
                (("satisfaction", 5), ("delight", 3), ("curiosity", 3), ("neutral", 2)),
                0.8,
                1.0,
                1.3,
                0.9,
            ),
        ),
        expands=0.6,
    ),
    Arc(
        "steady",
        0.24,
        "renew",
        (
            Phase(
                0.15,
                (("curiosity", 3), ("confusion", 2), ("neutral", 3), ("satisfaction", 2)),
                0.3,
                1.2,
                1.2,
                0.8,
            ),
            Phase(
                1.0,
                (
                    ("neutral", 5),
                    ("satisfaction", 3),
                    ("curiosity", 2),
                    ("confusion", 1),
                    ("frustration", 1),
                ),
                0.35,
                0.8,
                1.0,
                0.8,
            ),
        ),
        expands=0.15,
    ),
    Arc(
        # Confusion in adoption, frustration after unresolved tickets, recovery after a good reply.
        "rocky_recovery",
        0.17,
        "renew",
        (
            Phase(
                0.2,
                (("confusion", 5), ("curiosity", 2), ("anxiety", 2), ("neutral", 1)),
                -0.1,
                1.4,
                1.0,
                0.5,
            ),
            Phase(
                0.5,
                (("frustration", 5), ("anxiety", 2), ("disappointment", 2), ("anger", 1)),
                -0.6,
                1.6,
                0.8,
                0.25,
            ),
            Phase(
                1.0,
                (("satisfaction", 5), ("delight", 2), ("neutral", 2), ("curiosity", 1)),
                0.6,
                0.9,
                1.1,
                0.9,
            ),
        ),
        expands=0.2,
    ),
    Arc(
        # Frustration that is never resolved, then threats, then the account leaves at renewal.
        "frustrated_churn",
        0.14,
        "churn",
        (
            Phase(
                0.15,
                (("curiosity", 3), ("confusion", 3), ("satisfaction", 1)),
                0.2,
                1.3,
                1.2,
                0.7,
            ),
            Phase(
                0.45,
                (("confusion", 2), ("frustration", 4), ("anxiety", 2), ("neutral", 1)),
                -0.4,
                1.5,
                0.8,
                0.35,
            ),
            Phase(
                1.0,
                (("frustration", 4), ("anger", 3), ("disappointment", 3)),
                -0.85,
                1.4,
                0.35,
                0.15,
                churn_risk=True,
            ),
        ),
    ),
    Arc(
        # Excited onboarding, then quiet disengagement: fewer words, fewer logins, then gone.
        "quiet_churn",
        0.11,
        "churn",
        (
            _ONBOARD_EXCITED,
            Phase(
                0.4,
                (("satisfaction", 3), ("neutral", 4), ("curiosity", 1)),
                0.3,
                0.8,
                0.9,
                0.7,
            ),
            Phase(
                0.7,
                (("neutral", 5), ("disappointment", 2), ("confusion", 1)),
                -0.3,
                0.35,
                0.35,
                0.6,
            ),
            Phase(
                1.0,
                (("neutral", 3), ("disappointment", 3), ("frustration", 1)),
                -0.6,
                0.15,
                0.08,
                0.6,
                churn_risk=True,
            ),
        ),
    ),
    Arc(
        # Billing complaints and disappointment lead to a downgrade, then a calmer account.
        "billing_downgrade",
        0.14,
        "downgrade",
        (
            Phase(
                0.3,
                (("satisfaction", 3), ("neutral", 3), ("curiosity", 2)),
                0.4,
                1.0,
                1.1,
                0.8,
            ),
            Phase(
                0.65,
                (("frustration", 3), ("disappointment", 4), ("anger", 1), ("anxiety", 1)),
                -0.5,
                1.3,
                0.7,
                0.4,
                churn_risk=True,
                billing_heavy=True,
            ),
            Phase(
                1.0,
                (("neutral", 4), ("satisfaction", 2), ("disappointment", 1)),
                0.1,
                0.8,
                0.7,
                0.75,
            ),
        ),
    ),
)

ARCS_BY_NAME = {arc.name: arc for arc in ARCS}

# Leads: prospects with an open (or lost) new-business deal who have not bought yet. They are
# drawn from their own stream (`pick_lead_arc`), never from ARCS, so adding them changes no
# customer's story and nothing in the churn process above.
LEAD_ARCS: tuple[Arc, ...] = (
    Arc(
        # Demos, questions and a lot of e-mail opens: a lead about to buy.
        "hot_lead",
        0.5,
        "lead",
        (
            Phase(
                1.0,
                (("curiosity", 5), ("delight", 2), ("satisfaction", 1), ("confusion", 1)),
                0.5,
                1.2,
                1.8,
                0.85,
            ),
        ),
    ),
    Arc(
        # Slow answers, price worries: a lead that may go cold.
        "cold_lead",
        0.5,
        "lead",
        (
            Phase(
                1.0,
                (("neutral", 4), ("curiosity", 2), ("anxiety", 2), ("disappointment", 1)),
                0.0,
                0.5,
                0.6,
                0.7,
                billing_heavy=True,
            ),
        ),
    ),
)
# About one lead for every ten customer accounts.
LEAD_SHARE = 0.1
# Of the leads, the share whose deal is already lost (they stop writing when it is).
LOST_LEAD_SHARE = 0.25


def pick_lead_arc(rng: random.Random) -> Arc:
    return rng.choices(LEAD_ARCS, [a.weight for a in LEAD_ARCS])[0]


RENEW_ARCS = tuple(a for a in ARCS if a.outcome != "churn")


def pick_arc(rng: random.Random, can_churn: bool) -> Arc:
    """An arc by weight; accounts with no renewal in the window to churn at cannot churn."""
    pool = ARCS if can_churn else RENEW_ARCS
    return rng.choices(pool, [a.weight for a in pool])[0]


# Of the accounts on a churn arc, the share a save keeps (they renew; their traces stay negative).
SAVED_SHARE = 0.2
# Of the accounts on any other arc, the share that leave anyway at a renewal, with no warning sign.
SURPRISE_CHURN_SHARE = 0.06


@dataclass(frozen=True)
class ChurnPlan:
    """The hidden process's draw for one account.

    `churn_at`: when it churns (None: it does not in the window); `cause`: 'arc', 'surprise' or
    ''. `fade_until`/`fade_days`/`fade_floor`: an account on a churn arc uses the product less and
    less over `fade_days` before the renewal it means to leave at, down to `fade_floor` of its
    usage, whether or not a save then keeps it (a saved account's usage comes back after).
    """

    churn_at: int | None
    cause: str
    fade_until: int | None = None
    fade_days: int = 150
    fade_floor: float = 0.1

    def fade(self, t: int, day: int) -> float:
        """The usage multiplier at time `t` (seconds; `day` is the seconds in a day)."""
        if self.fade_until is None or t > self.fade_until:
            return 1.0
        left = (self.fade_until - t) / (self.fade_days * day)
        return min(1.0, max(self.fade_floor, left + self.fade_floor))


def decide_churn(rng: random.Random, arc: Arc, feasible: list[int]) -> ChurnPlan:
    """Whether and when the account churns, drawn from its own random stream.

    `feasible` are the renewal dates it could churn at. The draw has its own stream, so the rest
    of the account's life is the same whichever way it goes.
    """
    if not feasible:
        return ChurnPlan(None, "")
    saved = rng.random() < SAVED_SHARE
    surprise = rng.random() < SURPRISE_CHURN_SHARE
    at = rng.choice(feasible)
    fade_days = rng.randint(60, 200)
    fade_floor = rng.uniform(0.1, 0.7)
    if arc.outcome == "churn":
        return ChurnPlan(None if saved else at, "" if saved else "arc", at, fade_days, fade_floor)
    return ChurnPlan(at, "surprise") if surprise else ChurnPlan(None, "")
