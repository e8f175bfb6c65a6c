"""The named transforms an adapter may apply to a column, each a small SQL expression builder.

Adapters (YAML) name them; this registry turns them into DuckDB SQL that runs over the whole file
in one pass, so vendor files stream like canonical ones. Every transform takes the SQL of the
value (text), its argument from the YAML, and a ``Context`` to add parameters and resolve other
columns. A value a transform cannot convert is passed through unchanged, so the contract check
quarantines it with a clear reason instead of it silently becoming empty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Resolver = Callable[[str], str | None]


@dataclass
class Context:
    params: dict[str, object]
    resolve: Resolver  # a column path → its SQL, or None when the file lacks it
    _counter: list[int] = field(default_factory=lambda: [0])

    def param(self, value: object) -> str:
        self._counter[0] += 1
        name = f"t{len(self.params)}_{self._counter[0]}"
        self.params[name] = value
        return "$" + name


Transform = Callable[[str, Any, Context], str]
TRANSFORMS: dict[str, Transform] = {}


def transform(name: str) -> Callable[[Transform], Transform]:
    def register(fn: Transform) -> Transform:
        TRANSFORMS[name] = fn
        return fn

    return register


def json_path(path: str) -> str:
    """``a.b[0].c`` → ``$."a"."b"[0]."c"`` (keys quoted, so any key spelling works).

    >>> json_path("metadata.from.email"), json_path("companyIds[0]")
    ('$."metadata"."from"."email"', '$."companyIds"[0]')
    """
    out = "$"
    for part in path.split("."):
        key, _, index = part.partition("[")
        if key:
            out += '."' + key.replace('"', '\\"') + '"'
        if index:
            out += "[" + index
    return out


@transform("trim")
def _trim(x: str, arg: Any, ctx: Context) -> str:
    return f"nullif(trim({x}), '')"


@transform("lowercase")
def _lowercase(x: str, arg: Any, ctx: Context) -> str:
    return f"lower({x})"


@transform("uppercase")
def _uppercase(x: str, arg: Any, ctx: Context) -> str:
    return f"upper({x})"


@transform("nested_path")
def _nested_path(x: str, arg: Any, ctx: Context) -> str:
    """A value inside JSON text (a nested object or array in the record)."""
    return f"json_extract_string({x}, {ctx.param(json_path(str(arg)))})"


@transform("first")
def _first(x: str, arg: Any, ctx: Context) -> str:
    """The first element of a JSON array, or the value itself when it is not one."""
    return f"coalesce(json_extract_string(try_cast({x} as json), '$[0]'), {x})"


@transform("split_first")
def _split_first(x: str, arg: Any, ctx: Context) -> str:
    """The first item of a delimited list such as HubSpot's ``123;456`` associations."""
    return f"nullif(trim(split_part({x}, {ctx.param(str(arg or ';'))}, 1)), '')"


@transform("epoch_ms_to_timestamp")
def _epoch_ms(x: str, arg: Any, ctx: Context) -> str:
    return f"coalesce(cast(epoch_ms(try_cast(trim({x}) as bigint)) as varchar), {x})"


@transform("epoch_s_to_timestamp")
def _epoch_s(x: str, arg: Any, ctx: Context) -> str:
    micros = f"cast(try_cast(trim({x}) as double) * 1000000 as bigint)"
    return f"coalesce(cast(make_timestamp({micros}) as varchar), {x})"


@transform("parse_timestamp")
def _parse_timestamp(x: str, arg: Any, ctx: Context) -> str:
    """Vendor-specific date formats (strptime), e.g. ``%m/%d/%Y %I:%M %p``; others pass through.

    A value the loader's own cast reads (ISO 8601, offsets too) passes through untouched: trying
    every format on it first cost ten times the whole cast."""
    formats = [arg] if isinstance(arg, str) else list(arg)
    parsed = f"coalesce(cast(try_strptime(trim({x}), {ctx.param(formats)}) as varchar), {x})"
    return f"(case when try_cast(trim({x}) as timestamp) is not null then {x} else {parsed} end)"


@transform("at_utc_offset")
def _at_utc_offset(x: str, arg: Any, ctx: Context) -> str:
    """A local time the vendor writes without its offset (``"-06:00"``: Marketing Cloud keeps
    every date in US Central Standard Time, all year): the offset is added, and the loader's
    own cast converts it to UTC like any offset a file spells out."""
    return f"(case when nullif(trim({x}), '') is not null then trim({x}) || ' ' || {ctx.param(str(arg))} end)"


@transform("map_values")
def _map_values(x: str, arg: Any, ctx: Context) -> str:
    """Case-insensitive lookup; ``"*"`` is the value for anything unlisted (else: unchanged)."""
    mapping = {_key(k): v for k, v in dict(arg).items()}
    return _case_map(x, mapping, ctx, f"lower(trim({x}))", ctx.param)


@transform("map_patterns")
def _map_patterns(x: str, arg: Any, ctx: Context) -> str:
    """Like ``map_values``, by regular expression (case-insensitive, searched anywhere in the
    value, first match wins): free-form names such as an app's own event names
    (``logged-in``, ``signed_in_via_sso``) read as the contract's values."""
    mapping = {str(k): v for k, v in dict(arg).items()}
    return _case_map(
        x, mapping, ctx, "", lambda pattern: f"regexp_matches({x}, {ctx.param('(?i)' + pattern)})"
    )


def _case_map(x: str, mapping: dict, ctx: Context, subject: str, when: Callable) -> str:
    """A `case` giving each key's value where ``when(key)`` holds (of ``subject``, when given);
    the ``"*"`` key's value for anything unlisted, else the value unchanged (a null value maps
    to null)."""
    mapping = dict(mapping)
    has_default = "*" in mapping
    default = mapping.pop("*", None)
    whens = " ".join(
        f"when {when(k)} then {'null' if v is None else ctx.param(_text(v))}"
        for k, v in mapping.items()
    )
    fallback = x if not has_default else "null" if default is None else ctx.param(_text(default))
    head = f"case {subject} " if subject else "case "
    return f"({head}{whens} else {fallback} end)" if whens else fallback


def _key(value: Any) -> str:
    """YAML reads true/false/numbers as such; compare and emit them as the text a file holds."""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value).strip().lower() if not isinstance(value, (int, float)) else str(value)


def _text(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


@transform("only_if")
def _only_if(x: str, arg: Any, ctx: Context) -> str:
    """``{column: <path>, in: [..]}``: the value when the other column is one of those, else null.
    ``column`` may list alternatives (an export's label, its internal name, a JSON path): the
    first the file has is read."""
    paths = arg["column"] if isinstance(arg["column"], list) else [arg["column"]]
    other = next((sql for sql in map(ctx.resolve, map(str, paths)) if sql is not None), None)
    if other is None:
        return "null"
    values = ", ".join(ctx.param(_key(v)) for v in arg["in"])
    return f"(case when lower(trim({other})) in ({values}) then {x} end)"


@transform("boolean")
def _boolean(x: str, arg: Any, ctx: Context) -> str:
    return (
        f"(case when lower(trim({x})) in ('true', 't', 'yes', 'y', '1', 'x') then 'true' "
        f"when lower(trim({x})) in ('false', 'f', 'no', 'n', '0', '') then 'false' else {x} end)"
    )


@transform("not")
def _not(x: str, arg: Any, ctx: Context) -> str:
    return f"cast(not try_cast({_boolean(x, arg, ctx)} as boolean) as varchar)"


@transform("number")
def _number(x: str, arg: Any, ctx: Context) -> str:
    """``$1,234.50`` → ``1234.50``; text without digits passes through."""
    stripped = f"regexp_replace({x}, '[^0-9.eE+-]', '', 'g')"
    return f"coalesce(cast(try_cast({stripped} as double) as varchar), {x})"


@transform("html_to_text")
def _html_to_text(x: str, arg: Any, ctx: Context) -> str:
    """Tags out, line breaks kept, the common entities decoded: what a reader of the mail sees.

    Text with no tag and no entity is plain already and stays as written (most e-mail exports
    carry a plain-text body; the regex chain cost a second per 300k of them)."""
    text = f"regexp_replace({x}, '(?i)<br\\s*/?>|</p>|</div>|</li>', '\n', 'g')"
    text = f"regexp_replace({text}, '<[^>]*>', '', 'g')"
    for entity, char in (
        ("&nbsp;", " "),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", '"'),
        ("&#39;", "'"),
    ):
        text = f"replace({text}, '{entity}', '{char.replace(chr(39), chr(39) * 2)}')"
    text = f"replace({text}, '&amp;', '&')"
    text = f"regexp_replace({text}, '[ \\t]+', ' ', 'g')"
    text = f"regexp_replace({text}, '^\\s+|\\s+$', '', 'g')"
    return f"(case when contains({x}, '<') or contains({x}, '&') then {text} else {x} end)"


@transform("prefix")
def _prefix(x: str, arg: Any, ctx: Context) -> str:
    """Namespace ids (``zd-``), so two systems' numeric ids never collide."""
    return (
        f"(case when nullif(trim({x}), '') is not null then {ctx.param(str(arg))} || trim({x}) end)"
    )


@transform("with_columns")
def _with_columns(x: str, arg: Any, ctx: Context) -> str:
    """The value joined with other columns' (``:`` between): an id for records that carry none
    of their own, such as Intercom's data events (who, what, when)."""
    parts = [x] + [ctx.resolve(str(path)) or "null" for path in arg]
    joined = " || ':' || ".join(f"coalesce(trim(cast({p} as varchar)), '')" for p in parts)
    return f"(case when nullif(trim({x}), '') is not null then {joined} end)"


@transform("default")
def _default(x: str, arg: Any, ctx: Context) -> str:
    return f"coalesce(nullif(trim({x}), ''), {ctx.param(str(arg))})"


@transform("if_equal")
def _if_equal(x: str, arg: Any, ctx: Context) -> str:
    """``{other: <path>, then: a, else: b}``: a when the value equals the other column, else b."""
    other = ctx.resolve(str(arg["other"]))
    then, otherwise = ctx.param(str(arg["then"])), ctx.param(str(arg["else"]))
    if other is None:
        return otherwise
    return f"(case when trim({x}) = trim({other}) then {then} else {otherwise} end)"


@transform("scale")
def _scale(x: str, arg: Any, ctx: Context) -> str:
    """Multiply a number (Zendesk's good/bad → 5/1 handled by map_values first)."""
    return f"coalesce(cast(try_cast({x} as double) * {ctx.param(float(arg))} as varchar), {x})"


def apply(name: str, x: str, arg: Any, ctx: Context) -> str:
    try:
        fn = TRANSFORMS[name]
    except KeyError:
        raise ValueError(
            f"unknown transform {name!r} (expected one of {', '.join(sorted(TRANSFORMS))})"
        ) from None
    return fn(x, arg, ctx)
