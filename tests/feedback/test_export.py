"""The analysts' CSV export: permissions, the file, every filter, and a flat query count."""

import csv
import io
from dataclasses import dataclass
from datetime import UTC, timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.http import StreamingHttpResponse
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.text import slugify

from accounts import demo as accounts_demo
from feedback import demo as feedback_demo
from feedback import reports
from feedback.models import FeedbackItem, title_slug
from feedback.services import feedback_submit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/en/feedback/export/"
DOWNLOAD = "/en/feedback/export/download/"
HYPERLINK = '=HYPERLINK("http://evil","x")'
EXPORT_INDEX = {name: index for index, name in enumerate(reports.EXPORT_COLUMNS)}


# --- Fixtures shared with test_dashboard ------------------------------------------------------

@pytest.fixture
def report_taxonomy(db):
    """The demo's tags (with their auto-tag rules), areas, teams, routing rules and Analyst
    group; the demo's own ideas are removed so each test sees only its items."""
    accounts_demo.load(io.StringIO())
    feedback_demo.load(io.StringIO())
    FeedbackItem.objects.all().delete()


@pytest.fixture
def analyst(report_taxonomy):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Analyst"))
    return user


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


def submit(*, title: str, body: str = "", source: str = "web", language: str = "en",
           area: str | None = None, tags=(), author=None, days_ago: int = 0,
           **fields) -> FeedbackItem:
    """An item through the real pipeline (eager Celery tags, scores and routes it), then
    backdated and given ``fields`` (status, votes...) straight in the table."""
    with TestCase.captureOnCommitCallbacks(execute=True):  # as if the request committed
        item = feedback_submit(source=source, source_ref=f"ref-{title[:20]}", title=title,
                               body=body, language=language, product_area=area, tags=tags,
                               author=author or UserFactory())
    fields["created_at"] = timezone.now() - timedelta(days=days_ago, minutes=1)
    FeedbackItem.objects.filter(pk=item.pk).update(**fields)
    item.refresh_from_db()
    return item


@dataclass
class Items:
    wallet: FeedbackItem  # en, tickets, negative; tags fees+withdrawal -> trading, wallet
    crash: FeedbackItem  # zh-hans, forum post, negative; app-crash -> mobile
    bot: FeedbackItem  # en, survey answer, positive, planned; trading-bots -> trading
    formula: FeedbackItem  # en, board, neutral, 40 days old; no rule -> customer-service

    def named(self, *names: str) -> set[int]:
        return {getattr(self, name).pk for name in names}


@pytest.fixture
def items(report_taxonomy) -> Items:
    return Items(
        wallet=submit(title="USDT withdrawal delayed", body="Terrible, two hours, still waiting",
                      source="tickets.ticket", area="wallet", tags=["fees"], vote_count=7,
                      comment_count=2),
        crash=submit(title="安卓版更新后闪退", body="打开行情页面就闪退，手机型号小米 13。",
                     source="forum.post", language="zh-hans", area="mobile-app"),
        bot=submit(title="Love the grid bot, great work", source="surveys.answer",
                   area="trading", status=FeedbackItem.Status.PLANNED),
        formula=submit(title=HYPERLINK, body="-2+3 and @SUM(A1)", days_ago=40),
    )


def download(client, query: str = "") -> tuple[StreamingHttpResponse, list[dict]]:
    response = client.get(f"{DOWNLOAD}?{query}")
    assert response.status_code == 200, response.content[:2000]
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    reader = csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline=""))
    assert tuple(reader.fieldnames) == reports.EXPORT_COLUMNS
    return response, list(reader)


def exported_ids(client, query: str = "") -> set[int]:
    return {int(row["id"]) for row in download(client, query)[1]}


# --- Who may ----------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [PAGE, DOWNLOAD])
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(f"/en/accounts/login/?next={url}")


@pytest.mark.parametrize("staff", [True, False])
@pytest.mark.parametrize("url", [PAGE, DOWNLOAD])
def test_users_without_the_export_permission_are_refused(client, report_taxonomy, url, staff):
    client.force_login(UserFactory(is_staff=staff))
    response = client.get(url)
    assert response.status_code == 403
    assert "Content-Disposition" not in response


def test_the_account_menu_offers_the_export_only_to_who_may_use_it(client, analyst):
    link = f'href="{PAGE}"'
    client.force_login(UserFactory(is_staff=True))
    assert link not in client.get("/en/").content.decode()
    client.force_login(analyst)
    assert link in client.get("/en/").content.decode()


def test_analyst_sees_the_page_with_every_filter(analyst_client, items):
    response = analyst_client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("date_from", "date_to", "team", "product_area", "tags", "status", "source",
                 "language", "sentiment"):
        assert f'name="{name}"' in html
    assert f'formaction="{DOWNLOAD}"' in html
    assert "<strong>4</strong> items match" in html


def test_the_page_counts_what_the_filters_match(analyst_client, items):
    html = analyst_client.get(f"{PAGE}?language=zh-hans").content.decode()
    assert "<strong>1</strong> item matches" in html


# --- The file ---------------------------------------------------------------------------------

def test_download_is_a_streamed_csv_attachment(analyst_client, items):
    response, rows = download(analyst_client)
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().strftime("%Y%m%d")
    assert response["Content-Disposition"] == f'attachment; filename="feedback-{today}.csv"'
    # Newest first.
    assert [int(row["id"]) for row in rows] == [
        items.bot.pk, items.crash.pk, items.wallet.pk, items.formula.pk]


def test_row_content(analyst_client, items):
    rows = {int(row["id"]): row for row in download(analyst_client)[1]}
    wallet = rows[items.wallet.pk]
    assert wallet == {
        "id": str(items.wallet.pk),
        "created_at": items.wallet.created_at.astimezone(UTC).strftime(
            "%Y-%m-%dT%H:%M:%S+00:00"),
        "title": "USDT withdrawal delayed",
        "body": "Terrible, two hours, still waiting",
        "source": "tickets.ticket",
        "source_ref": "ref-USDT withdrawal dela",
        "language": "en",
        "product_area": "wallet",
        "product_area_name": "Wallet & payments",
        "tags": "fees;withdrawal",
        "teams": "trading;wallet",
        "status": "open",
        "sentiment": "negative",
        "votes": "7",
        "comments": "2",
        "author": items.wallet.author.username,
        "link": settings.SITE_URL + items.wallet.get_absolute_url(),
    }
    crash = rows[items.crash.pk]
    assert crash["title"] == "安卓版更新后闪退"
    assert crash["body"] == "打开行情页面就闪退，手机型号小米 13。"
    assert crash["product_area_name"] == "Mobile app"  # English, whatever the reader's language
    assert (crash["tags"], crash["teams"]) == ("app-crash", "mobile")
    assert crash["link"].endswith(f"/en/feedback/{items.crash.pk}/item/")


def test_formulas_are_escaped(analyst_client, items):
    row = next(r for r in download(analyst_client)[1] if int(r["id"]) == items.formula.pk)
    assert row["title"] == "'" + HYPERLINK
    assert row["body"] == "'-2+3 and @SUM(A1)"
    assert (row["product_area"], row["tags"], row["teams"]) == ("", "", "customer-service")


TRICKY_TITLES = [
    "Dark mode, please!", "提现到账太慢", "USDT 提现 fast", "  --Spaces -- and__under_scores__ ",
    "Ünïcödé façade naïve", "ＵＳＤＴ full width", "tab\there", "emoji 🚀 rocket", "---", "",
    "Ça coûte 0,1 % — trop ?", "C++ & C#: <b>bold</b>", "ǅ ﬁ ligatures ½", "ß straße",
]


@pytest.mark.parametrize("title", TRICKY_TITLES)
def test_item_slugs_follow_djangos_slugify_rules(title):
    assert title_slug(title) == (slugify(title) or "item")


@pytest.mark.parametrize("title", TRICKY_TITLES)
def test_links_match_get_absolute_url(report_taxonomy, title):
    assert reports._ItemLinks()(42, title) == (
        settings.SITE_URL + FeedbackItem(pk=42, title=title).get_absolute_url())


# --- Filters ----------------------------------------------------------------------------------

def _days_ago(days: int) -> str:
    return (timezone.localdate() - timedelta(days=days)).isoformat()


@pytest.mark.parametrize(("query", "expected"), [
    ("", ("wallet", "crash", "bot", "formula")),
    (f"date_from={_days_ago(7)}", ("wallet", "crash", "bot")),
    (f"date_to={_days_ago(30)}", ("formula",)),
    (f"date_from={_days_ago(41)}&date_to={_days_ago(39)}", ("formula",)),
    ("team=wallet", ("wallet",)),
    ("team=trading", ("wallet", "bot")),
    ("team=customer-service", ("formula",)),
    ("product_area=mobile-app", ("crash",)),
    ("tags=app-crash&tags=trading-bots", ("crash", "bot")),
    ("tags=withdrawal", ("wallet",)),
    ("status=planned", ("bot",)),
    ("source=forum.post", ("crash",)),
    ("language=zh-hans", ("crash",)),
    ("sentiment=positive", ("bot",)),
    ("sentiment=negative&team=trading", ("wallet",)),
    ("status=shipped", ()),
])
def test_filters(analyst_client, items, query, expected):
    assert exported_ids(analyst_client, query) == items.named(*expected)


@pytest.mark.parametrize(("query", "message"), [
    (f"date_from={_days_ago(1)}&date_to={_days_ago(5)}", "The end date is before the start date."),
    ("team=no-such-team", "There is no team “no-such-team”."),
    ("tags=fees&tags=nope", "There is no tag “nope”."),
    ("date_from=yesterday", "Enter a date such as 2025-01-31."),
    ("status=lost", "There is no status “lost”."),
])
@pytest.mark.parametrize("url", [PAGE, DOWNLOAD])
def test_bad_filters_explain_and_send_no_file(analyst_client, items, url, query, message):
    response = analyst_client.get(f"{url}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response
    assert message in response.content.decode()


def test_errors_are_translated(analyst_client, items):
    response = analyst_client.get("/zh-hans/feedback/export/download/?team=no-such-team")
    assert response.status_code == 400
    assert 'lang="zh-hans"' in response.content.decode()


# --- Cost -------------------------------------------------------------------------------------

def count_queries(client, query: str = "") -> int:
    with CaptureQueriesContext(connection) as queries:
        download(client, query)
    return len(queries)


def test_query_count_does_not_grow_with_rows(analyst_client, items):
    few = count_queries(analyst_client)
    for number in range(12):
        submit(title=f"Withdrawal fee number {number}", area="wallet",
               tags=["deposit", "kyc"] if number % 2 else ["login"])
    assert count_queries(analyst_client) == few
    assert len(download(analyst_client)[1]) == 16


def test_relations_are_read_per_chunk_not_per_row(items):
    queryset = FeedbackItem.objects.order_by("id")

    def queries(batch_size: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            rows = list(reports.export_rows(items=queryset, batch_size=batch_size))
        assert len(rows) == 4
        return len(captured)

    # Two more queries (tags, teams) per extra batch, nothing per row.
    assert queries(batch_size=1) - queries(batch_size=4) == 2 * 3


def test_sparse_batches_read_listed_ids(items):
    """Narrow filters leave gaps between a batch's ids: their relations are read by id list,
    consecutive ids by range; both give the same rows."""
    later = [submit(title=f"Login fails, attempt {number}", area="account") for number in range(6)]
    sparse = [items.wallet.pk, later[-1].pk]
    assert isinstance(reports._batch_filter(sparse), reports._IdIn)
    assert not isinstance(reports._batch_filter([later[0].pk, later[1].pk]), reports._IdIn)
    rows = {row[0]: row for row in reports.export_rows(
        items=FeedbackItem.objects.filter(pk__in=sparse))}
    tags, teams = EXPORT_INDEX["tags"], EXPORT_INDEX["teams"]
    assert (rows[items.wallet.pk][tags], rows[items.wallet.pk][teams]) == (
        "fees;withdrawal", "trading;wallet")
    assert (rows[later[-1].pk][tags], rows[later[-1].pk][teams]) == ("login", "customer-service")


# --- The admin action shares export_response --------------------------------------------------

def test_admin_action_exports_the_selected_items(client, items):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post("/admin/feedback/feedbackitem/", {
        "action": "export_csv", "_selected_action": [items.crash.pk, items.formula.pk]})
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body, newline="")))
    assert {int(row["id"]) for row in rows} == items.named("crash", "formula")
    assert "'" + HYPERLINK in {row["title"] for row in rows}
