"""Run the doctests of the pure dashboard modules (``make test`` only collects ``tests/``)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "dashboards.settings",
    "dashboards.ids",
    "dashboards.metrics",
    "dashboards.figures.colors",
    "dashboards.figures.theme",
    "dashboards.figures.overview",
    "dashboards.figures.risk",
    "dashboards.risk_text",
    "dashboards.table_view",
    "dashboards.filters",
    "dashboards.data.privacy",
    "dashboards.users",
    "dashboards.auth",
    "dashboards.serve",
    "dashboards.highlight",
    "dashboards.figures.timeline",
    "dashboards.figures.timeline_svg",
    "dashboards.components.account",
    "dashboards.data.optional",
    "dashboards.data.account",
    "dashboards.session_pack.document",
    "dashboards.session_pack.routes",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
