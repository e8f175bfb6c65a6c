"""The shared filters, kept in the URL: one piece of code that every page applies.

``?start=2024-02-01&end=2024-02-29&segment=at_risk&segment=frustrated&plan=pro&owner=3f2a...``

:func:`parse_query` reads what a URL asks for, :func:`resolve` turns it into what the numbers
will use (:class:`Applied`) against the days the data covers, with a notice for each part it
cannot apply as asked; :func:`to_query` writes the URL back. Pure: no data access here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import parse_qs, parse_qsl, urlencode

DIMENSIONS: tuple[str, ...] = ("segment", "plan", "region", "lifecycle_stage", "channel", "owner")
DIMENSION_LABELS: dict[str, str] = {
    "segment": "Segment",
    "plan": "Plan",
    "region": "Region",
    "lifecycle_stage": "Lifecycle stage",
    "channel": "Channel",
    "owner": "Owner",
}
_MAX_VALUES = 50
_MAX_VALUE_LENGTH = 100


@dataclass(frozen=True)
class Filters:
    """What a view is filtered by. Empty tuples mean "all"; ``None`` dates mean "open"."""

    start: date | None = None
    end: date | None = None
    segment: tuple[str, ...] = ()
    plan: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    lifecycle_stage: tuple[str, ...] = ()
    channel: tuple[str, ...] = ()
    owner: tuple[str, ...] = ()

    def values(self, dimension: str) -> tuple[str, ...]:
        return getattr(self, dimension)

    def as_dict(self) -> dict:
        """JSON-friendly (for a ``dcc.Store``)."""
        return {
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            **{d: list(self.values(d)) for d in DIMENSIONS},
        }

    @classmethod
    def from_dict(cls, data: Mapping | None) -> Filters:
        """Back from :meth:`as_dict`; anything malformed is dropped, never trusted.

        >>> Filters.from_dict({"start": "2024-02-01", "plan": ["pro"], "x": 1}).plan
        ('pro',)
        """
        data = data or {}
        return cls(
            start=parse_day(data.get("start")),
            end=parse_day(data.get("end")),
            **{d: _clean_values(data.get(d)) for d in DIMENSIONS},
        )


@dataclass(frozen=True)
class Applied:
    """The filters the numbers use, and why they differ from what was asked (if they do)."""

    filters: Filters
    notices: tuple[str, ...] = field(default=())


def parse_day(value: object) -> date | None:
    """An ISO day (``2024-02-01``, or a datetime string starting with one), else None.

    >>> parse_day("2024-02-01"), parse_day("2024-02-01T00:00:00"), parse_day("02/01/2024")
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 1), None)
    """
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _clean_values(values: object) -> tuple[str, ...]:
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list | tuple):
        return ()
    out: list[str] = []
    for value in values:
        if isinstance(value, str) and 0 < len(value) <= _MAX_VALUE_LENGTH and value not in out:
            out.append(value)
    return tuple(sorted(out))[:_MAX_VALUES]


def parse_query(search: str | None) -> Filters:
    """The filters a URL's query string asks for (unknown keys and bad values are ignored).

    >>> f = parse_query("?start=2024-02-01&end=2024-02-29&segment=at_risk&segment=content")
    >>> f.start, f.end, f.segment
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29), ('at_risk', 'content'))
    >>> parse_query("?start=yesterday&plan=").start, parse_query(None)
    (None, Filters(start=None, end=None, segment=(), plan=(), region=(), lifecycle_stage=(), channel=(), owner=()))
    """
    query = parse_qs((search or "").lstrip("?"), keep_blank_values=False)
    return Filters(
        start=parse_day((query.get("start") or [None])[-1]),
        end=parse_day((query.get("end") or [None])[-1]),
        **{d: _clean_values(query.get(d, [])) for d in DIMENSIONS},
    )


def to_query(filters: Filters) -> str:
    """The query string for a view (``""`` when nothing is filtered).

    >>> to_query(Filters(start=date(2024, 2, 1), segment=("at_risk", "content")))
    '?start=2024-02-01&segment=at_risk&segment=content'
    >>> to_query(Filters())
    ''
    """
    pairs: list[tuple[str, str]] = []
    if filters.start:
        pairs.append(("start", filters.start.isoformat()))
    if filters.end:
        pairs.append(("end", filters.end.isoformat()))
    for dimension in DIMENSIONS:
        pairs.extend((dimension, value) for value in filters.values(dimension))
    return f"?{urlencode(pairs)}" if pairs else ""


def with_page_keys(query: str, search: str | None) -> str:
    """``query`` (the filters) plus the keys of ``search`` that are no filter, e.g. the Account
    page's ``account_id``: the filter bar rewrites the URL and must not drop them.

    >>> with_page_keys("?start=2024-02-01", "?account_id=A1&start=2024-01-01")
    '?start=2024-02-01&account_id=A1'
    >>> with_page_keys("", "?account_id=A1"), with_page_keys("?plan=pro", None)
    ('?account_id=A1', '?plan=pro')
    """
    filter_keys = {"start", "end", *DIMENSIONS}
    kept = [
        (key, value)
        for key, value in parse_qsl((search or "").lstrip("?"), keep_blank_values=False)
        if key not in filter_keys
    ]
    if not kept:
        return query
    extra = urlencode(kept)
    return f"{query}&{extra}" if query else f"?{extra}"


def resolve(
    requested: Filters,
    first_day: date | None,
    last_day: date | None,
    known: Mapping[str, Iterable[str]] | None = None,
) -> Applied:
    """What the numbers will use for ``requested``, given the days the data covers.

    - no dates: the whole data range;
    - a reversed range is turned round (and said so);
    - a range reaching outside the data is cut to it; one wholly outside shows the whole range;
    - values a dimension does not have (``known``) are dropped, and named.

    >>> lo, hi = date(2024, 1, 3), date(2024, 3, 28)
    >>> a = resolve(Filters(start=date(2024, 3, 1), end=date(2024, 2, 1)), lo, hi)
    >>> a.filters.start, a.filters.end
    (datetime.date(2024, 2, 1), datetime.date(2024, 3, 1))
    >>> a.notices
    ('The start date was after the end date; the range was turned round: 2024-02-01 – 2024-03-01.',)
    >>> resolve(Filters(start=date(2023, 12, 1)), lo, hi).filters.start
    datetime.date(2024, 1, 3)
    >>> a = resolve(Filters(start=date(2020, 1, 1), end=date(2020, 2, 1)), lo, hi)
    >>> (a.filters.start, a.filters.end) == (lo, hi), a.notices[0][:36]
    (True, 'There is no data from 2020-01-01 to ')
    """
    notices: list[str] = []
    start, end = requested.start, requested.end
    if first_day is None or last_day is None:
        return Applied(replace(requested, start=None, end=None), ("There is no dated data yet.",))
    if start and end and start > end:
        start, end = end, start
        notices.append(
            "The start date was after the end date; the range was turned round: "
            f"{start.isoformat()} – {end.isoformat()}."
        )
    asked_start, asked_end = start or first_day, end or last_day
    if asked_end < first_day or asked_start > last_day:
        notices.append(
            f"There is no data from {asked_start.isoformat()} to {asked_end.isoformat()}; "
            f"the data covers {first_day.isoformat()} – {last_day.isoformat()}, shown instead."
        )
        start, end = first_day, last_day
    else:
        if asked_start < first_day and requested.start:
            notices.append(
                f"The data starts on {first_day.isoformat()}, so the range starts there."
            )
        if asked_end > last_day and requested.end:
            notices.append(f"The data ends on {last_day.isoformat()}, so the range ends there.")
        start, end = max(asked_start, first_day), min(asked_end, last_day)
    changes: dict[str, tuple[str, ...]] = {}
    for dimension in DIMENSIONS:
        values = requested.values(dimension)
        if known is None or dimension not in known or not values:
            continue
        allowed = set(known[dimension])
        kept = tuple(v for v in values if v in allowed)
        dropped = [v for v in values if v not in allowed]
        if dropped:
            label = DIMENSION_LABELS[dimension].lower()
            what = "value" if len(dropped) == 1 else "values"
            shown = ", ".join(dropped) if dimension != "owner" else f"{len(dropped)} unknown"
            notices.append(f"Ignored {label} {what} not in the data: {shown}.")
        changes[dimension] = kept
    return Applied(replace(requested, start=start, end=end, **changes), tuple(notices))


def describe(filters: Filters, labels: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """One line saying what the numbers use.

    >>> describe(Filters(start=date(2024, 2, 1), end=date(2024, 2, 29), plan=("pro",)))
    'Showing 2024-02-01 – 2024-02-29 · Plan: pro'
    """
    labels = labels or {}
    start = filters.start.isoformat() if filters.start else "first day"
    end = filters.end.isoformat() if filters.end else "last day"
    parts = [f"Showing {start} – {end}"]
    for dimension in DIMENSIONS:
        values = filters.values(dimension)
        if values:
            names = labels.get(dimension, {})
            parts.append(
                f"{DIMENSION_LABELS[dimension]}: " + ", ".join(names.get(v, v) for v in values)
            )
    if len(parts) == 1:
        parts.append("all accounts and channels")
    return " · ".join(parts)
