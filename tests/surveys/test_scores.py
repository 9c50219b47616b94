"""The arithmetic staff rely on: NPS (promoters 9–10 minus detractors 0–6, over those who
answered), CSAT (share of 4–5), averages and option shares, with skipped questions not
counted."""

import pytest

from surveys.results import Filters, average, csat, nps, survey_results
from surveys.selectors import survey_questions
from tests.surveys.conftest import make_survey, respond


def test_nps_is_promoters_minus_detractors():
    score = nps({10: 2, 9: 1, 8: 1, 5: 1})
    assert (score.promoters, score.detractors) == (60.0, 20.0)
    assert score.score == 40.0


def test_nps_bounds_and_no_answers():
    assert nps({0: 3, 6: 1}).score == -100.0
    assert nps({9: 1, 10: 4}).score == 100.0
    assert nps({7: 2, 8: 5}).score == 0.0
    assert nps({}) is None and nps({9: 0}) is None


def test_csat_is_the_share_of_four_and_five():
    assert csat({5: 1, 4: 1, 3: 1, 1: 1}) == 50.0
    assert csat({2: 3}) == 0.0 and csat({}) is None


def test_average():
    assert average({5: 1, 4: 1, 3: 1, 1: 1}) == 3.25
    assert average({}) is None


@pytest.mark.django_db
def test_results_count_only_those_who_answered_each_question():
    survey = make_survey(questions=[
        {"kind": "nps", "text": "Recommend?"},
        {"kind": "rating", "text": "Satisfied?"},
        {"kind": "single", "text": "Phone?", "choices": [("iPhone", ""), ("Android", "")]},
        {"kind": "multiple", "text": "Features?",
         "choices": [("Spot", ""), ("Futures", ""), ("Earn", "")]},
        {"kind": "matrix", "text": "Rate", "rows": [("Speed", ""), ("Charts", "")]},
    ])
    respond(survey, {1: 10, 2: 5, 3: "iPhone", 4: ["Spot", "Futures"],
                     5: {"Speed": 5, "Charts": 4}})
    respond(survey, {1: 9, 3: "iPhone", 4: ["Spot"], 5: {"Speed": 3}})
    respond(survey, {1: 3, 2: 2, 3: "Android"})
    respond(survey, {2: 4})  # skips the NPS question
    respond(survey, {}, submit=False)  # a draft counts for nothing

    results = survey_results(survey=survey, questions=survey_questions(survey),
                             filters=Filters())
    assert results.responses == 4
    q_nps, q_rating, q_phone, q_features, q_matrix = results.questions
    assert q_nps.answered == 3
    assert (q_nps.nps.promoters, q_nps.nps.detractors, q_nps.nps.score) == (66.7, 33.3, 33.3)
    assert q_nps.average == round(22 / 3, 2)
    assert [t.count for t in q_nps.tallies] == [0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1]
    assert q_rating.answered == 3 and q_rating.csat == 66.7 and q_rating.average == 3.67
    assert q_rating.nps is None and q_nps.csat is None
    assert [(t.label, t.count, t.share) for t in q_phone.tallies] == [
        ("iPhone", 2, 66.7), ("Android", 1, 33.3)]
    # Several options per respondent: shares of respondents, so they may add up past 100.
    assert q_features.answered == 2
    assert [(t.count, t.share) for t in q_features.tallies] == [(2, 100.0), (1, 50.0),
                                                                  (0, 0.0)]
    # Matrix rows: how many rated each row, and the row's average.
    assert [(t.label, t.count, t.share) for t in q_matrix.tallies] == [
        ("Speed", 2, 4.0), ("Charts", 1, 4.0)]
