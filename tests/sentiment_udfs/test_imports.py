"""Import costs that other layers rely on: the dashboard imports the taxonomy only."""

from __future__ import annotations

import json
import subprocess
import sys


def _modules_after(statement: str) -> list[str]:
    code = f"{statement}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_importing_the_taxonomy_loads_no_engine():
    loaded = _modules_after("import sentiment_udfs.taxonomy")
    heavy = {"sentiment_udfs.engine", "sentiment_udfs.scoring", "sentiment_udfs.crm_layer"}
    heavy |= {"sentiment_udfs.emotions", "numpy", "yaml"}
    assert not heavy.intersection(loaded), sorted(heavy.intersection(loaded))


def test_the_package_still_offers_score_texts():
    loaded = _modules_after("from sentiment_udfs import score_texts")
    assert "sentiment_udfs.engine" in loaded
