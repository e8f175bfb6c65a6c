from dagster_project.lib.inbox import entity_from_name, file_hash, list_inbox, move_to_rejected


def test_entity_is_read_from_the_file_name():
    assert entity_from_name("interactions.csv") == "interactions"
    assert entity_from_name("Surveys-2026-10.ndjson") == "surveys"
    assert entity_from_name("account_events.csv") == "account_events"
    assert entity_from_name("accounts.parquet") == "accounts"
    assert entity_from_name("accountsX.csv") is None
    assert entity_from_name("export.csv") is None


def test_list_inbox_skips_hidden_and_partial_files(tmp_path):
    for name in ("b.csv", "a.csv", ".hidden.csv", "c.csv.part"):
        (tmp_path / name).write_text("x")
    assert [p.name for p in list_inbox(tmp_path)] == ["a.csv", "b.csv"]
    assert list_inbox(tmp_path / "missing") == []


def test_move_to_rejected_never_overwrites_and_says_why(tmp_path):
    rejected = tmp_path / "rejected"
    for content in ("first", "second"):
        f = tmp_path / "x.csv"
        f.write_text(content)
        digest = file_hash(f)
        target = move_to_rejected(f, rejected, f"bad {content}")
        assert not f.exists() and file_hash(target) == digest
        assert (
            target.parent / (target.name + ".error.txt")
        ).read_text().strip() == f"bad {content}"
    assert sorted(p.name for p in rejected.iterdir()) == [
        "x.1.csv",
        "x.1.csv.error.txt",
        "x.csv",
        "x.csv.error.txt",
    ]
