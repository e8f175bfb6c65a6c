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


def page_within(page: int, rows: int, page_size: int) -> tuple[int, int]:
    """The page to show of ``rows`` (one past the end shows the last) and how many there are.

    >>> page_within(9, 51, 25), page_within(-1, 0, 25), page_within(1, 50, 25)
    ((2, 3), (0, 1), (1, 2))
    """
    pages = max(1, -(-rows // page_size))
    return min(max(0, page), pages - 1), pages
