"""The whole pipeline, end to end, the way `make pipeline` runs it: real Dagster, dbt, DuckDB.

Small demo data is generated into a temporary WAREHOUSE_DIR with a broken file beside it; the job
runs headless twice. The marts are checked against the raw data, and the second run must re-score
nothing and change no mart.
"""

import zipfile
from datetime import datetime

import duckdb
import pytest

import sentiment_udfs
from tests.support.pipeline import (
    REMOVED_MODEL_TABLE,
    SALESFORCE_WEEKLY_EXPORT,
    all_scores,
    snapshot_marts,
)

pytestmark = pytest.mark.pipeline


@pytest.fixture
def warehouse(pipeline_runs):
    with duckdb.connect(
        str(pipeline_runs.warehouse_dir / "warehouse.duckdb"), read_only=True
    ) as conn:
        yield conn


def test_every_interaction_is_scored_exactly_once(warehouse):
    raw, scorable = warehouse.execute(
        """select count(*), count(*) filter (where not coalesce(c.analysis_opt_out, false))
           from raw.interactions i left join raw.contacts c using (contact_id)"""
    ).fetchall()[0]
    scored, distinct_ids = warehouse.execute(
        "select count(*), count(distinct interaction_id) from scores.interaction_scores where scorer_version = $v",
        {"v": sentiment_udfs.SCORER_VERSION},
    ).fetchall()[0]
    assert raw > 1000
    assert scored == distinct_ids == scorable
    (facts,) = warehouse.execute("select count(*) from marts.fct_interactions").fetchall()[0]
    assert facts == raw


def test_nps_recomputed_from_raw_surveys_equals_the_mart(warehouse):
    promoters, detractors, responses = warehouse.execute(
        """select count(*) filter (where score >= 9), count(*) filter (where score <= 6), count(*)
           from raw.surveys where survey_type = 'nps'"""
    ).fetchall()[0]
    mart = warehouse.execute(
        "select sum(promoters), sum(detractors), sum(responses) from marts.agg_nps_trend"
    ).fetchall()[0]
    assert responses > 20
    assert mart == (promoters, detractors, responses)
    expected_nps = 100.0 * (promoters - detractors) / responses
    mart_nps = 100.0 * (mart[0] - mart[1]) / mart[2]
    assert mart_nps == pytest.approx(expected_nps)


def test_messy_rows_are_quarantined_and_every_row_accounted_for(warehouse):
    (quarantined,) = warehouse.execute("select count(*) from raw.quarantine").fetchall()[0]
    assert quarantined > 0
    unbalanced = warehouse.execute(
        """select file_name from ops.load_ledger where status = 'loaded'
           and rows_read <> rows_loaded + rows_quarantined + rows_duplicate + rows_superseded"""
    ).fetchall()
    assert unbalanced == []
    (duplicates,) = warehouse.execute("select sum(rows_duplicate) from ops.load_ledger").fetchall()[
        0
    ]
    assert duplicates > 0


def test_broken_file_is_moved_aside_with_its_reason_and_the_rest_loads(pipeline_runs, warehouse):
    rejected = pipeline_runs.warehouse_dir / "rejected"
    assert (rejected / "surveys-broken.json").exists()
    assert "surveys-broken.json" in (rejected / "surveys-broken.json.error.txt").read_text()
    assert not (pipeline_runs.warehouse_dir / "inbox" / "surveys-broken.json").exists()
    assert "surveys-broken.json" in pipeline_runs.first.stdout + pipeline_runs.first.stderr
    (surveys,) = warehouse.execute("select count(*) from raw.surveys").fetchall()[0]
    assert surveys > 0


def test_second_run_rescored_nothing_and_changed_no_mart(pipeline_runs):
    db = pipeline_runs.warehouse_dir / "warehouse.duckdb"
    second_log = pipeline_runs.second.stdout + pipeline_runs.second.stderr
    assert "interactions_scored=0, texts_scored=0" in second_log
    assert "skipping dbt build" in second_log
    assert all_scores(db) == pipeline_runs.scores_after_first
    assert snapshot_marts(db) == pipeline_runs.marts_after_first
    assert all(rows for rows in pipeline_runs.marts_after_first.values())


def test_the_first_build_dropped_the_table_of_a_model_the_project_no_longer_has(pipeline_runs):
    db = pipeline_runs.warehouse_dir / "warehouse.duckdb"
    schema, name = REMOVED_MODEL_TABLE.split(".")
    with duckdb.connect(str(db), read_only=True) as conn:
        left = conn.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            [schema, name],
        ).fetchone()[0]
        models = conn.execute(
            "select count(*) from information_schema.tables where table_schema = 'intermediate'"
        ).fetchone()[0]
    assert left == 0 and models > 10
    first_log = pipeline_runs.first.stdout + pipeline_runs.first.stderr
    assert REMOVED_MODEL_TABLE in first_log


def test_serving_snapshot_equals_the_warehouse_marts(pipeline_runs):
    serving = snapshot_marts(pipeline_runs.warehouse_dir / "serving.duckdb")
    assert serving == snapshot_marts(pipeline_runs.warehouse_dir / "warehouse.duckdb")


def test_serving_snapshot_holds_every_mart_views_included(pipeline_runs):
    def marts(db):
        with duckdb.connect(str(db), read_only=True) as conn:
            return conn.execute(
                "select table_name, table_type from information_schema.tables "
                "where table_schema = 'marts' order by 1"
            ).fetchall()

    in_warehouse = marts(pipeline_runs.warehouse_dir / "warehouse.duckdb")
    assert ("fct_account_cues_weekly", "VIEW") in in_warehouse  # the case this guards
    published = {name for name, _ in marts(pipeline_runs.warehouse_dir / "serving.duckdb")}
    assert published == {name for name, _ in in_warehouse}


VENDOR_FILES = {
    "hubspot": "hubspot-engagements-2026-01-15.json",
    # Unpacked from the weekly Data Export's ZIP (conftest), named for the member and the ZIP.
    "salesforce": f"CaseComment.{SALESFORCE_WEEKLY_EXPORT.split('.')[0]}.csv",
    "zendesk": "zendesk-export-2026-01-15.json",
    "intercom": "intercom-conversations-2026-01.json",
}


@pytest.mark.parametrize("vendor", sorted(VENDOR_FILES))
def test_vendor_exports_flow_to_the_served_marts(pipeline_runs, vendor):
    """Each vendor's interactions reach fct_interactions in serving.duckdb, scored."""
    source = VENDOR_FILES[vendor]
    with duckdb.connect(
        str(pipeline_runs.warehouse_dir / "warehouse.duckdb"), read_only=True
    ) as conn:
        ids = [
            r[0]
            for r in conn.execute(
                "select interaction_id from raw.interactions where _source_file = $f", {"f": source}
            ).fetchall()
        ]
    assert ids, f"no interactions loaded from {source}"
    with duckdb.connect(
        str(pipeline_runs.warehouse_dir / "serving.duckdb"), read_only=True
    ) as conn:
        served = conn.execute(
            "select count(*), count(compound) from marts.fct_interactions "
            "where interaction_id in (select unnest($ids))",
            {"ids": ids},
        ).fetchall()[0]
    assert served == (len(ids), len(ids))


def test_a_zipped_export_is_unpacked_and_kept_with_what_became_of_each_file(pipeline_runs):
    archives = pipeline_runs.warehouse_dir / "archives"
    assert sorted(p.name for p in archives.iterdir()) == [
        SALESFORCE_WEEKLY_EXPORT,
        f"{SALESFORCE_WEEKLY_EXPORT}.contents.txt",
    ]
    note = (archives / f"{SALESFORCE_WEEKLY_EXPORT}.contents.txt").read_text().splitlines()
    with zipfile.ZipFile(archives / SALESFORCE_WEEKLY_EXPORT) as z:
        assert len(note) == len(z.namelist()) > 0
    assert all(": unpacked as inbox/" in line for line in note)


def test_the_load_report_names_each_file_its_run_and_why(warehouse):
    """marts.fct_file_loads, built by the real run: every ledger row, with the Dagster run that
    loaded it and why each vendor file was taken for what it is."""
    report = warehouse.execute(
        "select file_name, entity, run_id, status, recognized_as, recognized_by, rows_unresolved "
        "from marts.fct_file_loads"
    ).fetchall()
    (ledger_rows,) = warehouse.execute("select count(*) from ops.load_ledger").fetchall()[0]
    assert len(report) == ledger_rows
    runs = {r[2] for r in report}
    assert len(runs) == 1 and None not in runs  # the second run loaded nothing new
    loaded = {(r[0], r[1]): r for r in report if r[3] == "loaded"}
    # Named like a canonical file, recognized by its columns as the vendor export it is.
    contacts = loaded[("contacts.csv", "contacts")]
    assert contacts[4] == "hubspot/contacts" and contacts[5].startswith("columns")
    assert loaded[("interactions.csv", "interactions")][4:6] == (
        "canonical/interactions",
        "columns (interaction_id, account_id, channel, direction, author_type, occurred_at)",
    )
    # The demo's own messages all reach their account.
    assert loaded[("interactions.csv", "interactions")][6] == 0


def test_pipeline_python_api_and_sql_functions_agree(warehouse):
    """The same text gets the same score from the pipeline, `score_texts` and `crm_score` in SQL."""
    from sentiment_udfs.duckdb import register

    stored = warehouse.execute(
        """select i.body, s.compound, s.emotion, s.churn_intent, s.sarcasm
           from scores.interaction_scores s join raw.interactions i using (interaction_id)
           where s.scorer_version = $v and not s.is_empty
           order by s.interaction_id limit 300""",
        {"v": sentiment_udfs.SCORER_VERSION},
    ).fetchall()
    assert len(stored) == 300
    records = sentiment_udfs.score_texts([body for body, *_ in stored])
    assert [
        (r["compound"], r["emotion"], r["cues"]["churn_intent"], r["cues"]["sarcasm"])
        for r in records
    ] == [tuple(row[1:]) for row in stored]
    register(warehouse)
    in_sql = warehouse.execute(
        "select crm_sentiment(body), crm_emotion(body) from (select unnest($bodies) as body)",
        {"bodies": [body for body, *_ in stored]},
    ).fetchall()
    assert in_sql == [(row[1], row[2]) for row in stored]


def test_vendor_accounts_get_a_churn_risk_from_the_starting_weights(pipeline_runs):
    """Six months of 40 demo accounts and the vendor fixtures hold too little churn to fit a model:
    the current state is scored by the starting weights, vendor accounts included, with reasons."""
    with duckdb.connect(
        str(pipeline_runs.warehouse_dir / "serving.duckdb"), read_only=True
    ) as conn:
        vendors = {
            r[0]
            for r in conn.execute(
                "select distinct split_part(account_id, '-', 1) from marts.dim_accounts "
                "where account_id similar to '(hs|zd|sf|ic)-.*'"
            ).fetchall()
        }
        scored = conn.execute(
            "select split_part(account_id, '-', 1) as prefix, churn_model, reason_1 "
            "from marts.fct_account_churn_risk"
        ).fetchall()
    assert vendors, "the vendor fixtures brought no accounts"
    assert {model for _, model, _ in scored} == {"starting weights"}
    assert vendors <= {prefix for prefix, _, _ in scored}
    assert sum(reason is not None for _, _, reason in scored) > len(scored) / 2


def test_a_lost_renewal_deal_is_a_churn_wherever_churn_is_read(pipeline_runs):
    """HubSpot records churn as a lost renewal deal, not an account event: hs-9201's renewal was
    lost on 15 Jan 2026. dim_accounts and the lifecycle stages read every account's churn by one
    rule, demo accounts (events and deals) and vendor accounts (deals only) alike, and so does
    the risk layer (no current risk for a churned account)."""
    with duckdb.connect(
        str(pipeline_runs.warehouse_dir / "serving.duckdb"), read_only=True
    ) as conn:
        rows = conn.execute(
            """select a.account_id, a.is_churned, a.churned_at, s.stage
               from marts.dim_accounts a
               left join marts.fct_account_lifecycle_stages s
                 on s.account_id = a.account_id and s.is_current"""
        ).fetchall()
        at_risk = {
            r[0]
            for r in conn.execute("select account_id from marts.fct_account_churn_risk").fetchall()
        }
    by_account = {account: (churned, at, stage) for account, churned, at, stage in rows}
    assert by_account["hs-9201"] == (True, datetime(2026, 1, 15, 16, 30), "churned")
    churned = {account for account, (is_churned, _, _) in by_account.items() if is_churned}
    in_churned_stage = {
        account for account, (_, _, stage) in by_account.items() if stage == "churned"
    }
    assert churned == in_churned_stage
    # ... and the risk layer: a churned account gets no current churn risk
    assert at_risk and not churned & at_risk
