"""Adapters as data: which export shapes exist, how each is recognized and mapped to the contract.

A shape is one kind of export file (HubSpot contacts CSV, a Zendesk tickets JSON, ...). It has a
*signature* (columns a file of that shape always has), an optional JSON *records* key (``tickets``
in ``{"tickets": [...]}``) and *outputs*: for each canonical entity it feeds, a column map.
Vendor shapes live in ``vendors/<vendor>.yaml``; a user writes the same YAML for any other file,
beside it (``<file>.mapping.yaml``) or in ``$WAREHOUSE_DIR/mappings/``. Canonical files (today's
``<entity>.csv``) are shapes too, built from the contract, so one code path loads everything.

A file's shape is found, in this order, from a mapping beside it, a mapping whose ``files`` glob
matches its name, and then its content: the most specific signature its columns (or the columns
of the records in its JSON envelope) satisfy. Its name (``<entity>-*.csv``,
``<vendor>-<object>-*.csv``, ``<vendor>-*.csv``) only breaks ties, and names the shape whose
missing columns a file that fits none is rejected for.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from dagster_project.lib.contract import ENTITIES
from dagster_project.lib.inbox import entity_from_name
from dagster_project.lib.readers import peek_columns

VENDOR_DIR = Path(__file__).parent / "vendors"
# libyaml's safe loader where PyYAML was built with it: the same documents, ten times faster.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
CANONICAL = "canonical"


class UnknownShapeError(Exception):
    """No adapter fits the file; the message names the file, what was found and what was expected."""


def norm(name: str) -> str:
    """Header spelling differences that never matter: BOM, case, surrounding and inner spaces.

    >>> norm("\\ufeff Record ID "), norm("AccountId"), norm("ticket_id")
    ('record_id', 'accountid', 'ticket_id')
    """
    return re.sub(r"[\s_]+", "_", name.lstrip("\ufeff").strip().lower())


@dataclass(frozen=True)
class ColumnSpec:
    sources: tuple[str, ...] = ()  # column paths, first non-empty wins
    const: Any = None
    transforms: tuple[tuple[str, Any], ...] = ()
    default: Any = None  # when the file lacks every source, or the value is blank
    file_name: str | None = None  # a regex whose first group, in the file's name, is the value
    # Another way to the value, used where this one gives none (its sources are missing, or its
    # transforms leave it null): a vendor's own flag first, a fallback reading second.
    otherwise: ColumnSpec | None = None

    @classmethod
    def parse(cls, spec: Any) -> ColumnSpec:
        if isinstance(spec, str):
            return cls(sources=(spec,))
        if isinstance(spec, list):
            return cls(sources=tuple(spec))
        if not isinstance(spec, dict):
            raise ValueError(f"column spec must be a path, a list of paths or a mapping: {spec!r}")
        sources = spec.get("from", ())
        transforms = []
        for t in spec.get("transform", ()) or ():
            if isinstance(t, str):
                transforms.append((t, None))
            else:
                ((name, arg),) = dict(t).items()
                transforms.append((name, arg))
        return cls(
            sources=(sources,) if isinstance(sources, str) else tuple(sources),
            const=spec.get("const"),
            transforms=tuple(transforms),
            default=spec.get("default"),
            file_name=spec.get("file_name"),
            otherwise=cls.parse(spec["otherwise"]) if "otherwise" in spec else None,
        )


@dataclass(frozen=True)
class Output:
    entity: str
    columns: dict[str, ColumnSpec]
    updated_at: ColumnSpec | None = None  # the record's version: an older re-export never wins
    explode: str | None = None  # path of an array in the record: one row per element
    # {column: path, in: [..]} / {column: path, present: true}, or a list of them (all must hold)
    where: dict[str, Any] | list[dict[str, Any]] | None = None


@dataclass(frozen=True)
class Shape:
    vendor: str
    name: str
    signature: tuple[tuple[str, ...], ...]  # every entry: alternatives, one must be a column
    outputs: tuple[Output, ...]
    records: str | None = None
    aliases: tuple[str, ...] = ()
    files: tuple[str, ...] = ()  # globs of file names this (user) mapping is for
    origin: str = ""
    namespace: str | None = None  # prefix of every id (``zd`` → ``zd-123``); none: ids as given

    @property
    def label(self) -> str:
        return f"{self.vendor} {self.name}"

    @property
    def entities(self) -> list[str]:
        return list(dict.fromkeys(o.entity for o in self.outputs))

    def missing(self, columns: list[str]) -> list[str]:
        """Signature entries the columns lack (each named by its first spelling)."""
        have = {norm(c) for c in columns}
        return [alts[0] for alts in self.signature if not any(norm(a) in have for a in alts)]


@dataclass(frozen=True)
class Plan:
    """How to load one file: its shape and, for wrapped JSON, the records key."""

    shape: Shape
    how: str  # why this shape: mapping file, file name or columns
    records: str | None = None

    @property
    def entities(self) -> list[str]:
        return self.shape.entities

    @property
    def source(self) -> str:
        return f"{self.shape.vendor}/{self.shape.name}"


def _parse_output(raw: dict[str, Any], where: str) -> Output:
    entity = raw.get("entity")
    if entity not in ENTITIES:
        raise ValueError(
            f"{where}: unknown entity {entity!r} (expected one of {', '.join(ENTITIES)})"
        )
    columns = {k: ColumnSpec.parse(v) for k, v in (raw.get("columns") or {}).items()}
    unknown = [c for c in columns if c not in ENTITIES[entity].column_names]
    if unknown:
        raise ValueError(f"{where}: {entity} has no column {unknown[0]!r}")
    return Output(
        entity=entity,
        columns=columns,
        updated_at=ColumnSpec.parse(raw["updated_at"]) if raw.get("updated_at") else None,
        explode=raw.get("explode"),
        where=raw.get("where"),
    )


def _parse_shape(
    vendor: str, name: str, raw: dict[str, Any], origin: str, namespace: str | None = None
) -> Shape:
    where = f"{origin}: {name}"
    outputs = raw.get("outputs") or ([raw] if "entity" in raw else [])
    if not outputs:
        raise ValueError(f"{where}: no outputs (expected 'entity' and 'columns', or 'outputs')")
    signature = tuple(
        (s,) if isinstance(s, str) else tuple(s) for s in (raw.get("signature") or ())
    )
    files = raw.get("files") or ()
    return Shape(
        vendor=vendor,
        name=name,
        signature=signature,
        outputs=tuple(_parse_output(o, where) for o in outputs),
        records=raw.get("records"),
        aliases=tuple(a.lower() for a in raw.get("aliases", ())),
        files=(files,) if isinstance(files, str) else tuple(files),
        origin=origin,
        namespace=raw.get("namespace", namespace),
    )


def parse_mapping(text: str, origin: str) -> list[Shape]:
    """Shapes from one YAML document: a vendor file (``objects:``) or a single user mapping."""
    raw = yaml.load(text, Loader=_YAML_LOADER) or {}
    if not isinstance(raw, dict):
        raise ValueError(f"{origin}: expected a YAML mapping")
    vendor = str(raw.get("vendor", "mapping")).lower()
    if "objects" in raw:
        namespace = raw.get("namespace")
        return [
            _parse_shape(vendor, n.lower(), o, origin, namespace) for n, o in raw["objects"].items()
        ]
    default_name = Path(origin).name.split(".", 1)[0]
    return [_parse_shape(vendor, str(raw.get("name", default_name)).lower(), raw, origin)]


def _canonical_shape(entity: str) -> Shape:
    e = ENTITIES[entity]
    return Shape(
        vendor=CANONICAL,
        name=entity,
        # Required columns; one of a column's links where it may be found through them.
        signature=tuple((c.name, *c.unless) for c in e.columns if c.required),
        outputs=(
            Output(
                entity=entity,
                columns={c: ColumnSpec((c,)) for c in e.column_names},
                updated_at=ColumnSpec(("updated_at",)),
            ),
        ),
        origin="contract",
    )


@cache
def builtin_shapes() -> tuple[Shape, ...]:
    """Canonical shapes, then every vendor's, read once per process."""
    shapes = [_canonical_shape(e) for e in ENTITIES]
    for path in sorted(VENDOR_DIR.glob("*.yaml")):
        shapes.extend(parse_mapping(path.read_text(encoding="utf-8"), path.name))
    return tuple(shapes)


def vendors() -> list[str]:
    return sorted({s.vendor for s in builtin_shapes() if s.vendor != CANONICAL})


MAPPING_SUFFIXES = (".yaml", ".yml")


def sidecar_mappings(path: Path) -> list[Path]:
    """Mapping files a user may put beside an export: ``<name>.mapping.yaml`` or ``<stem>.yaml``."""
    stem = path.name.split(".", 1)[0]
    names = [f"{path.name}.mapping{s}" for s in MAPPING_SUFFIXES]
    names += [f"{stem}.mapping{s}" for s in MAPPING_SUFFIXES] + [
        f"{stem}{s}" for s in MAPPING_SUFFIXES
    ]
    return [path.with_name(n) for n in names if path.with_name(n).is_file()]


def user_shapes(mappings_dir: Path | None) -> list[Shape]:
    if mappings_dir is None or not mappings_dir.is_dir():
        return []
    shapes: list[Shape] = []
    for path in sorted(p for p in mappings_dir.iterdir() if p.suffix in MAPPING_SUFFIXES):
        shapes.extend(parse_mapping(path.read_text(encoding="utf-8"), path.name))
    return shapes


def _by_name(name: str, shapes: list[Shape]) -> list[Shape] | None:
    """Shapes the file name points at (one, or a vendor's set), None when it names none."""
    entity = entity_from_name(name)
    if entity:
        return [s for s in shapes if s.vendor == CANONICAL and s.name == entity]
    stem = name.split(".", 1)[0].lower()
    for vendor in sorted(
        {s.vendor for s in shapes if s.vendor != CANONICAL}, key=len, reverse=True
    ):
        if not stem.startswith(vendor + "-") and stem != vendor:
            continue
        rest = stem[len(vendor) + 1 :]
        own = [s for s in shapes if s.vendor == vendor]
        named = sorted(
            ((n, s) for s in own for n in (s.name, *s.aliases)), key=lambda x: -len(x[0])
        )
        for n, shape in named:
            if re.fullmatch(rf"{re.escape(n)}(-.*)?", rest):
                return [shape]
        return own
    return None


@dataclass(frozen=True)
class _Fit:
    shape: Shape
    records: str | None  # the JSON key holding the records, where the shape's are wrapped

    @property
    def rank(self) -> tuple[int, bool]:
        """More signature columns is more specific. At equal specificity the file's own records
        win over an array inside them (a Zendesk ticket per line also holds its comments)."""
        return len(self.shape.signature), self.records is None


def _fits(columns: dict[str | None, list[str]], shapes: list[Shape]) -> list[_Fit]:
    """The shapes whose signature the file's columns satisfy, most specific first.

    Records may sit in an envelope: under the shape's own ``records`` key, or, for a shape that
    names none, under any key holding an array of objects (``{"data": [...], "next": ...}``).
    """
    envelopes = [k for k in columns if k is not None]
    fits = []
    for shape in shapes:
        if not shape.signature:
            continue
        keys = [shape.records] if shape.records in columns else []
        if shape.records is None:
            keys = envelopes
        for key in (*keys, None):
            if not shape.missing(columns[key]):
                fits.append(_Fit(shape, key))
                break
    return sorted(fits, key=lambda f: f.rank, reverse=True)


def _why(fit: _Fit) -> str:
    where = f" of its {fit.records!r} records" if fit.records else ""
    return f"columns{where} ({', '.join(a[0] for a in fit.shape.signature)})"


def _unknown(path: Path, found: list[str], shapes: list[Shape]) -> UnknownShapeError:
    closest = max(
        (s for s in shapes if s.signature),
        key=lambda s: (1 - len(s.missing(found)) / len(s.signature), len(s.signature)),
        default=None,
    )
    hint = ""
    if closest is not None and len(closest.missing(found)) < len(closest.signature):
        hint = (
            f"; closest is {closest.label}, missing column {closest.missing(found)[0]!r} "
            f"(expected {', '.join(a[0] for a in closest.signature)})"
        )
    return UnknownShapeError(
        f"{path.name}: unknown export shape (found columns {', '.join(found[:20]) or 'none'}){hint}. "
        "Name the file <entity>.csv or <vendor>-<object>-*.csv, or put a mapping beside it"
    )


def _by_content(path: Path, columns: dict[str | None, list[str]], shapes: list[Shape]) -> Plan:
    """The most specific shape the file's columns satisfy; its name breaks a tie between equally
    specific ones and, where no shape fits, says which shape to report the missing columns of."""
    fits = _fits(columns, shapes)
    top = [f for f in fits if f.rank == fits[0].rank] if fits else []
    named = _by_name(path.name, shapes) or []
    if len(top) > 1:
        top = [f for f in top if f.shape in named] or top
    if len(top) == 1:
        return Plan(top[0].shape, _why(top[0]), top[0].records)
    if top:
        raise UnknownShapeError(
            f"{path.name}: columns fit several export shapes "
            f"({', '.join(f.shape.label for f in top)}); "
            "expected a name that says which, like <vendor>-<object>-2026.csv"
        )
    if len(named) == 1:  # the name says what it is; loading names the columns it lacks
        shape = named[0]
        records = shape.records if shape.records in columns else None
        return Plan(shape, "file name (its columns fit no known shape)", records)
    raise _unknown(path, columns.get(None, []), named or shapes)


def recognize(path: Path, mappings_dir: Path | None = None) -> Plan:
    """Which shape ``path`` has; raises UnknownShapeError (or a reader error) when none fits.

    A user's mapping always wins; otherwise the file's columns or structure decide, so a vendor
    export named like a canonical entity (HubSpot's ``contacts.csv``) loads as what it is.
    """
    sidecars = sidecar_mappings(path)
    if sidecars:
        shapes = parse_mapping(sidecars[0].read_text(encoding="utf-8"), sidecars[0].name)
        if len(shapes) == 1:
            return Plan(shapes[0], f"mapping {sidecars[0].name}", shapes[0].records)
        return _by_content(path, peek_columns(path), shapes)
    users = user_shapes(mappings_dir)
    for shape in users:
        if any(fnmatch.fnmatch(path.name.lower(), g.lower()) for g in shape.files):
            return Plan(shape, f"mapping {shape.origin}", shape.records)
    return _by_content(path, peek_columns(path), [*users, *builtin_shapes()])


@dataclass
class PlanCache:
    """Recognized plans by (path, size, mtime): each ingest asset asks; the file is peeked once."""

    plans: dict[tuple[str, int, int], Plan | Exception] = field(default_factory=dict)

    def get(self, path: Path, mappings_dir: Path | None) -> Plan:
        stat = path.stat()
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        if key not in self.plans:
            try:
                self.plans[key] = recognize(path, mappings_dir)
            except Exception as exc:  # remembered, so every asset reports the same reason
                self.plans[key] = exc
        found = self.plans[key]
        if isinstance(found, Exception):
            raise found
        return found


PLANS = PlanCache()
