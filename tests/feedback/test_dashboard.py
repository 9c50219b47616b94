"""The staff dashboard: who sees it, what it counts, how it draws, and what it costs."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from feedback import reports
from feedback.dashboard import nice_step, week_chart
from feedback.models import FeedbackItem, Team
from tests.factories import UserFactory
from tests.feedback import test_export as export_tests

pytestmark = pytest.mark.django_db

URL = "/en/feedback/dashboard/"

# The export tests' data: the demo taxonomy, an analyst, four varied items.
report_taxonomy = export_tests.report_taxonomy
analyst = export_tests.analyst
analyst_client = export_tests.analyst_client
items = export_tests.items
submit = export_tests.submit


@pytest.fixture
def staff_client(report_taxonomy):
    """Staff without the export permission (a client of its own, beside analyst_client)."""
    client = Client()
    client.force_login(UserFactory(is_staff=True))
    return client


def summary_for(user, **filters) -> reports.DashboardSummary:
    return reports.dashboard_summary(user=user, filters=reports.ReportFilters(**filters))


# --- Who may ----------------------------------------------------------------------------------

def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(f"/en/accounts/login/?next={URL}")


def test_users_who_are_not_staff_are_refused(client, report_taxonomy):
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 403


def test_the_selector_refuses_them_too(report_taxonomy):
    with pytest.raises(PermissionDenied):
        summary_for(UserFactory())


def test_staff_see_it_and_only_analysts_get_the_download_link(staff_client, analyst_client,
                                                                items):
    staff_html = staff_client.get(URL).content.decode()
    analyst_html = analyst_client.get(URL).content.decode()
    assert "Feedback dashboard" in staff_html
    assert "/en/feedback/export/download/" not in staff_html
    assert "/en/feedback/export/download/" in analyst_html


# --- What it counts ---------------------------------------------------------------------------

def test_summary_numbers(analyst, items):
    summary = summary_for(analyst)
    assert summary.total == 4
    assert summary.votes == 7 + 1  # the board idea carries its author's own vote
    assert summary.by_sentiment == {"positive": 1, "neutral": 1, "negative": 2, "": 0}
    assert summary.unrouted == 0 and summary.no_area == 1
    teams = {t.key: t.value for t in summary.teams}
    assert teams == {"trading": 2, "wallet": 1, "mobile": 1, "customer-service": 1,
                     "security": 0}
    assert [t.key for t in summary.teams][:1] == ["trading"]  # most first
    areas = {a.key: a.value for a in summary.areas}
    assert areas == {"wallet": 1, "mobile-app": 1, "trading": 1, "security": 0, "account": 0}
    assert {t.key: t.value for t in summary.tags} == {
        "fees": 1, "withdrawal": 1, "app-crash": 1, "trading-bots": 1}


def test_weeks_cover_the_last_twelve_by_sentiment(analyst, items):
    summary = summary_for(analyst)
    today = timezone.localdate()
    assert len(summary.weeks) == 12
    assert summary.weeks[-1].start == today - timedelta(days=today.weekday())
    assert all(week.start.weekday() == 0 for week in summary.weeks)
    current = summary.weeks[-1]
    assert (current.by_sentiment["negative"], current.by_sentiment["positive"]) == (2, 1)
    forty_days_ago = today - timedelta(days=40)
    week = next(w for w in summary.weeks
                if w.start <= forty_days_ago < w.start + timedelta(days=7))
    assert week.by_sentiment["neutral"] == 1
    assert sum(w.total for w in summary.weeks) == 4


def test_weeks_end_with_the_filters_end_date(analyst, items):
    end = timezone.localdate() - timedelta(days=35)
    summary = summary_for(analyst, date_to=end)
    assert summary.weeks[-1].start == end - timedelta(days=end.weekday())
    assert summary.total == 1 and sum(w.total for w in summary.weeks) == 1


def test_filters_apply_to_every_chart(analyst, items):
    summary = summary_for(analyst, team=Team.objects.get(slug="trading"))
    assert summary.total == 2
    assert {t.key: t.value for t in summary.tags} == {"fees": 1, "withdrawal": 1,
                                                      "trading-bots": 1}
    assert sum(w.total for w in summary.weeks) == 2


def test_filters_from_the_query_string(analyst_client, items):
    html = analyst_client.get(f"{URL}?language=zh-hans&sentiment=negative").content.decode()
    assert re.search(r'report-kpi-value">1<', html)


def test_bad_filters_are_explained(analyst_client, items):
    response = analyst_client.get(f"{URL}?date_from=2025-03-01&date_to=2025-02-01&team=x")
    assert response.status_code == 400
    html = response.content.decode()
    assert "The end date is before the start date." in html
    assert "There is no team “x”." in html
    assert "<svg" not in html.split("<main", 1)[1].split("</main>")[0].replace(
        'class="button"', "")  # no charts, only the form


# --- How it draws -----------------------------------------------------------------------------

def test_charts_are_accessible_svg_with_tables(analyst_client, items):
    html = analyst_client.get(URL).content.decode()
    charts = re.findall(r'<svg class="report-(?:bars|columns)"[^>]*role="img"[^>]*>', html)
    assert len(charts) == 4
    for chart_id in ("weeks", "teams", "areas", "tags"):
        assert f'<title id="chart-{chart_id}-title">' in html
        assert f'<desc id="chart-{chart_id}-desc">' in html
    assert html.count('<details class="report-table">') == 4
    assert html.count("<table>") == 4
    assert "Wallet &amp; payments: 1" in html  # text labels in the SVG description
    assert "<script" not in html.split("<main", 1)[1].split("</main>")[0]


def test_week_chart_layout():
    weeks = [reports.Week(start=date(2025, 1, 6) + timedelta(weeks=n),
                          by_sentiment={"negative": n, "positive": 1, "neutral": 0, "": 0})
             for n in range(12)]
    chart = week_chart(weeks=weeks)
    assert [tick.value for tick in chart.ticks] == [0, 5, 10, 15, 20]
    last = chart.columns[-1]
    assert [s.sentiment for s in last.segments] == ["negative", "positive"]
    assert sum(s.height for s in last.segments) == pytest.approx(200 * 12 / 20)
    assert last.x + last.width < 100


@pytest.mark.parametrize(("largest", "step"), [
    (0, 1), (3, 1), (4, 1), (5, 2), (9, 5), (20, 5), (21, 10), (399, 100), (1234, 500)])
def test_nice_step(largest, step):
    assert nice_step(largest) == step


def test_empty_dashboard(analyst_client, report_taxonomy):
    html = analyst_client.get(URL).content.decode()
    assert "No feedback matches these filters." in html


# --- Cost -------------------------------------------------------------------------------------

def count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_rows(analyst_client, items):
    analyst_client.get(URL)  # from then on the bell's unread count is cached
    few = count_queries(analyst_client)
    for number in range(12):
        submit(title=f"Deposit number {number} is slow", area="wallet", days_ago=number * 6,
               tags=["kyc", "login"] if number % 2 else ["api"],
               status=FeedbackItem.Status.SHIPPED)
    assert count_queries(analyst_client) == few
