"""Turn an adapter's outputs for one entity into one SQL select over the file read by ``readers``.

The select yields the contract's columns as text plus ``_source_row``/``_sub`` (record number and,
for exploded arrays, the element's position), ``_version`` (the record's updated timestamp, text)
and ``_raw`` (the record as read; ``Stage.raw_text`` turns it into the JSON text a quarantined row
keeps, so only rows that are quarantined pay for that).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dagster_project.lib.adapters import ColumnSpec, Output, Plan, norm
from dagster_project.lib.contract import ENTITIES
from dagster_project.lib.readers import FileTable
from dagster_project.lib.transforms import Context, apply, json_path


class MissingColumnError(Exception):
    """A required contract column has no source column in the file."""


@dataclass(frozen=True)
class Stage:
    """The select producing every row of one entity a file holds."""

    select: str
    params: dict[str, object]
    raw_text: str  # SQL of the row's ``_raw`` as JSON text (for quarantined rows only)


def _q(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


@dataclass
class _Resolver:
    by_norm: dict[str, str]
    params: dict[str, object]
    file_name: str
    item: str | None = None  # SQL of the exploded element, when exploding

    def file_column(self, path: str) -> str | None:
        """A file column by (normalized) name, or a path into a JSON-valued column."""
        if norm(path) in self.by_norm:
            return "f." + _q(self.by_norm[norm(path)])
        head = path.split(".", 1)[0].split("[", 1)[0]
        if head != path and norm(head) in self.by_norm:
            rest = path[len(head) :].lstrip(".")
            name = f"jp{len(self.params)}"
            self.params[name] = json_path(rest)
            return f"json_extract_string(f.{_q(self.by_norm[norm(head)])}, ${name})"
        return None

    def __call__(self, path: str) -> str | None:
        if path.startswith("^."):
            return self.file_column(path[2:])
        if self.item is not None:
            name = f"jp{len(self.params)}"
            self.params[name] = json_path(path)
            return f"json_extract_string({self.item}, ${name})"
        return self.file_column(path)


def _column_sql(spec: ColumnSpec, resolve: _Resolver, params: dict[str, object]) -> str | None:
    """SQL text value of one column spec, or of its ``otherwise`` where it gives none; None when
    neither's sources exist in the file."""
    expr = _own_column_sql(spec, resolve, params)
    if spec.otherwise is None:
        return expr
    fallback = _column_sql(spec.otherwise, resolve, params)
    if expr is None or fallback is None:
        return expr or fallback
    return f"coalesce(nullif(trim({expr}), ''), {fallback})"


def _own_column_sql(spec: ColumnSpec, resolve: _Resolver, params: dict[str, object]) -> str | None:
    ctx = Context(params, resolve)
    if spec.const is not None:
        expr = ctx.param(
            str(spec.const).lower() if isinstance(spec.const, bool) else str(spec.const)
        )
    elif spec.file_name is not None:
        expr = ctx.param(_from_file_name(spec.file_name, resolve.file_name))
    else:
        found = [s for s in (resolve(p) for p in spec.sources) if s is not None]
        if not found:
            return None if spec.default is None else ctx.param(_text(spec.default))
        expr = (
            found[0]
            if len(found) == 1
            else "coalesce(" + ", ".join(f"nullif(trim({s}), '')" for s in found) + ")"
        )
    for name, arg in spec.transforms:
        expr = apply(name, expr, arg, ctx)
    if spec.default is not None:
        expr = f"coalesce(nullif(trim({expr}), ''), {ctx.param(_text(spec.default))})"
    return expr


def _from_file_name(pattern: str, file_name: str) -> str:
    """The value a file's name carries (the API's ticket comments name no ticket: its URL did)."""
    match = re.search(pattern, file_name, flags=re.IGNORECASE)
    if not match:
        raise MissingColumnError(
            f"{file_name}: expected the file name to match {pattern!r}: its records do not say "
            "which record they belong to, so the name must (e.g. zendesk-ticket-123-comments.json)"
        )
    return match.group(1)


def _text(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _where_sql(where: dict | list[dict], resolve: _Resolver, params: dict[str, object]) -> str:
    """SQL keeping the records the filter keeps; a list of filters keeps records passing all,
    ``{any: [...]}`` those passing one.

    A filter tests one column: ``in`` / ``not_in`` a list of values, ``contains`` one of a list
    of words (case-insensitive, from the start of a word: "demo" finds "Product Demo" and
    "demonstration"), or ``present: true``."""
    if isinstance(where, list):
        tests = [_where_sql(w, resolve, params) for w in where]
        return "false" if "false" in tests else " and ".join(f"({t})" for t in tests)
    if "any" in where:
        tests = [t for t in (_where_sql(w, resolve, params) for w in where["any"]) if t != "false"]
        return " or ".join(f"({t})" for t in tests) if tests else "false"
    paths = where["column"] if isinstance(where["column"], list) else [where["column"]]
    column = next((c for c in (resolve(str(p)) for p in paths) if c is not None), None)
    if column is None:  # every record lacks the value: none is in a list, all are not in it
        return "true" if "not_in" in where else "false"
    if "in" in where or "not_in" in where:
        values = [str(v).lower() for v in where.get("in", where.get("not_in"))]
        names = [_param(params, v) for v in values]
        test = f"lower(trim({column})) in ({', '.join(names)})"
        return test if "in" in where else f"coalesce(not {test}, true)"
    if "contains" in where:
        words = "|".join(re.escape(str(w)) for w in where["contains"])
        pattern = _param(params, r"(?i)\b(?:" + words + ")")
        return f"coalesce(regexp_matches({column}, {pattern}), false)"
    return f"nullif(trim({column}), '') is not null"


def _param(params: dict[str, object], value: object) -> str:
    name = f"w{len(params)}"
    params[name] = value
    return "$" + name


def output_select(
    plan: Plan,
    output: Output,
    file: FileTable,
    file_name: str,
    params: dict[str, object],
    raw_as_struct: bool = False,
) -> str:
    """One select for one output of the plan (the loader unions them per entity).

    ``_raw`` is JSON text, except with ``raw_as_struct`` for a file of columns: a struct of them,
    which costs nothing to carry and becomes JSON (``to_json``) only for the rows that need it.
    """
    entity = ENTITIES[output.entity]
    by_norm: dict[str, str] = {}
    for c in file.columns:
        by_norm.setdefault(norm(c), c)
    resolve = _Resolver(by_norm, params, file_name)
    source = f"{file.relation} f"
    sub = "0"
    raw = "struct_pack(" + ", ".join(f"{_q(c)} := f.{_q(c)}" for c in file.columns) + ")"
    if file.is_json:
        raw = "f._raw_row"
    elif not raw_as_struct:
        raw = f"to_json({raw})"
    where = None
    if output.explode:
        if raw_as_struct:
            raise ValueError("an exploded output's raw row is its element, JSON text already")
        array = resolve.file_column(output.explode)
        if array is None:
            # An export without the array holds none of these rows (Zendesk's admin CSV and
            # its incremental tickets API carry no comments): the output is empty.
            where = "false"
        else:
            source = (
                f"{file.relation} f, lateral (select unnest(_l) as _item, "
                "generate_subscripts(_l, 1) as _sub "
                f"from (select json_extract(try_cast({array} as json), '$[*]') as _l)) u"
            )
            resolve.item, sub, raw = "u._item", "u._sub", "u._item::varchar"
    if output.where and where is None:
        where = _where_sql(output.where, resolve, params)
    # A filter on a column the file lacks keeps no record (a Zendesk export without
    # satisfaction ratings holds no surveys): then the output is empty, not a missing column.
    empty = where == "false"
    exprs = {}
    for column in entity.columns:
        spec = output.columns.get(column.name)
        exprs[column.name] = _column_sql(spec, resolve, params) if spec else None
    for column in entity.columns:
        # A column required unless a link is given is missing only when every link is too.
        if (
            column.required
            and not empty
            and all(exprs[c] is None for c in (column.name, *column.unless))
        ):
            spec = output.columns.get(column.name)
            expected = ", ".join(spec.sources) if spec and spec.sources else column.name
            also = (
                f" (or a {' or '.join(column.unless)} to find it through)" if column.unless else ""
            )
            raise MissingColumnError(
                f"{file_name}: missing required column {expected!r} for {output.entity}.{column.name}"
                f"{also} ({plan.shape.label}; expected columns "
                + ", ".join(_expected(output, c) for c in entity.required_columns)
                + f"; found {', '.join(file.columns) or 'none'})"
            )
    if plan.shape.namespace:
        # Vendor ids carry the vendor's prefix, so two systems' "123" never meet.
        ctx = Context(params, resolve)
        for name, expr in exprs.items():
            if name.endswith("_id") and expr is not None:
                exprs[name] = apply("prefix", expr, plan.shape.namespace + "-", ctx)
    selects = [
        f"cast({exprs[c.name] or 'null'} as varchar) as {_q(c.name)}" for c in entity.columns
    ]
    version = _column_sql(output.updated_at, resolve, params) if output.updated_at else None
    select = (
        f"select f._row as _source_row, {sub} as _sub, {', '.join(selects)}, "
        f"cast({version or 'null'} as varchar) as _version, {raw} as _raw from {source}"
        + (f" where {where}" if where else "")
    )
    return select


def _expected(output: Output, column: str) -> str:
    spec = output.columns.get(column)
    return spec.sources[0] if spec and spec.sources else column


def stage_sql(plan: Plan, entity: str, file: FileTable, file_name: str) -> Stage:
    """The select producing every row of ``entity`` this file holds, and its parameters."""
    params: dict[str, object] = dict(file.params)
    outputs = [o for o in plan.shape.outputs if o.entity == entity]
    if not outputs:
        raise MissingColumnError(f"{file_name}: {plan.shape.label} holds no {entity}")
    if len(outputs) == 1:
        struct = not file.is_json and not outputs[0].explode
        select = output_select(plan, outputs[0], file, file_name, params, raw_as_struct=struct)
        return Stage(select, params, "to_json(_raw)::varchar" if struct else "_raw::varchar")
    selects = [output_select(plan, o, file, file_name, params) for o in outputs]
    # Several outputs feed the entity (a conversation's opening message and its parts):
    # number the elements apart so each row keeps a distinct (_source_row, _sub).
    union = " union all ".join(
        f"select *, {i} as _output from ({s})" for i, s in enumerate(selects)
    )
    return Stage(
        f"select * exclude (_output) replace (_sub + _output * 1000000 as _sub) from ({union})",
        params,
        "_raw::varchar",
    )
