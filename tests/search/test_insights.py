"""Search insights: the log keeps words, never people, and staff read the top searches and the
searches that found nothing, per language and period, in the admin (and only staff)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from search.insights import (
    search_queries_top,
    search_query_log,
    search_text_normalise,
)
from search.models import SearchQuery
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INSIGHTS = "/admin/search/searchquery/insights/"
CHANGELIST = "/admin/search/searchquery/"


def log(text: str, *, language: str = "en", results: int = 3, days_ago: int = 0) -> None:
    row = search_query_log(text=text, language=language, results=results)
    if days_ago:
        SearchQuery.objects.filter(pk=row.pk).update(
            created_at=timezone.now() - timedelta(days=days_ago))


@pytest.mark.parametrize(("typed", "kept"), [
    ("  Withdrawal   STUCK\n", "withdrawal stuck"),
    ("提现  失败", "提现 失败"),
    ("my uid 123456789 and Bob@Example.com", "my uid <number> and <email>"),
    ("order 12345", "order 12345"),  # short numbers are words people search for
    ("x" * 300, "x" * 200),
])
def test_text_is_normalised_and_stripped_of_personal_data(typed, kept):
    assert search_text_normalise(typed) == kept


def test_empty_searches_are_not_logged():
    assert search_query_log(text=" \n ", language="en", results=0) is None
    assert not SearchQuery.objects.exists()


def test_top_searches_count_per_language_and_period():
    for _ in range(3):
        log("USDT withdrawal")
    log("usdt  WITHDRAWAL", results=5)
    log("grid bot")
    log("提现", language="zh-hans", results=0)
    log("提现", language="zh-hans", results=0)
    log("old search", days_ago=40)
    log("older search", days_ago=100)

    top = search_queries_top(days=30)
    assert [(row.text, row.searches, row.results) for row in top] == [
        ("usdt withdrawal", 4, 4), ("提现", 2, 0), ("grid bot", 1, 3)]
    assert [row.text for row in search_queries_top(language="zh-hans", days=30)] == ["提现"]
    assert [row.text for row in search_queries_top(days=90)][-1] == "old search"
    assert "older search" not in [row.text for row in search_queries_top(days=90)]
    assert [row.text for row in search_queries_top(days=30, no_results=True)] == ["提现"]


# --- The admin pages ------------------------------------------------------------------------

@pytest.fixture
def logged():
    log("usdt withdrawal")
    log("usdt withdrawal")
    log("staking apr", results=0)
    log("质押", language="zh-hans", results=0)


def test_staff_with_the_permission_see_top_searches_and_content_gaps(client, logged):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_searchquery"))
    client.force_login(staff)
    response = client.get(INSIGHTS)
    html = response.content.decode()
    assert response.status_code == 200
    assert [row.text for row in response.context["top"]] == [
        "usdt withdrawal", "staking apr", "质押"]
    assert [row.text for row in response.context["gaps"]] == ["staking apr", "质押"]
    assert "Searches that found nothing" in html

    chinese = client.get(INSIGHTS, {"language": "zh-hans", "days": "7"})
    assert [row.text for row in chinese.context["top"]] == ["质押"]
    assert chinese.context["days"] == 7


@pytest.mark.parametrize("params", [{"days": "abc"}, {"days": "1000"}, {"language": "xx"}])
def test_bad_insight_filters_fall_back_to_the_defaults(admin_client, logged, params):
    response = admin_client.get(INSIGHTS, params)
    assert response.status_code == 200
    assert response.context["days"] == 30
    assert len(response.context["top"]) == 3
    assert '<option value="30" selected>' in response.content.decode()


def test_the_log_links_to_the_insights_and_cannot_be_edited(admin_client, logged):
    response = admin_client.get(CHANGELIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="{INSIGHTS}"' in html
    assert "usdt withdrawal" in html
    assert admin_client.get(f"{CHANGELIST}add/").status_code == 403
    chinese = admin_client.get(CHANGELIST, {"language": "zh-hans"})
    assert [row.text for row in chinese.context["cl"].result_list] == ["质押"]


def test_people_who_are_not_staff_are_sent_to_log_in(client, logged):
    assert client.get(INSIGHTS).status_code == 302
    client.force_login(UserFactory())
    response = client.get(INSIGHTS)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_without_the_permission_are_refused(client, logged):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(INSIGHTS).status_code == 403
