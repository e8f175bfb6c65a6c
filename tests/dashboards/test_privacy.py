"""Personal data by role, where it leaves dashboards.data (masking rules, roles file, Voices)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboards.data import voices
from dashboards.data.privacy import (
    HIDDEN_TEXT,
    NOBODY,
    mask_email,
    mask_text,
    policy_for,
)
from dashboards.filters import Filters
from tests.dashboards.serving_fixture import OWNER_OLIVIA, OWNER_SAM, TEXT_SECRETS

# (text, masked) — labelled cases, kept as data.
MASKING_CASES = [
    ("Mail me at ana.lopez@example.org today", "Mail me at [email] today"),
    ("Call +1 415 555 0199 after 5", "Call [phone] after 5"),
    ("Ring 030 1234 5678 please", "Ring [phone] please"),
    ("Hello Grace, thanks for the quick fix", "Hello [name], thanks for the quick fix"),
    ("Dear Mr Smith", "Dear [name]"),
    ("The invoice for March is wrong.", "The invoice for March is wrong."),
    ("Please ask Jordan Lee about the renewal.", "Please ask [name] about the renewal."),
    ("Best,\nSamira", "Best,\n[name]"),
    ("Order 48213 shipped on 2024-01-15", "Order 48213 shipped on 2024-01-15"),
]


@pytest.mark.parametrize(("text", "masked"), MASKING_CASES)
def test_mask_text(text: str, masked: str) -> None:
    assert mask_text(text) == masked


def test_mask_email_keeps_the_domain_only() -> None:
    assert mask_email(OWNER_SAM) == "s•••@vendor.example"


def test_roles_file_policies() -> None:
    assert policy_for("leader").text == "none"
    assert policy_for("analyst").text == "masked"
    assert policy_for("agent", OWNER_SAM).owner == OWNER_SAM
    assert policy_for("intruder") == NOBODY
    assert policy_for(None) == NOBODY


def _texts(serving_db: Path, policy) -> dict[str, tuple[str, str, str]]:
    rows = voices.latest_texts(serving_db, Filters(), policy)
    return {r.interaction_id: (r.account, r.owner, r.text) for r in rows.itertuples(index=False)}


def test_leader_sees_account_names_but_no_text(serving_db: Path) -> None:
    shown = _texts(serving_db, policy_for("leader"))
    assert set(shown) == {"i1", "i2"}, "the opted-out contact's text is not even a row"
    assert {text for _, _, text in shown.values()} == {HIDDEN_TEXT}
    assert shown["i1"][0] == "Account 3"
    assert shown["i1"][1] == "s•••@vendor.example"


def test_analyst_sees_texts_with_personal_details_masked(serving_db: Path) -> None:
    shown = _texts(serving_db, policy_for("analyst"))
    everything = repr(voices.latest_texts(serving_db, Filters(), policy_for("analyst")).to_dict())
    for secret in (*TEXT_SECRETS, OWNER_OLIVIA, OWNER_SAM):
        assert secret not in everything, secret
    assert shown["i1"][2].startswith("Hi [name], the export failed again. Call me on [phone]")


def test_agent_sees_the_full_text_of_own_accounts_only(serving_db: Path) -> None:
    shown = _texts(serving_db, policy_for("agent", OWNER_SAM))
    assert "Tom Baker" in shown["i1"][2] and "jo.doe@acme.example" in shown["i1"][2]  # A4: Sam's
    assert shown["i2"][2] == HIDDEN_TEXT  # A1 belongs to Olivia
    assert shown["i1"][1] == OWNER_SAM


def test_a_roles_file_can_open_analysts_up(
    serving_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    roles = tmp_path / "roles.yaml"
    roles.write_text("analyst:\n  text: full\n  owner_emails: true\n  account_names: true\n")
    monkeypatch.setenv("DASHBOARD_ROLES_FILE", str(roles))
    shown = _texts(serving_db, policy_for("analyst"))
    assert "Priya Shah" in shown["i2"][2] and shown["i2"][1] == OWNER_OLIVIA


def test_opted_out_texts_are_only_counted(serving_db: Path) -> None:
    assert voices.counts(serving_db, Filters()) == voices.VoiceCounts(texts=2, withheld=1)
    assert voices.counts(serving_db, Filters(segment=("at_risk",))) == voices.VoiceCounts(1, 1)
