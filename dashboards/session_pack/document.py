"""The session pack as one self-contained HTML document: print CSS and SVG charts inline,
nothing fetched, so it prints the same offline, in a browser or in headless Chromium.

Page one holds the session's agenda and prompts; then one page per account: profile, timeline
chart, key messages with the words that drove them marked, the filled observation template, the
cues before a churn, and blank lines for the team's diagnosis. Each account's content is capped
(:data:`TEXT_CHARS`, :data:`LINES_PER_CATEGORY`, ...) so it fits its page; what still would not
fit is cut at the page's end (``.columns``' height), never pushed onto another page. Pure: data in, a string out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape

from dashboards.data.account import OBSERVATION_CATEGORIES, InteractionView
from dashboards.data.pack import PackAccount
from dashboards.figures.timeline_svg import timeline_svg
from dashboards.highlight import Piece

TEXT_CHARS = 240  # a key message is cut after this many characters
LINE_CHARS = 150  # an observation line, likewise
LINES_PER_CATEGORY = 2
CHURN_CUES = 3

AGENDA = (
    ("5 min", "Why we meet: the accounts on the next pages, chosen for a mix of situations."),
    (
        "10 min per account",
        "Walk through the customer's journey aloud: timeline, messages, template.",
    ),
    ("3 min per account", "Agree: what the customer feels now, what led to it, who follows up."),
    ("5 min", "Look back at churned accounts: which cues came first, which could we act on?"),
)
PROMPTS = (
    "What changed, and when? Point at the week on the timeline.",
    "Which message tells us most about how they feel? Read it aloud.",
    "Is the model's emotion right? Correct it on the Account page if not.",
    "What did we miss, and what would we do differently?",
    "Who follows up, by when, and what do we record in the CRM?",
)
DIAGNOSIS = (
    "What does the customer feel now?",
    "What led to it?",
    "What do we do, and who follows up (by when)?",
)


@dataclass(frozen=True)
class PackInfo:
    prepared_by: str
    prepared_at: datetime
    data_as_of: datetime | None


def render_pack(accounts: list[PackAccount], info: PackInfo) -> str:
    """The whole pack as an HTML document."""
    as_of = f"{info.data_as_of:%Y-%m-%d %H:%M} UTC" if info.data_as_of else "unknown"
    names = "".join(
        f"<li>{escape(a.profile.name)} <span class='muted'>({escape(a.profile.account_id)})</span>"
        "</li>"
        for a in accounts
    )
    agenda = "".join(
        f"<tr><td class='when'>{escape(when)}</td><td>{escape(what)}</td></tr>"
        for when, what in AGENDA
    )
    prompts = "".join(f"<li>{escape(p)}</li>" for p in PROMPTS)
    cover = (
        "<section class='cover'>"
        "<h1>Customer session pack</h1>"
        f"<p class='meta' id='pack-freshness'>Data as of {as_of} · prepared by "
        f"{escape(info.prepared_by)} on {info.prepared_at:%Y-%m-%d %H:%M} UTC</p>"
        f"<h2>Accounts</h2><ol>{names}</ol>"
        f"<h2>Agenda</h2><table class='agenda'>{agenda}</table>"
        f"<h2>Prompts</h2><ul>{prompts}</ul>"
        "<p class='muted'>After the session, enter the agreed outcome per account on the Session "
        "pack page; it is exported as CSV for the CRM.</p>"
        "</section>"
    )
    body = cover + "".join(_account_page(a, as_of) for a in accounts)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>Customer session pack · {info.prepared_at:%Y-%m-%d}</title>"
        f"<style>{PRINT_CSS}</style></head><body>{body}</body></html>"
    )


def _account_page(account: PackAccount, as_of: str) -> str:
    p = account.profile
    facts = [
        ("Plan", p.plan),
        ("Stage", p.lifecycle_stage),
        ("Segment", (p.segment or "").replace("_", " ") or None),
        ("MRR", f"{p.mrr:,.0f}" if p.mrr is not None else None),
        ("Renewal", f"{p.renewal_date:%Y-%m-%d}" if p.renewal_date else None),
        ("Owner", p.owner),
        ("Feels now", _emotion(p.current_emotion, p.current_emotion_source)),
        ("Churn risk", p.churn_risk_band),
    ]
    if p.is_churned:
        facts.insert(0, ("Churned", f"{p.churned_at:%Y-%m-%d}" if p.churned_at else "yes"))
    profile = "".join(
        f"<span class='fact'><b>{escape(label)}</b> {escape(str(value))}</span>"
        for label, value in facts
        if value
    )
    trajectory = _latest_trajectory(account)
    messages = (
        "".join(_message(m) for m in account.key_messages)
        if account.key_messages
        else "<p class='muted'>No customer message to show"
        + ("" if p.texts_visible else " (texts are hidden for your role)")
        + ".</p>"
    )
    return (
        f"<section class='account' data-account='{escape(p.account_id)}'>"
        f"<header><h1>{escape(p.name)}</h1><span class='muted'>{escape(p.account_id)} · data as "
        f"of {escape(as_of)}</span></header>"
        f"<div class='profile'>{profile}</div>"
        + (f"<p class='trajectory'>{escape(trajectory)}</p>" if trajectory else "")
        + f"<div class='chart'>{timeline_svg(account.timeline.weeks, account.timeline.events)}</div>"
        "<div class='columns'>"
        f"<div><h2>Key messages</h2>{messages}{_churn_cues(account)}</div>"
        f"<div><h2>Observation template</h2>{_template(account)}</div>"
        "</div>"
        f"<div class='diagnosis'><h2>The team's diagnosis</h2>{_diagnosis_lines()}</div>"
        "</section>"
    )


def _emotion(emotion: str | None, source: str | None) -> str | None:
    if not emotion:
        return None
    return emotion + (" (human tag)" if source in ("human", "human_account") else "")


def _latest_trajectory(account: PackAccount) -> str | None:
    weeks = account.timeline.weeks
    if weeks.empty or "trajectory" not in weeks:
        return None
    values = [t for t in weeks["trajectory"].tolist() if isinstance(t, str) and t]
    return values[-1] if values else None


def _message(message: InteractionView) -> str:
    head = " · ".join(
        v
        for v in (
            f"{message.occurred_at:%Y-%m-%d}",
            (message.channel or "").replace("_", " "),
            _emotion(message.emotion, message.emotion_source),
            f"sentiment {message.compound:+.2f}" if message.compound is not None else None,
        )
        if v
    )
    return (
        f"<div class='message' data-interaction='{escape(message.interaction_id)}'>"
        f"<div class='message-head'>{escape(head)} · {escape(message.interaction_id)}</div>"
        f"<div class='message-text'>{_marked(_cut(message.body, TEXT_CHARS))}</div></div>"
    )


def _cut(pieces: list[Piece], limit: int) -> list[Piece]:
    """The pieces up to ``limit`` characters, the last cut with an ellipsis.

    >>> [p.text for p in _cut([Piece("abcdef"), Piece("ghi")], 4)]
    ['abcd…']
    """
    out: list[Piece] = []
    used = 0
    for piece in pieces:
        if used + len(piece.text) > limit:
            out.append(Piece(piece.text[: limit - used].rstrip() + "…", piece.phrase))
            break
        out.append(piece)
        used += len(piece.text)
    return out


def _shorten(text: str, limit: int) -> str:
    """
    >>> _shorten("abcdef", 4), _shorten("abc", 4)
    ('abc…', 'abc')
    """
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _marked(pieces: list[Piece]) -> str:
    return "".join(
        f"<mark class='ev-{p.phrase.tone}' title='{escape(p.phrase.why)}'>{escape(p.text)}</mark>"
        if p.phrase
        else escape(p.text)
        for p in pieces
    )


def _template(account: PackAccount) -> str:
    if account.observations is None:
        return "<p class='muted'>Not published yet.</p>"
    parts = []
    for category, title in OBSERVATION_CATEGORIES.items():
        lines = [o for o in account.observations if o.category == category][:LINES_PER_CATEGORY]
        items = "".join(
            f"<li>{escape(_shorten(o.line, LINE_CHARS))}"
            + (f" <span class='muted'>{o.observed_at:%Y-%m-%d}</span>" if o.observed_at else "")
            + (
                f" <span class='ref'>[{escape(o.evidence_kind)} {escape(o.evidence_id)}]</span>"
                if o.evidence_kind and o.evidence_id
                else ""
            )
            + "</li>"
            for o in lines
        )
        blank = "<li class='blank'>&nbsp;</li>"  # room for what the team adds
        parts.append(f"<h3>{escape(title)}</h3><ul>{items or ''}{blank}</ul>")
    return "".join(parts)


def _churn_cues(account: PackAccount) -> str:
    if account.churn_cues is None:
        return ""
    if not account.churn_cues:
        return "<h2>Cues before the churn</h2><p class='muted'>None in the data.</p>"
    items = "".join(
        f"<li><b>{escape(c.cue.replace('_', ' '))}</b>"
        + (f", {c.days_before_churn} days before" if c.days_before_churn is not None else "")
        + (" · <i>could have acted</i>" if c.could_have_acted else "")
        + f"<br><span class='muted'>{escape(c.reason)}</span></li>"
        for c in account.churn_cues[:CHURN_CUES]
    )
    return f"<h2>Cues before the churn</h2><ul class='cues'>{items}</ul>"


def _diagnosis_lines() -> str:
    return "".join(
        f"<div class='prompt'>{escape(q)}</div><div class='line'></div><div class='line'></div>"
        for q in DIAGNOSIS
    )


PRINT_CSS = """
@page { size: A4; margin: 12mm 12mm 12mm 12mm; }
* { box-sizing: border-box; }
body { font-family: system-ui, Arial, sans-serif; font-size: 10.5px; color: #1f2937; margin: 0; }
h1 { font-size: 18px; margin: 0 0 4px; }
h2 { font-size: 12px; margin: 10px 0 4px; text-transform: uppercase; letter-spacing: .04em;
     color: #1f3a5f; }
h3 { font-size: 10.5px; margin: 6px 0 2px; color: #374151; }
ul, ol { margin: 0; padding-left: 16px; }
.muted { color: #6b7280; }
.meta { color: #374151; }
section { break-after: page; page-break-after: always; }
section:last-child { break-after: auto; page-break-after: auto; }
.cover h1 { font-size: 24px; margin-top: 20px; }
.agenda td { padding: 3px 10px 3px 0; vertical-align: top; }
.agenda .when { white-space: nowrap; color: #6b7280; }
.account header { display: flex; justify-content: space-between; align-items: baseline;
                  border-bottom: 2px solid #1f3a5f; padding-bottom: 3px; }
.profile { display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 6px 0; }
.profile b { color: #6b7280; font-weight: 600; margin-right: 3px; }
.trajectory { margin: 2px 0 4px; font-style: italic; }
.chart svg { width: 100%; height: auto; max-height: 56mm; }
.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; max-height: 125mm;
           overflow: hidden; }
.message { margin: 0 0 6px; padding-left: 6px; border-left: 2px solid #4f8fd6; }
.message-head { color: #6b7280; font-size: 9.5px; }
.message-text { white-space: pre-wrap; }
mark { padding: 0 1px; border-radius: 2px; }
mark.ev-positive { background: #d1fae5; }
mark.ev-negative { background: #fee2e2; }
mark.ev-emotion { background: transparent; text-decoration: underline; }
.ref { color: #4f8fd6; font-size: 9px; }
li.blank { list-style: none; border-bottom: 1px dotted #9ca3af; height: 12px; }
.cues li { margin-bottom: 3px; }
.diagnosis .prompt { margin-top: 5px; font-weight: 600; }
.diagnosis .line { border-bottom: 1px solid #9ca3af; height: 16px; }
"""
