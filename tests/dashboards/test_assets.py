"""The vendored plotly.js bundle: the version plotly.py writes figures for, every trace type we use."""

from __future__ import annotations

import re
from pathlib import Path

import plotly.graph_objects as go
from plotly.basedatatypes import BaseTraceType
from plotly.offline import get_plotlyjs_version

DASHBOARDS = Path(__file__).resolve().parents[2] / "dashboards"
VENDOR = DASHBOARDS / "assets" / "vendor"
# The cartesian bundle's trace modules (its README on npm: plotly.js-cartesian-dist-min).
BUNDLED_TRACES = {
    "bar", "box", "contour", "heatmap", "histogram", "histogram2d", "histogram2dcontour",
    "image", "pie", "scatter", "scatterternary", "violin",
}  # fmt: skip


def _bundle() -> Path:
    (bundle,) = VENDOR.glob("plotly-cartesian-*.min.js")
    return bundle


def test_bundle_is_the_plotly_js_that_plotly_py_targets() -> None:
    header = _bundle().read_text(encoding="utf-8")[:200]
    version = re.search(r"plotly\.js \(cartesian - minified\) v(\S+)", header)
    assert version, header
    assert version.group(1) == get_plotlyjs_version(), (
        "plotly was upgraded: vendor the matching plotly.js-cartesian-dist-min into "
        f"{VENDOR} (npm pack plotly.js-cartesian-dist-min@{get_plotlyjs_version()})"
    )


def test_every_trace_type_the_dashboard_draws_is_in_the_bundle() -> None:
    used: dict[str, str] = {}
    for source in DASHBOARDS.rglob("*.py"):
        for name in re.findall(r"\bgo\.([A-Z]\w*)\(", source.read_text(encoding="utf-8")):
            cls = getattr(go, name, None)
            if isinstance(cls, type) and issubclass(cls, BaseTraceType):
                used[cls().type] = str(source.relative_to(DASHBOARDS))
    assert used, "no traces found: the scan is broken"
    missing = {t: where for t, where in used.items() if t not in BUNDLED_TRACES}
    assert not missing, f"trace types the vendored plotly.js cannot draw: {missing}"
