"""Composes CRM texts (customer, agent, bot) from the independent phrase pools in `pools`.

All randomness comes from the caller's `random.Random`, so the same seed gives the same text.
Odd characters real exports carry (smart quotes, HTML entities, emoji, accents, tabs, newlines)
are added here with small probabilities, so loaders and scorers meet them naturally.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from dagster_project.lib.demo_data import pools as P
from sentiment_udfs.taxonomy import EMOTIONS

NEGATIVE = frozenset({"anxiety", "frustration", "disappointment", "anger"})


@dataclass(frozen=True)
class Voice:
    """How one contact writes; fixed per contact so a person sounds like themselves."""

    formal: bool
    emoji: bool
    lowercase: bool
    quirk: str | None  # key of pools.QUIRKS, or None


@dataclass(frozen=True)
class People:
    """Names a message may mention."""

    contact: str
    contact_first: str
    role: str
    company: str
    agent: str
    agent_first: str
    owner: str = ""


def random_voice(rng: random.Random) -> Voice:
    r = rng.random()
    quirk = None
    if r < 0.16:
        quirk = ("french", "spanish", "german", "non_native")[int(r * 25) % 4]
    return Voice(
        formal=rng.random() < 0.55,
        emoji=rng.random() < 0.25,
        lowercase=rng.random() < 0.12,
        quirk=quirk,
    )


class _Fill(dict):
    """Placeholder values generated only when a phrase asks for them (keeps composition fast)."""

    def __init__(self, rng: random.Random, people: People, ticket: str = "") -> None:
        super().__init__(
            agent=people.agent_first,
            company=people.company,
            product=P.PRODUCT,
            contact=people.contact,
            role=people.role,
            owner=people.owner or people.agent,
            colleague=people.contact_first,
            ticket=ticket or f"#{rng.randint(10000, 99999)}",
        )
        self.rng = rng

    def __missing__(self, key: str) -> str:
        r = self.rng
        gen = _GENERATORS.get(key)
        value = gen(r) if gen else key
        self[key] = value
        return value


_GENERATORS = {
    "day": lambda r: r.choice(P.WEEKDAYS),
    "weekday": lambda r: r.choice(P.WEEKDAYS),
    "amount": lambda r: (
        r.choice(("$", "€", "£")) + f"{r.randint(49, 9800):,}.{r.randint(0, 99):02d}"
    ),
    "pct": lambda r: str(r.randint(5, 60)),
    "n": lambda r: str(r.randint(2, 140)),
    "m": lambda r: str(r.randint(1, 40)),
    "n4": lambda r: f"{r.randint(0, 9999):04d}",
    "invoice": lambda r: f"INV-{r.randint(2024, 2026)}-{r.randint(100, 9999)}",
    "integration": lambda r: r.choice(P.INTEGRATIONS),
    "when": lambda r: r.choice(P.WEEKDAYS) + r.choice(("", " morning", " afternoon", " night")),
    "code": lambda r: f"{r.choice(('ERR', 'E', 'API', 'SYNC', 'TH'))}-{r.randint(100, 9999)}",
    "report": lambda r: r.choice(P.REPORTS),
    "step": lambda r: r.choice(P.STEPS),
    "time": lambda r: f"{r.randint(7, 11)}:{r.choice(('05', '15', '30', '45'))} am",
    "meeting": lambda r: r.choice(P.MEETINGS),
    "team": lambda r: r.choice(P.TEAMS),
    "idp": lambda r: r.choice(P.IDPS),
    "row": lambda r: str(r.randint(2, 48000)),
    "plan": lambda r: r.choice(("Starter", "Growth", "Business", "Enterprise")),
    "workspace": lambda r: f"ws_{r.getrandbits(32):08x}",
    "error": lambda r: r.choice(P.ERRORS),
    "competitor": lambda r: r.choice(P.COMPETITORS),
    "month": lambda r: r.choice(P.MONTHS),
    "setting": lambda r: r.choice(P.SETTINGS),
    "slug": lambda r: r.choice(("sso-setup", "exports", "api-limits", "billing-faq", "imports")),
    "quarter": lambda r: r.choice(P.QUARTERS),
    "version": lambda r: f"{r.randint(4, 7)}.{r.randint(0, 19)}.{r.randint(0, 9)}",
    "hours": lambda r: str(r.choice((2, 4, 8, 24, 48))),
    "mood": lambda r: r.choice(tuple(P.NOTE_MOODS.values())),
    "area": lambda r: r.choice(P.AREAS).replace("_", " "),
}


def _core(rng: random.Random, emotion: str, area: str) -> str:
    """The sentence that says what the message is about."""
    if emotion in ("delight", "satisfaction") and (emotion == "delight" or rng.random() < 0.7):
        return rng.choice(P.PRAISE[area])
    if emotion == "confusion":
        return rng.choice(P.CONFUSIONS[area])
    if emotion in NEGATIVE:
        return rng.choice(P.PROBLEMS[area])
    return rng.choice(P.QUESTIONS[area])


def _oddify(rng: random.Random, text: str, html_ok: bool) -> str:
    """Rarely add the encodings exports carry: smart quotes, HTML entities, non-breaking spaces."""
    r = rng.random()
    if r < 0.07:
        text = text.replace("'", "\u2019").replace('"', "\u201c", 1)
    elif r < 0.10 and html_ok:
        text = text.replace("&", "&amp;").replace("'", "&#39;").replace("\n\n", "<br>&nbsp;\n")
    elif r < 0.115:
        text = text.replace(". ", ".\u00a0 ", 1)
    return text


def customer_lines(
    rng: random.Random, emotion: str, area: str, *, churn_risk: bool, fill: _Fill
) -> list[str]:
    """The paragraph sentences of a customer message, in order."""
    lines: list[str] = []
    opener = rng.choice(P.OPENERS[emotion])
    if opener and rng.random() < 0.8:
        lines.append(opener)
    lines.append(_core(rng, emotion, area))
    if rng.random() < 0.45:
        detail, of_a_bug_report = rng.choice(P.DETAILS)
        if not of_a_bug_report or emotion in NEGATIVE or emotion == "confusion":
            lines.append(detail)
    if emotion in P.IMPACTS and rng.random() < 0.6:
        lines.append(rng.choice(P.IMPACTS[emotion]))
    if emotion in ("frustration", "anger") and rng.random() < 0.18:
        lines.append(rng.choice(P.SARCASM))
    if churn_risk and emotion in NEGATIVE and rng.random() < 0.45:
        lines.append(rng.choice(P.CHURN_THREATS))
    if rng.random() < 0.85:
        lines.append(rng.choice(P.ASKS[emotion]))
    return [line.format_map(fill) for line in lines if line]


def customer_message(
    rng: random.Random,
    emotion: str,
    area: str,
    channel: str,
    *,
    voice: Voice,
    people: People,
    churn_risk: bool = False,
    ticket: str = "",
    quoted: str | None = None,
) -> str:
    """A customer's message on `channel`, in their voice."""
    fill = _Fill(rng, people, ticket)
    if channel == "chat":
        return _chat(rng, emotion, area, voice, fill, churn_risk)
    if channel == "social":
        return _social(rng, emotion, area, fill)
    lines = customer_lines(rng, emotion, area, churn_risk=churn_risk, fill=fill)
    if voice.quirk and rng.random() < 0.5:
        lines.append(rng.choice(P.QUIRKS[voice.quirk]))
    if voice.emoji:
        lines[-1] = f"{lines[-1]} {rng.choice(P.EMOJI_BY_EMOTION[emotion])}".rstrip()
    # Paragraph breaks fall at random sentence boundaries, as people write.
    body = lines[0]
    for line in lines[1:]:
        body += ("\n\n" if rng.random() < 0.35 else " ") + line
    if voice.lowercase:
        body = body.lower()
    greeting = rng.choice(P.GREETINGS_FORMAL if voice.formal else P.GREETINGS_CASUAL)
    if channel == "ticket_comment" and rng.random() < 0.5:
        greeting = ""
    parts = [greeting.format_map(fill)] if greeting else []
    parts.append(body)
    if channel == "email":
        closing = rng.choice(P.CLOSINGS_FORMAL if voice.formal else P.CLOSINGS_CASUAL)
        sig = people.contact if rng.random() < 0.6 else people.contact_first
        if voice.formal and rng.random() < 0.7:
            phone = rng.choice(P.PHONES).format_map(fill)
            sig += f"\n{people.role} | {people.company}" + (f"\n{phone}" if phone else "")
        parts.append(f"{closing}\n{sig}" if closing else sig)
        if quoted:
            parts.append(_quote(rng, quoted, people))
    text = "\n\n".join(parts)
    return _oddify(rng, text, html_ok=channel == "email")


def _quote(rng: random.Random, quoted: str, people: People) -> str:
    """An email client's quoted previous message, trimmed as clients do."""
    head = rng.choice(
        (
            f"On {rng.choice(P.WEEKDAYS)}, {people.agent} <support@{P.VENDOR_DOMAIN}> wrote:",
            f"-----Original Message-----\nFrom: {people.agent}\nSent: {rng.choice(P.WEEKDAYS)}",
            f"> {people.agent} wrote:",
        )
    )
    kept = quoted.splitlines()[: rng.randint(2, 6)]
    return head + "\n" + "\n".join("> " + line if line else ">" for line in kept)


def _chat(
    rng: random.Random, emotion: str, area: str, voice: Voice, fill: _Fill, churn_risk: bool
) -> str:
    parts = []
    if rng.random() < 0.5:
        parts.append(rng.choice(P.CHAT_SHORT[emotion]) + rng.choice((".", "!", " -", ",", "...")))
    core = _core(rng, emotion, area).format_map(fill)
    if rng.random() < 0.5:
        core = core.rstrip(".").lower()
    parts.append(core)
    if churn_risk and emotion in NEGATIVE and rng.random() < 0.3:
        parts.append(rng.choice(P.CHURN_THREATS).format_map(fill))
    elif rng.random() < 0.3:
        parts.append(rng.choice(P.ASKS[emotion]).format_map(fill))
    if voice.emoji or rng.random() < 0.15:
        parts.append(rng.choice(P.EMOJI_BY_EMOTION[emotion]))
    text = " ".join(p for p in parts if p)
    return text.lower() if voice.lowercase else text


def _social(rng: random.Random, emotion: str, area: str, fill: _Fill) -> str:
    if emotion in ("frustration", "anger") and rng.random() < 0.35:
        core = rng.choice(P.SARCASM)
    else:
        core = _core(rng, emotion, area).format_map(fill)
    tag = rng.choice(P.SOCIAL_TAGS)
    emoji = rng.choice(P.EMOJI_BY_EMOTION[emotion])
    handle = rng.choice(("@tallyhawk", "@TallyhawkHelp", "Hey @tallyhawk,"))
    return " ".join(p for p in (handle, core, emoji, tag) if p)[:280]


def subject(rng: random.Random, emotion: str, area: str, people: People) -> str:
    base = rng.choice(P.SUBJECTS[area]).format_map(_Fill(rng, people))
    if emotion in ("frustration", "anger") and rng.random() < 0.4:
        base = rng.choice(("URGENT: ", "Still broken: ", "ESCALATION - ", "Re: Re: ")) + base
    elif emotion == "anxiety" and rng.random() < 0.3:
        base += " - time sensitive"
    elif emotion == "delight" and rng.random() < 0.5:
        base = rng.choice(("Thank you! ", "Kudos: ", "")) + base
    return base


def _tone(emotion: str) -> str:
    if emotion in ("delight", "satisfaction"):
        return "positive"
    if emotion in ("curiosity", "neutral", "confusion"):
        return "question"
    return "negative"


def agent_message(
    rng: random.Random,
    customer_emotion: str,
    area: str,
    channel: str,
    *,
    good: bool,
    people: People,
    ticket: str = "",
    checkin: bool = False,
    no_reply: bool = False,
) -> str:
    """An agent's reply; `good` replies fix or answer, poor ones stall (they drive the arcs).
    `no_reply`: the note that solves a ticket the customer stopped answering."""
    fill = _Fill(rng, people, ticket)
    tone = _tone(customer_emotion)
    lines = []
    if checkin:
        lines.append(rng.choice(P.CHECKINS))
    elif no_reply:
        lines.append(rng.choice(P.AGENT_NO_REPLY))
    else:
        lines.append(rng.choice(P.AGENT_ACKS[tone]))
        if tone == "question" and good:
            lines.append(rng.choice(P.AGENT_ANSWERS))
        elif tone == "negative" or (tone == "question" and not good):
            lines.append(rng.choice(P.AGENT_GOOD[area]) if good else rng.choice(P.AGENT_POOR))
    if not no_reply:
        lines.append(rng.choice(P.AGENT_NEXT))
    body = " ".join(line.format_map(fill) for line in lines if line)
    if channel in ("chat", "social"):
        text = (
            body
            if channel == "chat"
            else f"@{people.contact_first.lower()} {body} ^{people.agent_first[:1]}"
        )
        return text[:280] if channel == "social" else text
    greeting = f"Hi {people.contact_first},"
    sign = f"{rng.choice(P.AGENT_CLOSINGS)}\n{people.agent}"
    if channel == "email":
        sign += f"\n{rng.choice(P.AGENT_TITLES)}, {P.PRODUCT}"
    return _oddify(rng, f"{greeting}\n\n{body}\n\n{sign}", html_ok=channel == "email")


def bot_message(rng: random.Random, channel: str, ticket: str, people: People) -> str:
    pool = P.BOT_CHAT if channel == "chat" else P.BOT_TICKET
    return rng.choice(pool).format_map(_Fill(rng, people, ticket))


def call_note(rng: random.Random, emotion: str, area: str, people: People, churn_risk: bool) -> str:
    fill = _Fill(rng, people)
    parts = [rng.choice(P.CALL_OPENERS), rng.choice(P.CALL_MOODS[emotion])]
    if emotion in NEGATIVE or emotion == "confusion":
        parts.append("Issue: " + _core(rng, emotion, area))
    elif rng.random() < 0.5:
        parts.append("Topic: " + _core(rng, emotion, area))
    if churn_risk and emotion in NEGATIVE and rng.random() < 0.5:
        parts.append('Quote: "' + rng.choice(P.CHURN_THREATS) + '"')
    parts.append(
        "Next steps:\n- "
        + rng.choice(("send recap", "book follow-up", "loop in engineering", "share docs"))
        + "\n- "
        + rng.choice(("check back in 2 weeks", "update ticket", "review at QBR", "none"))
    )
    return "\n".join(p.format_map(fill) for p in parts)


def internal_note(rng: random.Random, emotion: str, people: People) -> str:
    """An agent's internal note: an observation, the account's mood and what to do next."""
    fill = _Fill(rng, people)
    fill["mood"] = P.NOTE_MOODS[emotion]
    parts = [rng.choice(P.NOTES)]
    if rng.random() < 0.6:
        parts.append(rng.choice(P.CALL_MOODS[emotion]))
    if rng.random() < 0.5:
        parts.append("Context: " + _core(rng, emotion, rng.choice(P.AREAS)))
    parts.append(rng.choice(P.NOTE_ACTIONS))
    note = " ".join(p.format_map(fill) for p in parts if p)
    if rng.random() < 0.3:
        note += "\t(" + rng.choice(("high", "medium", "low")) + " priority)"
    if rng.random() < 0.4:
        note += f" /{people.agent_first[:1]}{people.agent.split()[-1][:1]}"
    return note


def survey_comment(rng: random.Random, bucket: str, people: People) -> str:
    """Free-text answer to a survey; `bucket` is promoter, passive or detractor."""
    fill = _Fill(rng, people)
    text = rng.choice(P.SURVEY_COMMENTS[bucket]).format_map(fill)
    if rng.random() < 0.4:
        area = rng.choice(P.AREAS)
        emotion = {"promoter": "satisfaction", "passive": "neutral", "detractor": "frustration"}
        text += " " + _core(rng, emotion[bucket], area).format_map(fill)
    return text


_SAMPLE_PEOPLE = (
    People("María José Núñez", "María", "Admin", "Holt Logistics GmbH", "Sam Carter", "Sam"),
    People("Chloé Dubois", "Chloé", "Champion", "Brightwater Analytics", "Priya Nair", "Priya"),
    People("Tom O'Brien", "Tom", "Finance", "O'Brien & Sons Ltd", "Lena Fischer", "Lena"),
    People("Aiko Tanaka", "Aiko", "End User", "Kestrel Health", "Diego Ruiz", "Diego"),
)
_CHANNELS = ("email", "chat", "call", "ticket_comment", "note", "social")


def sample_texts(n: int, seed: int = 0) -> list[str]:
    """`n` varied customer/agent/bot CRM texts, the same generator the demo exports use.

    >>> len(sample_texts(5)), sample_texts(3, seed=1) == sample_texts(3, seed=1)
    (5, True)
    """
    rng = random.Random(seed)
    voices = [random_voice(rng) for _ in range(32)]
    out: list[str] = []
    for _ in range(n):
        emotion = rng.choice(EMOTIONS)
        area = rng.choice(P.AREAS)
        channel = rng.choice(_CHANNELS)
        people = rng.choice(_SAMPLE_PEOPLE)
        r = rng.random()
        if channel == "call":
            out.append(call_note(rng, emotion, area, people, churn_risk=r < 0.3))
        elif channel == "note":
            out.append(internal_note(rng, emotion, people))
        elif r < 0.68:
            out.append(
                customer_message(
                    rng,
                    emotion,
                    area,
                    channel,
                    voice=rng.choice(voices),
                    people=people,
                    churn_risk=r < 0.2,
                )
            )
        elif r < 0.95:
            out.append(agent_message(rng, emotion, area, channel, good=r < 0.85, people=people))
        else:
            out.append(bot_message(rng, channel, f"#{rng.randint(10000, 99999)}", people))
    return out
