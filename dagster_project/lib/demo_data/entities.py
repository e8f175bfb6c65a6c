"""Builds every entity's rows for one account, driven by its emotional arc.

One account at a time keeps memory flat: the generator writes each account's rows and drops them.
Rows are tuples in contract column order (see `writers` for the value conventions).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from dagster_project.lib.demo_data import text
from dagster_project.lib.demo_data.arcs import (
    LOST_LEAD_SHARE,
    Arc,
    ChurnPlan,
    Phase,
    decide_churn,
    pick_arc,
    pick_lead_arc,
)
from dagster_project.lib.demo_data.world import DAY, Agent, World, add_months, ascii_slug
from dagster_project.lib.demo_data.writers import to_seconds

HOUR = 3600
MONTH = 30 * DAY

_PLANS = (("Starter", 0.35, 49, 400, 0.6), ("Growth", 0.35, 400, 2000, 1.0))
_PLANS += (("Business", 0.2, 2000, 8000, 1.4), ("Enterprise", 0.1, 8000, 40000, 2.0))
_INDUSTRIES = (
    "Software",
    "Retail",
    "Healthcare",
    "Financial Services",
    "Manufacturing",
    "Logistics",
    "Education",
    "Media",
    "Real Estate",
    "Hospitality",
    "Non-profit",
    "Energy",
)
_REGIONS = (("NA", 45), ("EMEA", 35), ("APAC", 12), ("LATAM", 8))
_SUFFIXES = ("Analytics", "Labs", "Group", "Logistics", "Health", "Systems", "Partners", "Studio")
_EXTRA_ROLES = ("Executive Sponsor", "Finance", "End User", "End User", "IT", "Sales Manager")
_POSITIVE = frozenset({"delight", "satisfaction"})
_NEGATIVE = frozenset({"anxiety", "frustration", "disappointment", "anger", "confusion"})
# Conversations started per account-month at activity 1.0 on a Growth plan (tuned to ~50k rows).
_THREADS_PER_MONTH = 4.6


@dataclass
class Contact:
    contact_id: str
    first: str
    name: str
    role: str
    created: int
    voice: text.Voice


@dataclass
class AccountRows:
    """Every row one account contributes; `emotions[i]` is the arc emotion of interaction i."""

    accounts: list[tuple] = field(default_factory=list)
    contacts: list[tuple] = field(default_factory=list)
    interactions: list[list] = field(default_factory=list)
    emotions: list[str | None] = field(default_factory=list)
    tickets: list[tuple] = field(default_factory=list)
    surveys: list[tuple] = field(default_factory=list)
    engagement_events: list[tuple] = field(default_factory=list)
    deals: list[tuple] = field(default_factory=list)
    account_events: list[tuple] = field(default_factory=list)
    churned: bool = False


def poisson(rng: random.Random, lam: float) -> int:
    """Knuth's method; fine for the small rates used here."""
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _business_time(rng: random.Random, t: int) -> int:
    """Move `t` into working hours most of the time; people also write at night."""
    day = t - t % DAY
    if rng.random() < 0.85:
        return day + rng.randint(8 * HOUR, 18 * HOUR)
    return day + rng.randrange(DAY)


def _later(rng: random.Random, t: int, mean_hours: float) -> int:
    return t + 60 + int(rng.expovariate(1.0 / mean_hours) * HOUR)


def _date(seconds: int) -> date:
    return date(1970, 1, 1) + timedelta(days=seconds // DAY)


def _clip(x: float, lo: int, hi: int) -> int:
    return max(lo, min(hi, round(x)))


class AccountBuilder:
    """Lives for one account: its arc, contacts and the conversations that follow the arc."""

    def __init__(self, world: World, index: int) -> None:
        self.w = world
        self.index = index
        # Each account has its own stream, so adding accounts never changes earlier ones.
        self.rng = random.Random(f"{world.seed}:account:{index}")
        self.rows = AccountRows()
        self.account_id = f"ACC-{index + 1:05d}"

    # ------------------------------------------------------------------ account and arc
    def build(self) -> AccountRows:
        rng, w = self.rng, self.w
        plan, _, lo, hi, self.size = rng.choices(_PLANS, [p[1] for p in _PLANS])[0]
        self.mrr = float(round(rng.uniform(lo, hi) / 10) * 10)
        initial_mrr = self.mrr
        if rng.random() < 0.45:  # a customer from before the window
            created = w.start - rng.randint(30, 900) * DAY
        else:
            created = w.start + rng.randrange(max(DAY, w.end - w.start - 60 * DAY))
        self.created = _business_time(rng, created)
        created_date = _date(self.created)
        anniversaries = []
        k = 1
        while (a := to_seconds(add_months(created_date, 12 * k)) + 10 * HOUR) <= w.end:
            anniversaries.append(a)
            k += 1
        self.active_start = max(self.created, w.start)
        feasible = [a for a in anniversaries if a >= self.active_start + 150 * DAY]
        self.arc: Arc = pick_arc(rng, can_churn=bool(feasible))
        self.churn_plan = decide_churn(
            random.Random(f"{w.seed}:churn:{self.index}"), self.arc, feasible
        )
        churn_at = self.churn_plan.churn_at
        self.life_end = churn_at if churn_at else w.end
        self.owner: Agent = rng.choice(w.agents)
        self.name = self._company_name()
        self.domain = ascii_slug(self.name, "-")[:40] + ".example"
        self.contacts = self._contacts()
        self._timeline()
        events = self._account_events(anniversaries, churn_at)
        self._deals(anniversaries, churn_at, initial_mrr, events)
        if churn_at:
            stage, renewal = "churned", _date(churn_at)
        else:
            stage = "onboarding" if self.created > w.end - 90 * DAY else "customer"
            renewal = add_months(created_date, 12 * (len(anniversaries) + 1))
        self.rows.churned = churn_at is not None
        self.rows.accounts.append(
            (
                self.account_id,
                self.name,
                rng.choice(_INDUSTRIES),
                plan,
                rng.choices([r[0] for r in _REGIONS], [r[1] for r in _REGIONS])[0],
                stage,
                self.created,
                0.0 if churn_at else self.mrr,
                renewal,
                self.owner.email,
            )
        )
        return self.rows

    def _company_name(self) -> str:
        rng, w = self.rng, self.w
        r = rng.random()
        if r < 0.45:
            name = rng.choice(w.companies)
        elif r < 0.8:
            name = f"{rng.choice(w.last_names)} {rng.choice(_SUFFIXES)}"
        else:
            name = f"{rng.choice(w.last_names)} & {rng.choice(w.last_names)}"
        # Names repeat in a pool; a CRM would disambiguate them, and so do we (deterministically).
        base, n = name, 2
        while name in w.used_names:
            name, n = f"{base} ({n})", n + 1
        w.used_names.add(name)
        return name

    def _contacts(self) -> list[Contact]:
        rng, w = self.rng, self.w
        n = {0.6: 2, 1.0: 3, 1.4: 4, 2.0: 6}[self.size] + rng.randint(0, 2)
        out = []
        for i in range(n):
            first, last = rng.choice(w.first_names), rng.choice(w.last_names)
            role = ("Admin", "Champion")[i] if i < 2 else rng.choice(_EXTRA_ROLES)
            created = self.created + (rng.randint(0, 20) if i < 2 else rng.randint(0, 400)) * DAY
            created = min(created, w.end - DAY)
            cid = f"CON-{w.ids.next('contact'):06d}"
            email = f"{ascii_slug(first)}.{ascii_slug(last)}@{self.domain}"
            self.rows.contacts.append(
                # no external_id: the demo's events name their contact by id
                (cid, self.account_id, email, role, created, rng.random() < 0.02, None)
            )
            out.append(
                Contact(cid, first, f"{first} {last}", role, created, text.random_voice(rng))
            )
        return out

    # ------------------------------------------------------------------ monthly timeline
    def _timeline(self) -> None:
        rng = self.rng
        life = max(DAY, self.life_end - self.created)
        m0, month = self.active_start, 0
        while m0 < self.life_end:
            m1 = min(m0 + MONTH, self.life_end)
            phase = self.arc.phase_at(((m0 + m1) / 2 - self.created) / life)
            share = (m1 - m0) / MONTH
            for _ in range(poisson(rng, _THREADS_PER_MONTH * self.size * phase.activity * share)):
                self._thread(rng.randrange(m0, m1), phase)
            # Before the renewal a churn arc means to leave at, usage fades month by month.
            fade = self.churn_plan.fade(m1, DAY)
            self._engagement(m0, m1, phase, fade, onboarding=(m0 - self.created) < 60 * DAY)
            if month % 3 == 1:
                self._nps(m0, m1, phase)
            m0, month = m1, month + 1

    def _writers_at(self, t: int) -> list[Contact]:
        return [c for c in self.contacts if c.created <= t] or self.contacts[:1]

    def _people(self, contact: Contact, agent: Agent) -> text.People:
        return text.People(
            contact.name,
            contact.first,
            contact.role,
            self.name,
            agent.name,
            agent.first,
            self.owner.name,
        )

    def _add(
        self,
        t: int,
        contact: Contact,
        channel: str,
        author: str,
        body: str,
        *,
        ticket: str | None = None,
        subject: str | None = None,
        emotion: str | None = None,
    ) -> None:
        iid = f"INT-{self.w.ids.next('interaction'):09d}"
        direction = "inbound" if author == "customer" else "outbound"
        if channel == "call" and emotion is not None:
            direction, emotion = "inbound", None  # customer called in; text is the agent's note
        self.rows.interactions.append(
            [iid, self.account_id, contact.contact_id, ticket, channel, direction, author, t]
            + [subject, body, None]  # author_id: the author type says all the demo needs
        )
        self.rows.emotions.append(emotion if author == "customer" else None)

    def _thread(self, t: int, phase: Phase) -> None:
        rng = self.rng
        t = _business_time(rng, t)
        if t > self.life_end or t > self.w.end:
            return
        emotion = phase.emotion(rng)
        area = phase.area(rng)
        contact = rng.choice(self._writers_at(t))
        r = rng.random()
        if emotion in _NEGATIVE:
            kind = "ticket" if r < 0.55 else "email" if r < 0.70 else "chat" if r < 0.82 else ""
            kind = kind or ("call" if r < 0.90 else "social" if r < 0.94 else "note")
        else:
            kind = "ticket" if r < 0.2 else "email" if r < 0.45 else "chat" if r < 0.6 else ""
            kind = kind or ("call" if r < 0.7 else "social" if r < 0.73 else "")
            kind = kind or ("note" if r < 0.85 else "checkin")
        getattr(self, f"_{kind}")(t, emotion, area, contact, phase)

    def _agent(self) -> Agent:
        return self.owner if self.rng.random() < 0.3 else self.rng.choice(self.w.agents)

    def _horizon(self) -> int:
        return min(self.life_end, self.w.end)

    # ------------------------------------------------------------------ conversation kinds
    def _ticket(self, t: int, emotion: str, area: str, contact: Contact, phase: Phase) -> None:
        rng, w = self.rng, self.w
        tid = f"TKT-{w.ids.next('ticket'):07d}"
        agent = self._agent()
        people = self._people(contact, agent)
        channel = "email" if rng.random() < 0.35 else "ticket_comment"
        subj = text.subject(rng, emotion, area, people)
        msgs: list[tuple] = []  # (time, author, channel, body, subject, emotion)

        def customer(at: int, emo: str, quoted: str | None = None) -> None:
            body = text.customer_message(
                rng,
                emo,
                area,
                channel,
                voice=contact.voice,
                people=people,
                churn_risk=phase.churn_risk,
                ticket=tid,
                quoted=quoted,
            )
            msgs.append((at, "customer", channel, body, subj if not msgs else None, emo))

        customer(t, emotion)
        if rng.random() < 0.4:
            msgs.append(
                (
                    t + rng.randint(5, 120),
                    "bot",
                    channel,
                    text.bot_message(rng, channel, tid, people),
                    None,
                    None,
                )
            )
        now, emo, good_p = t, emotion, phase.resolution
        solves: list[int] = []
        reopens: list[int] = []
        replies = 0
        for _ in range(4):
            now = _later(rng, now, 2.5 if good_p > 0.6 else 18)
            good = rng.random() < good_p
            body = text.agent_message(rng, emo, area, channel, good=good, people=people, ticket=tid)
            msgs.append((now, "agent", channel, body, None, None))
            replies += 1
            if good:
                solves.append(now)
                if rng.random() < 0.1 * (2 - phase.resolution):
                    now = _later(rng, now, 20)
                    emo = "frustration" if emo != "anger" else "anger"
                    customer(now, emo, body)
                    reopens.append(now)
                    continue
                if rng.random() < 0.5:
                    thanks = "delight" if rng.random() < 0.25 else "satisfaction"
                    customer(_later(rng, now, 6), thanks, body)
                break
            if rng.random() < 0.15:
                break  # the customer gives up without a word
            now = _later(rng, now, 12)
            emo = {"frustration": "anger", "confusion": "frustration"}.get(emo, "frustration")
            customer(now, emo, body)
            good_p = min(0.95, good_p + 0.15)  # escalation helps, eventually
        if not solves or (reopens and reopens[-1] > solves[-1]):
            # No team leaves a ticket open for months: a customer left waiting gets a late fix, and
            # a ticket the customer stopped answering is solved after days of silence. Those past
            # the export's end stay open: the unresolved tickets are the recent ones.
            waiting_on_us = msgs[-1][1] == "customer"
            now = (
                _later(rng, msgs[-1][0], 24 * 3 / phase.resolution)  # slower where help is poor
                if waiting_on_us
                else msgs[-1][0] + rng.randint(5, 10) * DAY
            )
            body = text.agent_message(
                rng,
                emo,
                area,
                channel,
                good=True,
                people=people,
                ticket=tid,
                no_reply=not waiting_on_us,
            )
            msgs.append((now, "agent", channel, body, None, None))
            solves.append(now)
            replies += 1
        horizon = self._horizon()
        msgs = [m for m in msgs if m[0] <= horizon]
        solves = [s for s in solves if s <= horizon]
        reopens = [r for r in reopens if r <= horizon]
        for at, author, ch, body, sub, emo_ in msgs:
            self._add(at, contact, ch, author, body, ticket=tid, subject=sub, emotion=emo_)
        is_solved = bool(solves) and (not reopens or solves[-1] > reopens[-1])
        closed = solves[-1] + rng.randint(3, 7) * DAY if is_solved else None
        if closed is not None and closed > w.end:
            closed = None
        status = "closed" if closed else "solved" if is_solved else "pending"
        if not is_solved and msgs[-1][1] == "customer":
            status = "open" if len(msgs) > 1 else "new"
        priority = {"anger": "urgent", "frustration": "high", "anxiety": "high"}.get(emotion)
        priority = priority or ("low" if emotion in ("curiosity", "delight") else "normal")
        self.rows.tickets.append(
            (
                tid,
                self.account_id,
                contact.contact_id,
                t,
                status,
                priority,
                solves[0] if solves else None,
                solves[-1] if solves else None,
                closed,
                len(reopens),
                None,  # pipeline and stage: the demo's status says
                None,
            )
        )
        if is_solved:
            self._ticket_surveys(tid, contact, people, solves[-1], phase, len(reopens), replies)

    def _ticket_surveys(
        self,
        tid: str,
        contact: Contact,
        people: text.People,
        solved: int,
        phase: Phase,
        reopens: int,
        replies: int,
    ) -> None:
        rng = self.rng
        if rng.random() < 0.35:
            at = _later(rng, solved, 20)
            x = 4.3 + 0.9 * phase.valence - 0.7 * reopens - 0.3 * (replies - 1) + rng.gauss(0, 0.7)
            score = _clip(x, 1, 5)
            bucket = "promoter" if score >= 4 else "passive" if score == 3 else "detractor"
            comment = text.survey_comment(rng, bucket, people) if rng.random() < 0.5 else None
            self._survey(contact, tid, "csat", score, 1, 5, comment, at)
        if rng.random() < 0.15:
            at = _later(rng, solved, 30)
            effort = 0.8 * phase.valence - 0.5 * reopens - 0.3 * (replies - 1) + rng.gauss(0, 0.8)
            if at < self.w.ces_switch:  # 1–5 "how much effort", lower is better
                self._survey(contact, tid, "ces", _clip(2.2 - effort, 1, 5), 1, 5, None, at)
            else:  # 1–7 "it was easy to handle", higher is better
                self._survey(contact, tid, "ces", _clip(5.2 + 1.2 * effort, 1, 7), 1, 7, None, at)

    def _survey(
        self,
        contact: Contact,
        tid: str | None,
        kind: str,
        score: int,
        lo: int,
        hi: int,
        comment: str | None,
        at: int,
    ) -> None:
        if at > self.w.end:
            return
        rid = f"SRV-{self.w.ids.next('survey'):07d}"
        row = (
            rid,
            self.account_id,
            contact.contact_id,
            tid,
            kind,
            score,
            lo,
            hi,
            comment,
            at,
            None,
        )
        self.rows.surveys.append(row)

    def _email(self, t: int, emotion: str, area: str, contact: Contact, phase: Phase) -> None:
        rng = self.rng
        agent = self._agent()
        people = self._people(contact, agent)
        subj = text.subject(rng, emotion, area, people)
        body = text.customer_message(
            rng,
            emotion,
            area,
            "email",
            voice=contact.voice,
            people=people,
            churn_risk=phase.churn_risk,
        )
        self._add(t, contact, "email", "customer", body, subject=subj, emotion=emotion)
        good = rng.random() < phase.resolution
        at = _later(rng, t, 4 if good else 20)
        reply = text.agent_message(rng, emotion, area, "email", good=good, people=people)
        if at <= self._horizon():
            self._add(at, contact, "email", "agent", reply, subject="Re: " + subj)
        if rng.random() < 0.4:
            after = (
                emotion if emotion not in _NEGATIVE else "satisfaction" if good else "frustration"
            )
            at = _later(rng, at, 8)
            body = text.customer_message(
                rng,
                after,
                area,
                "email",
                voice=contact.voice,
                people=people,
                churn_risk=phase.churn_risk,
                quoted=reply,
            )
            if at <= self._horizon():
                self._add(
                    at, contact, "email", "customer", body, subject="Re: " + subj, emotion=after
                )

    def _checkin(self, t: int, emotion: str, area: str, contact: Contact, phase: Phase) -> None:
        rng = self.rng
        people = self._people(contact, self.owner)
        subj = rng.choice(("Checking in", "Quick check-in", "How are things?", "QBR", "Renewal"))
        body = text.agent_message(
            rng, emotion, area, "email", good=True, people=people, checkin=True
        )
        self._add(t, contact, "email", "agent", body, subject=f"{subj} - {self.name}")
        # Disengaged accounts leave check-ins unanswered.
        if rng.random() < min(0.8, 0.45 * phase.activity):
            at = _later(rng, t, 30)
            reply = text.customer_message(
                rng,
                emotion,
                area,
                "email",
                voice=contact.voice,
                people=people,
                churn_risk=phase.churn_risk,
                quoted=body,
            )
            if at <= self._horizon():
                self._add(
                    at, contact, "email", "customer", reply, subject=f"Re: {subj}", emotion=emotion
                )

    def _chat(self, t: int, emotion: str, area: str, contact: Contact, phase: Phase) -> None:
        rng = self.rng
        agent = self._agent()
        people = self._people(contact, agent)
        horizon = self._horizon()
        if rng.random() < 0.6:
            self._add(t, contact, "chat", "bot", text.bot_message(rng, "chat", "", people))
        t += rng.randint(10, 90)
        say = text.customer_message
        body = say(rng, emotion, area, "chat", voice=contact.voice, people=people)
        self._add(t, contact, "chat", "customer", body, emotion=emotion)
        for _ in range(rng.randint(1, 3)):
            t += rng.randint(30, 600)
            good = rng.random() < phase.resolution
            reply = text.agent_message(rng, emotion, area, "chat", good=good, people=people)
            if t > horizon:
                return
            self._add(t, contact, "chat", "agent", reply)
            if rng.random() < 0.4:
                return
            emotion = "satisfaction" if good else "frustration" if emotion in _NEGATIVE else emotion
            t += rng.randint(20, 300)
            body = say(rng, emotion, area, "chat", voice=contact.voice, people=people)
            self._add(t, contact, "chat", "customer", body, emotion=emotion)

    def _call(self, t: int, emotion: str, area: str, contact: Contact, phase: Phase) -> None:
        agent = self._agent()
        note = text.call_note(
            self.rng, emotion, area, self._people(contact, agent), phase.churn_risk
        )
        # A negative call is the customer calling in; otherwise it is our outbound call.
        self._add(
            t, contact, "call", "agent", note, emotion=emotion if emotion in _NEGATIVE else None
        )

    def _note(self, t: int, emotion: str, area: str, contact: Contact, phase: Phase) -> None:
        note = text.internal_note(self.rng, emotion, self._people(contact, self.owner))
        self._add(t, contact, "note", "agent", note)

    def _social(self, t: int, emotion: str, area: str, contact: Contact, phase: Phase) -> None:
        rng = self.rng
        agent = self._agent()
        people = self._people(contact, agent)
        body = text.customer_message(
            rng, emotion, area, "social", voice=contact.voice, people=people
        )
        self._add(t, contact, "social", "customer", body, emotion=emotion)
        if rng.random() < 0.7:
            at = _later(rng, t, 3)
            reply = text.agent_message(rng, emotion, area, "social", good=True, people=people)
            if at <= self._horizon():
                self._add(at, contact, "social", "agent", reply)

    # ------------------------------------------------------------------ usage and surveys
    def _engagement(self, m0: int, m1: int, phase: Phase, fade: float, onboarding: bool) -> None:
        rng, w = self.rng, self.w
        share = (m1 - m0) / MONTH
        eng = phase.engagement * share * fade
        out = self.rows.engagement_events
        for c in self.contacts:
            if c.created > m1:
                continue
            usage = 1.6 if c.role == "End User" else 0.4 if c.role == "Finance" else 1.0
            sent = poisson(rng, 1.5 * share)  # marketing keeps sending whatever the mood
            opened = sum(
                rng.random() < min(0.9, 0.45 * phase.engagement * fade) for _ in range(sent)
            )
            clicked = sum(rng.random() < 0.3 for _ in range(opened))
            counts = (
                ("email_sent", sent),
                ("email_open", opened),
                ("email_click", clicked),
                ("login", poisson(rng, 4.5 * eng * usage)),
                ("feature_used", poisson(rng, 3.0 * eng * usage)),
                ("demo_attended", int(rng.random() < (0.3 if onboarding else 0.02))),
            )
            lo = max(m0, c.created)
            if lo >= m1:
                continue
            for kind, n in counts:
                for _ in range(n):
                    at = _business_time(rng, rng.randrange(lo, m1))
                    if at <= self.life_end and at <= w.end:
                        eid = f"EVT-{w.ids.next('event'):09d}"
                        # no contact_email or contact_external_id: they name their contact by id
                        out.append((eid, self.account_id, c.contact_id, kind, at, None, None))

    def _nps(self, m0: int, m1: int, phase: Phase) -> None:
        rng = self.rng
        for c in self._writers_at(m1):
            if rng.random() < 0.3:
                at = _business_time(rng, rng.randrange(m0, m1))
                score = _clip(rng.gauss(7.0 + 2.8 * phase.valence, 1.4), 0, 10)
                bucket = "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"
                people = self._people(c, self.owner)
                comment = text.survey_comment(rng, bucket, people) if rng.random() < 0.45 else None
                if at <= self.life_end:
                    self._survey(c, None, "nps", score, 0, 10, comment, at)

    # ------------------------------------------------------------------ commercial events
    def _account_events(self, anniversaries: list[int], churn_at: int | None) -> list[tuple]:
        rng, w = self.rng, self.w
        arc, life = self.arc, max(DAY, self.life_end - self.created)
        events: list[tuple] = []
        if arc.expands and rng.random() < arc.expands:
            at = _business_time(rng, self.created + int(life * rng.uniform(0.4, 0.95)))
            delta = float(round(self.mrr * rng.uniform(0.2, 0.6) / 10) * 10)
            events.append((at, "expanded", delta))
        if arc.outcome == "downgrade":
            at = _business_time(rng, self.created + int(life * 0.65))
            delta = -float(round(self.mrr * rng.uniform(0.3, 0.5) / 10) * 10)
            events.append((at, "downgraded", delta))
        for a in anniversaries:
            if a == churn_at:
                events.append((a, "churned", None))
            elif a < self.life_end:
                uplift = float(round(self.mrr * 0.05 / 10) * 10) if rng.random() < 0.3 else 0.0
                events.append((a, "renewed", uplift))
        events.sort(key=lambda e: e[0])
        out = []
        for at, kind, delta in events:
            if kind == "churned":
                delta = -self.mrr
            self.mrr = max(0.0, self.mrr + delta)
            if w.start <= at <= w.end:
                out.append((at, kind, delta))
                self.rows.account_events.append((self.account_id, kind, at, delta))
        return out

    def _deals(
        self, anniversaries: list[int], churn_at: int | None, initial_mrr: float, events: list
    ) -> None:
        rng, w = self.rng, self.w
        deals = self.rows.deals

        def deal(
            stage: str,
            amount: float,
            created: int,
            closed: int | None,
            outcome: str | None,
            kind: str = "renewal",
        ):
            did = f"DEAL-{w.ids.next('deal'):07d}"
            # no pipeline or close_date: the demo's stages say whether a deal is closed
            deals.append(
                (did, self.account_id, stage, amount, created, closed, outcome, kind, None, None)
            )

        # The lead's deal: the account was a lead from this deal's creation until it was won.
        opened = self.created - rng.randint(14, 120) * DAY
        deal("closed_won", initial_mrr * 12, opened, self.created, "won", "new_business")
        for at, kind, delta in events:
            if kind == "expanded":
                at0 = at - rng.randint(10, 45) * DAY
                deal("closed_won", delta * 12, at0, at, "won", "expansion")
        for a in anniversaries:
            if a > self.life_end:
                break
            lost = a == churn_at
            deal(
                "closed_lost" if lost else "closed_won",
                initial_mrr * 12,
                a - 60 * DAY,
                a,
                "lost" if lost else "won",
            )
        if churn_at is None:
            # The next renewal is in the pipeline if it is near.
            nxt = to_seconds(
                datetime.combine(add_months(_date(self.created), 12), datetime.min.time())
            )
            while nxt <= w.end:
                nxt = to_seconds(add_months(_date(nxt), 12))
            if nxt - w.end < 90 * DAY:
                stage = rng.choice(("proposal", "negotiation", "qualification"))
                deal(stage, self.mrr * 12, nxt - 60 * DAY, None, None)
        if rng.random() < 0.15:
            at = self.active_start + rng.randrange(max(DAY, self._horizon() - self.active_start))
            deal("closed_lost", float(round(self.mrr * 6)), at - 30 * DAY, at, "lost", "expansion")


class LeadBuilder(AccountBuilder):
    """A prospect: an account record with contacts, conversations, demos and e-mail opens, and a
    new-business deal that is still open (or already lost), but no purchase yet.

    Its own random stream and id prefix, so leads never change a customer account's story.
    """

    def __init__(self, world: World, index: int) -> None:
        super().__init__(world, index)
        self.rng = random.Random(f"{world.seed}:lead:{index}")
        self.account_id = f"LEAD-{index + 1:05d}"

    def build(self) -> AccountRows:
        rng, w = self.rng, self.w
        plan, _, lo, hi, self.size = rng.choices(_PLANS, [p[1] for p in _PLANS])[0]
        self.mrr = float(round(rng.uniform(lo, hi) / 10) * 10)
        first_day = max(w.start, w.end - 150 * DAY)
        self.created = _business_time(rng, first_day + rng.randrange(max(DAY, w.end - first_day)))
        self.active_start = self.created
        self.arc = pick_lead_arc(rng)
        self.churn_plan = ChurnPlan(None, "")
        lost_at = None
        if rng.random() < LOST_LEAD_SHARE and w.end - self.created > 30 * DAY:
            lost_at = self.created + rng.randint(30, max(30, (w.end - self.created) // DAY)) * DAY
            lost_at = _business_time(rng, min(lost_at, w.end - DAY))
        self.life_end = lost_at or w.end
        self.owner = rng.choice(w.agents)
        self.name = self._company_name()
        self.domain = ascii_slug(self.name, "-")[:40] + ".example"
        self.contacts = self._contacts()
        self._timeline()
        stage = rng.choice(("qualification", "demo_scheduled", "proposal", "negotiation"))
        did = f"DEAL-{w.ids.next('deal'):07d}"
        self.rows.deals.append(
            (
                did,
                self.account_id,
                "closed_lost" if lost_at else stage,
                self.mrr * 12,
                self.created,
                lost_at,
                "lost" if lost_at else None,
                "new_business",
                None,
                None,
            )
        )
        self.rows.accounts.append(
            (
                self.account_id,
                self.name,
                rng.choice(_INDUSTRIES),
                plan,
                rng.choices([r[0] for r in _REGIONS], [r[1] for r in _REGIONS])[0],
                "lead",
                self.created,
                0.0,
                None,
                self.owner.email,
            )
        )
        return self.rows
