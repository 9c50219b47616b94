"""The staff's results page and CSV export: staff only (a 404 for anyone else), SVG charts
with counts and percentages, NPS and CSAT figures, responses per day, filters by date and
language, written answers with search, and a fixed number of queries whatever the number of
responses. The export: one row per response, one column per question (matrix rows apart),
cells escaped, streamed."""

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import UserFactory
from tests.surveys.conftest import HAPPY, form_data, question, respond

pytestmark = pytest.mark.django_db

RESULTS = "/en/surveys/mobile-app/results/"
EXPORT = "/en/surveys/mobile-app/results/export.csv"


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True))
    return client


@pytest.mark.parametrize("url", [RESULTS, EXPORT])
def test_results_and_export_are_staff_only(client, user, app_survey, url):
    assert client.get(url).status_code == 404
    client.force_login(user)
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(is_staff=True, is_active=False))
    assert client.get(url).status_code == 404


def test_the_results_page_draws_the_answers(staff_client, app_survey):
    respond(app_survey, HAPPY)
    respond(app_survey, {**HAPPY, 1: 3, 2: 2, 3: "Android", 5: "Yes",
                         6: "Crashed while placing an order", 8: "Faster charts please"},
            language="zh-hans")
    page = staff_client.get(RESULTS).content.decode()
    assert '<p class="report-kpi-value" data-testid="responses">2</p>' in page
    q1, q2 = question(app_survey, 1), question(app_survey, 2)
    assert f'data-testid="nps-{q1.pk}">0</p>' in page  # one promoter, one detractor
    assert f'data-testid="csat-{q2.pk}">50%</p>' in page
    # The phone question's chart: an accessible SVG with the counts written out.
    q3 = question(app_survey, 3)
    chart = page[page.index(f'id="result-{q3.pk}"'):]
    chart = chart[:chart.index("</figure>")]
    assert f'<title id="chart-{q3.pk}-title">Which phone do you use?</title>' in chart
    assert ">iPhone</text>" in chart and ">1 (50.0%)</text>" in chart
    assert 'width="50.0%"' in chart
    assert "Crashed while placing an order" in page and "Faster charts please" in page
    assert "Responses per day" in page


def test_filters_by_language_and_date(staff_client, app_survey):
    old = timezone.now() - timedelta(days=10)
    respond(app_survey, {**HAPPY, 8: "old english"}, submitted_at=old)
    respond(app_survey, {**HAPPY, 8: "new chinese"}, language="zh-hans")
    page = staff_client.get(RESULTS, {"language": "zh-hans"}).content.decode()
    assert 'data-testid="responses">1<' in page
    assert "new chinese" in page and "old english" not in page
    since = (timezone.now() - timedelta(days=2)).date().isoformat()
    page = staff_client.get(RESULTS, {"start": since}).content.decode()
    assert 'data-testid="responses">1<' in page and "old english" not in page
    until = (old + timedelta(days=1)).date().isoformat()
    page = staff_client.get(RESULTS, {"end": until}).content.decode()
    assert 'data-testid="responses">1<' in page and "old english" in page


def test_bad_filters_are_said_and_ignored(staff_client, app_survey):
    respond(app_survey, {**HAPPY, 8: "still listed"})
    for params in ({"start": "yesterday"}, {"language": "xx"}, {"start": "2026-02-30"},
                   {"end": "2026-04-01", "start": "2026-05-01"}, {"page": "zz"}):
        response = staff_client.get(RESULTS, params)
        assert response.status_code == 200, params
        page = response.content.decode()
        # The bad filter counts for nothing: the one (recent) response is still counted.
        assert 'data-testid="responses">1<' in page and "still listed" in page, params
    page = staff_client.get(RESULTS, {"start": "2026-05-01", "end": "2026-04-01"}) \
        .content.decode()
    assert "The end comes before the start." in page
    assert "Enter a valid date." in staff_client.get(RESULTS, {"start": "yesterday"}) \
        .content.decode()


def test_responses_per_day_are_drawn_with_the_quiet_days(staff_client, app_survey):
    now = timezone.now()
    for days_ago in (2, 2, 0):
        respond(app_survey, HAPPY, submitted_at=now - timedelta(days=days_ago))
    page = staff_client.get(RESULTS).content.decode()
    chart = page[page.index('<svg class="survey-columns"'):]
    chart = chart[:chart.index("</svg>")]
    # One column per day from the first to the last, the busiest as high as the plot.
    heights = re.findall(r'<rect class="report-fill"[^>]* height="(\d+)"><title>[^<]*: (\d+)<',
                         chart)
    assert heights == [("160", "2"), ("0", "0"), ("80", "1")]


def test_written_answers_are_searched_and_paginated(staff_client, app_survey):
    for n in range(22):
        respond(app_survey, {**HAPPY, 8: f"note number {n}"})
    respond(app_survey, {**HAPPY, 8: "请增加深色模式"})
    page = staff_client.get(RESULTS, {"q": "深色"}).content.decode()
    assert "请增加深色模式" in page and "note number" not in page
    first = staff_client.get(RESULTS).content.decode()
    assert first.count("<blockquote") == 20 and "Page 1 of 2" in first
    second = staff_client.get(RESULTS, {"page": 2}).content.decode()
    assert second.count("<blockquote") == 3


def test_the_results_page_runs_a_fixed_number_of_queries(
        staff_client, app_survey, django_assert_num_queries):
    respond(app_survey, {**HAPPY, 8: "first"})
    staff_client.get(RESULTS)  # from then on the bell's unread count is cached
    # user, the menu's two permission queries (the session and unread count come from the
    # cache); survey + translations; questions, options and rows with translations; answered
    # per question, counts per value, responses per day; written answers: count and page
    with django_assert_num_queries(16):
        assert staff_client.get(RESULTS).status_code == 200
    for n in range(15):
        respond(app_survey, {**HAPPY, 5: "Yes", 6: f"crash {n}", 8: f"note {n}"},
                language="zh-hans" if n % 2 else "en",
                submitted_at=timezone.now() - timedelta(days=n))
    with django_assert_num_queries(16):
        assert staff_client.get(RESULTS, {"language": "en", "q": "note"}).status_code == 200


def read_csv(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_the_export_has_a_row_per_response_and_a_column_per_question(staff_client,
                                                                    app_survey):
    alice = UserFactory(username="alice")
    first = respond(app_survey, {**HAPPY, 8: "=cmd()"}, user=alice,
                    submitted_at=datetime(2026, 3, 1, 12, 30, tzinfo=UTC))
    second = respond(app_survey, {1: 0, 2: 1, 5: "Yes", 6: "+SUM(A1)", 7: {"Charts": 2}},
                     language="zh-hans")
    respond(app_survey, HAPPY, submit=False)  # drafts are not exported
    response = staff_client.get(EXPORT)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    header, *rows = read_csv(response)
    assert header == [
        "response", "submitted at (UTC)", "language", "user",
        "Q1. How likely are you to recommend the OKX app?",
        "Q2. How satisfied are you with the app?", "Q3. Which phone do you use?",
        "Q4. Which features do you use?", "Q5. Did the app crash last month?",
        "Q6. What were you doing when it crashed?",
        "Q7. Rate these parts of the app — Speed", "Q7. Rate these parts of the app — Charts",
        "Q8. Anything else?"]
    assert rows == [
        [str(first.pk), "2026-03-01 12:30:00", "en", "alice", "9", "5", "iPhone",
         "Spot; Earn", "No", "", "4", "5", "'=cmd()"],
        [str(second.pk), second.submitted_at.strftime("%Y-%m-%d %H:%M:%S"), "zh-hans",
         second.user.username, "0", "1", "", "", "Yes", "'+SUM(A1)", "", "2", ""],
    ]


def test_the_export_follows_the_filters_and_names_anonymous_respondents(
        staff_client, app_survey):
    assert Client().post("/en/surveys/mobile-app/", form_data(app_survey, HAPPY)) \
        .status_code == 302
    respond(app_survey, HAPPY, language="zh-hans")
    header, *rows = read_csv(staff_client.get(EXPORT, {"language": "en"}))
    assert [row[3] for row in rows] == ["anonymous"]


def test_the_export_streams_in_batches(staff_client, app_survey, monkeypatch):
    """Responses are read a batch at a time while the download goes out: nothing is read
    before the body is consumed, and a batch is two queries (responses, their answers)."""
    monkeypatch.setattr("surveys.export.BATCH", 2)
    for n in range(5):
        respond(app_survey, {**HAPPY, 8: f"note {n}"})
    response = staff_client.get(EXPORT)
    with CaptureQueriesContext(connection) as captured:
        header, *rows = read_csv(response)
    assert [row[-1] for row in rows] == [f"note {n}" for n in range(5)]
    assert len(captured) == 3 * 2 + 1  # three batches, then an empty one
