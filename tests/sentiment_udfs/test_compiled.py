"""The Cython-compiled hot modules: same results as Python, never stale, used where built."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sentiment_udfs import compiled

CASES = Path(__file__).parent / "cases"

# Scores every regression-case text plus generated CRM texts and prints the records and which
# modules ran compiled; run once compiled and once with SENTIMENT_UDFS_PURE=1.
_SCORE = """
import csv, json, sys
from pathlib import Path
from dagster_project.lib.demo_data.text import sample_texts
import sentiment_udfs
from sentiment_udfs import compiled
texts = [r["text"] for f in sorted(Path(sys.argv[1]).glob("*.csv"))
         for r in csv.DictReader(f.open(encoding="utf-8", newline=""))]
texts += sample_texts(1500, 7)
records = sentiment_udfs.score_texts(texts, processes=2)
print(json.dumps({"loaded": compiled.loaded(), "records": records}, sort_keys=True))
"""


def _score(pure: bool) -> dict:
    env = dict(os.environ)
    env.pop("SENTIMENT_UDFS_PURE", None)
    if pure:
        env["SENTIMENT_UDFS_PURE"] = "1"
    out = subprocess.run(
        [sys.executable, "-c", _SCORE, str(CASES)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out)


@pytest.mark.skipif(not compiled.fresh(), reason="not compiled here (make env compiles)")
def test_compiled_and_python_score_identically():
    fast, pure = _score(pure=False), _score(pure=True)
    assert fast["loaded"] == sorted(compiled.HOT)
    assert pure["loaded"] == []
    assert len(fast["records"]) > 1500
    assert fast["records"] == pure["records"]


def test_ci_runs_the_compiled_modules():
    # `make test` compiles first; in CI a failed build must not pass unnoticed as slow Python.
    if not os.environ.get("CI"):
        pytest.skip("only CI requires a compiler")
    assert compiled.fresh().keys() == set(compiled.HOT)
    importlib.import_module("sentiment_udfs.engine")  # imports every hot module, run alone too
    assert compiled.loaded() == sorted(compiled.HOT)


def test_an_edited_module_runs_as_python(monkeypatch):
    if not compiled.fresh():
        pytest.skip("not compiled here (make env compiles)")
    real = compiled.source_hash
    monkeypatch.setattr(compiled, "source_hash", lambda m: "edited" if m == "engine" else real(m))
    assert "engine" not in compiled.fresh()
    assert set(compiled.fresh()) == set(compiled.HOT) - {"engine"}


def test_no_manifest_or_pure_switch_means_python(monkeypatch, tmp_path):
    monkeypatch.setattr(compiled, "MANIFEST", tmp_path / "manifest.json")
    assert compiled.fresh() == {}
    (tmp_path / "manifest.json").write_text("{not json", encoding="utf-8")
    assert compiled.fresh() == {}
    monkeypatch.setattr(compiled, "MANIFEST", Path(compiled.OUT) / "manifest.json")
    monkeypatch.setenv("SENTIMENT_UDFS_PURE", "1")
    assert compiled.fresh() == {}


def test_an_augmenting_pxd_is_part_of_the_modules_hash(monkeypatch, tmp_path):
    (tmp_path / "mod.py").write_text("x = 1\n", encoding="utf-8")
    monkeypatch.setattr(compiled, "PACKAGE", tmp_path)
    alone = compiled.source_hash("mod")
    (tmp_path / "mod.pxd").write_text("cdef int x\n", encoding="utf-8")
    typed = compiled.source_hash("mod")
    (tmp_path / "mod.pxd").write_text("cdef long x\n", encoding="utf-8")
    assert len({alone, typed, compiled.source_hash("mod")}) == 3  # an edited .pxd is stale too
