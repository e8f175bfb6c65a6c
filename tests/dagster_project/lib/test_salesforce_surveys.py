"""Salesforce Feedback Management exports (fixtures/salesforce_surveys, from the Object Reference):
a SurveyResponse is a submission, its SurveyQuestionResponses the answers; score answers become
survey responses pointing at their submission, whose submitter is the contact."""

import shutil

import pytest

from dagster_project.lib.adapters import UnknownShapeError, recognize
from tests.support.exports import FIXTURES, load_exports


def rows(conn, sql):
    return conn.execute(sql).fetchall()


def test_score_answers_become_responses_on_their_own_scales(tmp_path):
    conn, _ = load_exports(["salesforce", "salesforce_surveys"], tmp_path)
    assert rows(
        conn,
        "select response_id, submission_id, contact_id, survey_type, score, scale_min, scale_max "
        "from raw.surveys order by 1",
    ) == [
        ("sf-0Lz5e0000001AAA", "sf-0Ly5e0000001AAA", None, "nps", 3.0, 0, 10),
        ("sf-0Lz5e0000001AAC", "sf-0Ly5e0000001AAA", None, "csat", 2.0, 1, 5),
        ("sf-0Lz5e0000001BBA", "sf-0Ly5e0000001BBB", None, "nps", 8.0, 0, 10),
        # A rating answer without NumberValue: its ResponseValue.
        ("sf-0Lz5e0000001BBB", "sf-0Ly5e0000001BBB", None, "csat", 5.0, 1, 5),
    ]
    assert rows(
        conn,
        "select submission_id, contact_id, submitted_at::varchar from raw.survey_submissions "
        "order by 1",
    ) == [
        ("sf-0Ly5e0000001AAA", "sf-0035e00000C1CCC", "2026-01-06 09:04:00"),
        ("sf-0Ly5e0000001BBB", "sf-0035e00000C1CCC", "2026-01-20 15:02:00"),
    ]
    # The free-text answer is a record of the file holding no score: counted as skipped.
    assert rows(
        conn,
        "select records_read, records_mapped, records_skipped, rows_loaded from ops.load_ledger "
        "where file_name = 'SurveyQuestionResponse.csv'",
    ) == [(5, 4, 1, 4)]


def test_question_responses_without_the_question_type_are_rejected_naming_it(tmp_path):
    path = tmp_path / "SurveyQuestionResponse.csv"
    lines = (
        (FIXTURES / "salesforce_surveys" / "SurveyQuestionResponse.csv").read_text().splitlines()
    )
    # The weekly Data Export: no relationship fields.
    header = lines[0].split(",")
    keep = [i for i, c in enumerate(header) if "Question." not in c]
    path.write_text(
        "\n".join(",".join(line.split(",")[i] for i in keep) for line in lines[:2]) + "\n"
    )
    with pytest.raises(UnknownShapeError) as err:
        recognize(path)
    assert "closest is salesforce surveyquestionresponse" in str(err.value)
    assert "missing column 'Question.QuestionType'" in str(err.value)


def test_a_survey_response_named_anything_is_recognized(tmp_path):
    path = tmp_path / "surveys.csv"  # the canonical name: the columns still decide
    shutil.copy(FIXTURES / "salesforce_surveys" / "SurveyResponse.csv", path)
    assert recognize(path).source == "salesforce/surveyresponse"
