"""The hot modules compiled with Cython: the same source, about a quarter faster.

    python -m sentiment_udfs compile     # `make env` runs it; needs a C compiler

The scorer is plain Python; nothing here changes what it computes. ``build`` compiles the
modules in ``HOT`` unchanged into ``_compiled/``, next to a manifest of the sources' hashes.
Most are ordinary Python; ``kernels`` and ``engine`` declare C types in Cython's pure-Python
mode (still valid Python), so their loops run as C loops over typed arrays and structs (the
engine's rules walk a sentence's Token structs). ``install`` (called by the package on import) loads a compiled module only
while its source is byte-for-byte the one it was built from, so an edited module runs as
Python until the next build, never as stale machine code. ``SENTIMENT_UDFS_PURE=1`` turns the
compiled modules off (``tests/sentiment_udfs/test_compiled.py`` compares the two on the same
texts). One trap: compiled, an int expression built only from C-typed parts such as
``1 << len(x)`` is C arithmetic and can overflow; write such code so it stays Python (``pow``).
A module may have an augmenting ``<module>.pxd`` beside it (C types for its classes, attributes
and functions; Cython reads it, Python never does): it is compiled with the module and is part
of the module's hash.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
OUT = PACKAGE / "_compiled"
MANIFEST = OUT / "manifest.json"
# The modules a text passes through, token by token (the rest run once per batch or process).
HOT = (
    "engine",
    "vader_core",
    "prefilter",
    "crm_layer",
    "language",
    "text_cleaning",
    "features",
    "polarity",
    "emotion_rules",
    "kernels",  # typed (Cython pure-Python mode): C loops where compiled
    "memo_gc",  # does something only compiled: takes the memos out of the collector's scans
    "grams",  # typed: the model's character grams in a C table
    "pattern_reads",  # typed: a sentence walks the bits of the patterns it may match
)
_SUFFIX = importlib.machinery.EXTENSION_SUFFIXES[0]


def _sources(module: str) -> list[Path]:
    """The module's source and, where there is one, its augmenting .pxd."""
    pxd = PACKAGE / f"{module}.pxd"
    return [PACKAGE / f"{module}.py"] + ([pxd] if pxd.exists() else [])


def source_hash(module: str) -> str:
    digest = hashlib.sha256()
    for path in _sources(module):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def fresh() -> dict[str, Path]:
    """Compiled modules whose source is unchanged since the build: {module: extension file}."""
    if os.environ.get("SENTIMENT_UDFS_PURE") or not MANIFEST.exists():
        return {}
    try:
        built = json.loads(MANIFEST.read_text(encoding="utf-8"))
    except ValueError:
        return {}
    out = {}
    for module, digest in built.get("sources", {}).items():
        ext = OUT / f"{module}{_SUFFIX}"
        if module in HOT and ext.exists() and digest == source_hash(module):
            out[module] = ext
    return out


class _Finder(importlib.abc.MetaPathFinder):
    """Finds ``sentiment_udfs.<module>`` in ``_compiled/`` for the fresh modules only."""

    def __init__(self, modules: dict[str, Path]) -> None:
        self.modules = {f"{__package__}.{m}": p for m, p in modules.items()}

    def find_spec(self, fullname, path=None, target=None):
        ext = self.modules.get(fullname)
        if ext is None:
            return None
        loader = importlib.machinery.ExtensionFileLoader(fullname, str(ext))
        spec = importlib.machinery.ModuleSpec(fullname, loader, origin=str(ext))
        spec.has_location = True
        return spec


def install() -> list[str]:
    """Put the fresh compiled modules ahead of the sources; returns their names."""
    modules = fresh()
    if modules and not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder(modules))
    return sorted(modules)


def loaded() -> list[str]:
    """The package's modules running compiled in this process."""
    return sorted(
        m
        for m in HOT
        if (mod := sys.modules.get(f"{__package__}.{m}")) is not None
        and str(getattr(mod, "__file__", "")).endswith(_SUFFIX)
    )


def build(jobs: int | None = None) -> list[str]:
    """Compile ``HOT`` into ``_compiled/`` and record the sources' hashes; returns the modules.

    Compiles in a scratch copy of the package (so each extension knows its full module name),
    then replaces ``_compiled/`` whole: a failed build leaves the previous one or none.
    """
    hashes = {m: source_hash(m) for m in HOT}
    with tempfile.TemporaryDirectory() as tmp:
        pkg = Path(tmp) / PACKAGE.name
        pkg.mkdir()
        (pkg / "__init__.py").write_text("")
        for m in HOT:
            for path in _sources(m):
                shutil.copy2(path, pkg / path.name)
        # No __test__ dict: pytest already collects the doctests from the compiled functions.
        cmd = [sys.executable, "-m", "Cython.Build.Cythonize", "-i", "-q", "-3"]
        cmd += ["-X", "autotestdict=False"]
        cmd += ["-j", str(jobs or os.cpu_count() or 1)]
        cmd += [f"{PACKAGE.name}/{m}.py" for m in HOT]
        subprocess.run(cmd, cwd=tmp, check=True)
        staged = Path(tmp) / "out"
        staged.mkdir()
        for m in HOT:
            shutil.copy2(pkg / f"{m}{_SUFFIX}", staged / f"{m}{_SUFFIX}")
        (staged / "manifest.json").write_text(
            json.dumps({"sources": hashes}, indent=1) + "\n", encoding="utf-8"
        )
        shutil.rmtree(OUT, ignore_errors=True)
        shutil.copytree(staged, OUT)
    return list(HOT)


def build_or_explain() -> int:
    """The ``compile`` command: build, or say why not (the package then runs as Python)."""
    try:
        modules = build()
    except (ImportError, OSError, subprocess.CalledProcessError) as exc:
        print(f"sentiment_udfs: not compiled ({exc}); the Python modules will run", file=sys.stderr)
        return 0
    print(f"sentiment_udfs: compiled {', '.join(modules)} into {OUT}")
    return 0
