"""The sort and page of a server-side table, kept in a small ``dcc.Store`` dict. Pure."""

from __future__ import annotations

from collections.abc import Iterable

NEXT = "next"
PREVIOUS = "previous"


def next_view(
    view: dict,
    clicked: str | None,
    sortable: Iterable[str],
    *,
    ascending_first: Iterable[str] = (),
) -> dict:
    """The view after a click: a column header sorts by it (again: the other way), ``next`` and
    ``previous`` turn the page; anything else (new filters) goes back to the first page.

    >>> v = {"sort": "risk", "descending": True, "page": 2}
    >>> next_view(v, "risk", ["risk", "mrr"])
    {'sort': 'risk', 'descending': False, 'page': 0}
    >>> next_view(v, "mrr", ["risk", "mrr"])
    {'sort': 'mrr', 'descending': True, 'page': 0}
    >>> next_view(v, "account", ["account"], ascending_first=["account"])["descending"]
    False
    >>> next_view(v, NEXT, [])["page"], next_view(v, PREVIOUS, [])["page"], next_view(v, None, [])["page"]
    (3, 1, 0)
    """
    if clicked in set(sortable):
        if clicked == view.get("sort"):
            descending = not view.get("descending", True)
        else:
            descending = clicked not in set(ascending_first)
        return {"sort": clicked, "descending": descending, "page": 0}
    page = int(view.get("page") or 0)
    if clicked == NEXT:
        return {**view, "page": page + 1}
    if clicked == PREVIOUS:
        return {**view, "page": max(0, page - 1)}
    return {**view, "page": 0}
