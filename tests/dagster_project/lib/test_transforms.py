"""The lookups an adapter maps a vendor's values with, run in DuckDB as the loader runs them."""

import duckdb
import pytest

from dagster_project.lib.transforms import Context, apply


def _mapped(name: str, arg: dict, values: list[str | None]) -> list[str | None]:
    """Each value through the transform, in one query over a column `v`."""
    ctx = Context(params={}, resolve=lambda path: None)
    sql = apply(name, "v", arg, ctx)
    with duckdb.connect() as conn:
        rows = conn.execute(
            f"select {sql} from (select unnest($values) as v, generate_subscripts($values, 1) as i) "
            "order by i",
            {**ctx.params, "values": values},
        ).fetchall()
    return [r[0] for r in rows]


def test_map_values_looks_up_case_and_space_insensitively_and_leaves_the_rest() -> None:
    arg = {"SENT": "email_sent", "Open": "email_open", "bounce": None}
    assert _mapped("map_values", arg, [" sent", "OPEN", "Bounce", "click", None]) == [
        "email_sent",
        "email_open",
        None,
        "click",
        None,
    ]


def test_map_values_default_takes_anything_unlisted() -> None:
    arg = {"INCOMING_EMAIL": "inbound", "*": "outbound"}
    assert _mapped("map_values", arg, ["incoming_email", "EMAIL", "NOTE"]) == [
        "inbound",
        "outbound",
        "outbound",
    ]
    assert _mapped("map_values", {"yes": "true", "*": None}, ["YES", "maybe"]) == ["true", None]


def test_map_patterns_searches_anywhere_first_match_wins() -> None:
    arg = {"log(ged)?[-_ ]?in|sign(ed)?[-_ ]?in": "login", "feature|used": "feature_used"}
    assert _mapped(
        "map_patterns", arg, ["Logged-In", "signed_in_via_sso", "used-feature", "invited"]
    ) == ["login", "login", "feature_used", "invited"]
    assert _mapped("map_patterns", {"^demo": "demo_attended", "*": None}, ["Demo call", "x"]) == [
        "demo_attended",
        None,
    ]


@pytest.mark.parametrize("name", ["map_values", "map_patterns"])
def test_only_a_default_maps_every_value_to_it(name: str) -> None:
    assert _mapped(name, {"*": "other"}, ["a", "b"]) == ["other", "other"]
