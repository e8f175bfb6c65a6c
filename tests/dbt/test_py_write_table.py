"""dbt/macros/py_write_table.sql, our copy of dbt-duckdb's py_write_table: a Python model's result
that is a DuckDB relation is written without importing pyarrow, and nothing else differs."""

from __future__ import annotations

import re
import sys
from importlib.resources import files

import duckdb
import jinja2

from tests.dbt.conftest import DBT_DIR

OURS = DBT_DIR / "macros" / "py_write_table.sql"


def _macro_body(sql: str) -> str:
    found = re.search(
        r"{%\s*macro py_write_table\(.*?\)\s*-?%}(.*?){%\s*endmacro\s*%}", sql, re.DOTALL
    )
    assert found, "no py_write_table macro"
    return found.group(1)


def _without_pyarrow_import(body: str) -> str:
    """The macro with its materialize()'s opening (the pyarrow import) cut, whitespace folded."""
    head, rest = body.split("def materialize(df, con):", 1)
    return " ".join((head + rest[rest.index("tmp_name =") :]).split())


def test_only_the_pyarrow_import_differs_from_the_adapters_macro():
    adapters = files("dbt.include.duckdb").joinpath("macros", "adapters.sql").read_text()
    # A dbt-duckdb upgrade that changes its macro fails here: copy its change into ours.
    assert _without_pyarrow_import(_macro_body(OURS.read_text())) == _without_pyarrow_import(
        _macro_body(adapters)
    )


class _Relation:
    identifier = "fits"

    def __str__(self) -> str:
        return "fits"


def _materialize():
    """Our materialize() as dbt renders it for a model writing table `fits`."""
    code = jinja2.Template(_macro_body(OURS.read_text())).render(
        compiled_code="", relation=_Relation(), partitioned_by=None, sorted_by=None
    )
    namespace: dict = {}
    exec(compile(code, "py_write_table", "exec"), namespace)  # noqa: S102 - our own macro's text
    return namespace["materialize"]


def test_a_duckdb_relation_is_written_without_importing_pyarrow(monkeypatch):
    for name in [m for m in sys.modules if m == "pyarrow" or m.startswith("pyarrow.")]:
        monkeypatch.delitem(sys.modules, name)  # restored after the test
    conn = duckdb.connect()
    _materialize()(conn.sql("select 1 as fit_as_of, 0.5 as coefficient"), conn)
    assert conn.sql("select * from fits").fetchall() == [(1, 0.5)]
    assert "pyarrow" not in sys.modules


def test_a_pyarrow_table_is_still_written():
    import pyarrow

    conn = duckdb.connect()
    _materialize()(pyarrow.table({"fit_as_of": [2], "coefficient": [1.5]}), conn)
    assert conn.sql("select * from fits").fetchall() == [(2, 1.5)]
