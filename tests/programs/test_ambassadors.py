"""The ambassador programme: applying (one open application each), the review in the admin
(approve, or reject with a reason that reaches the applicant), the badge, and the public
leaderboard (bad filters ignored, a fixed number of queries)."""

from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from notifications.models import Notification
from programs import services
from programs.models import Ambassador, Application, PointsEntry, Region
from tests.factories import UserFactory
from tests.programs.conftest import make_ambassador

pytestmark = pytest.mark.django_db

APPLY = "/en/programs/ambassadors/apply/"
BOARD = "/en/programs/ambassadors/leaderboard/"
FORM = {"region": "europe", "languages": "English, German",
        "channels": "https://t.me/berlin_traders\n\n https://youtube.com/@berlin ",
        "audience_size": "2500", "motivation": "I run **meetups** <script>x</script>"}


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_a_member_applies(user_client, user):
    page = user_client.get(APPLY)
    assert page.status_code == 200 and 'name="csrfmiddlewaretoken"' in page.content.decode()
    response = user_client.post(APPLY, FORM)
    assert response.status_code == 302 and response["Location"] == "/en/programs/ambassadors/"
    application = Application.objects.get()
    assert application.user == user and application.status == "pending"
    assert application.channels == "https://t.me/berlin_traders\nhttps://youtube.com/@berlin"
    assert "<strong>meetups</strong>" in application.motivation_html
    assert "<script>" not in application.motivation_html
    status = user_client.get("/en/programs/ambassadors/").content.decode()
    assert "waiting for review" in status


def test_visitors_are_asked_to_log_in(client):
    response = client.get(APPLY)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(APPLY, FORM).status_code == 302 and not Application.objects.exists()


@pytest.mark.parametrize("field, value, message", [
    ("region", "moon", "Choose your region."),
    ("channels", "not a url", "is not a web address"),
    ("channels", "   ", "This field is required."),
    ("channels", "\n".join(f"https://x.com/a{n}" for n in range(11)), "at most 10 addresses"),
    ("audience_size", "-3", "greater than or equal to 0"),
    ("motivation", "", "This field is required."),
])
def test_bad_input_is_explained_and_nothing_stored(user_client, field, value, message):
    response = user_client.post(APPLY, {**FORM, field: value})
    assert response.status_code == 400 and message in response.content.decode()
    assert not Application.objects.exists()


def test_one_open_application_per_user(user_client, user):
    user_client.post(APPLY, FORM)
    again = user_client.post(APPLY, {**FORM, "region": "latam"})
    assert again.status_code == 409 and "You have already applied" in again.content.decode()
    assert Application.objects.get().region == "europe"
    with pytest.raises(ValidationError):
        services.application_submit(user=user, region="latam", languages="x",
                                    channels=["https://x.com/x"], audience_size=1,
                                    motivation="x")
    assert Application.objects.count() == 1


def test_an_ambassador_need_not_apply(client):
    sam = make_ambassador()
    client.force_login(sam)
    response = client.post(APPLY, FORM)
    assert response.status_code == 409 and "You are already an ambassador" in \
        response.content.decode()
    assert Application.objects.filter(user=sam).count() == 1


def test_approval_gives_the_badge_and_tells_the_applicant():
    applicant, reviewer = UserFactory(), UserFactory(is_staff=True)
    application = services.application_submit(
        user=applicant, region=Region.ASIA_PACIFIC, languages="中文",
        channels=["https://weibo.com/x"], audience_size=10, motivation="我想帮忙")
    services.application_approve(application=application, by=reviewer)
    applicant.refresh_from_db()
    assert applicant.is_ambassador and "ambassador" in [b.slug for b in applicant.badges]
    ambassador = Ambassador.objects.get(user=applicant)
    assert ambassador.region == Region.ASIA_PACIFIC and ambassador.is_active
    notification = Notification.objects.get(recipient=applicant)
    assert "approved your ambassador application" in notification.verb
    assert notification.target_url == "/en/programs/ambassadors/"
    application.refresh_from_db()
    assert application.status == "approved" and application.reviewed_by == reviewer
    with pytest.raises(ValidationError):
        services.application_reject(application=application, by=reviewer, reason="Too late")


def test_rejection_needs_a_reason_and_sends_it():
    applicant, reviewer = UserFactory(), UserFactory(is_staff=True)
    application = services.application_submit(
        user=applicant, region=Region.EUROPE, languages="English",
        channels=["https://x.com/x"], audience_size=10, motivation="Hi")
    with pytest.raises(ValidationError):
        services.application_reject(application=application, by=reviewer, reason="  ")
    services.application_reject(application=application, by=reviewer,
                                reason="Your channels are too new.")
    applicant.refresh_from_db()
    assert not applicant.is_ambassador and not Ambassador.objects.exists()
    notification = Notification.objects.get(recipient=applicant)
    assert notification.description == "Your channels are too new."
    # A rejected applicant may apply again.
    services.application_submit(user=applicant, region=Region.EUROPE, languages="English",
                                channels=["https://x.com/x"], audience_size=50,
                                motivation="Again")
    assert Application.objects.filter(user=applicant).count() == 2


def test_the_rejection_reason_is_on_the_programme_page(client):
    applicant = UserFactory()
    application = services.application_submit(
        user=applicant, region=Region.EUROPE, languages="English",
        channels=["https://x.com/x"], audience_size=10, motivation="Hi")
    services.application_reject(application=application, by=UserFactory(is_staff=True),
                                reason="Come back with a bigger audience.")
    client.force_login(applicant)
    page = client.get("/en/programs/ambassadors/").content.decode()
    assert "Come back with a bigger audience." in page and APPLY in page


def test_the_admin_reviews_applications(admin_client):
    first, second = UserFactory(), UserFactory()
    pending = [services.application_submit(
        user=who, region=Region.EUROPE, languages="English", channels=["https://x.com/x"],
        audience_size=10, motivation="Hi") for who in (first, second)]
    for url in ("/admin/programs/application/", f"/admin/programs/application/{pending[0].pk}"
                "/change/", "/admin/programs/ambassador/", "/admin/programs/pointsentry/",
                "/admin/programs/asset/", "/admin/programs/channel/"):
        assert admin_client.get(url).status_code == 200, url

    approve = admin_client.post("/admin/programs/application/", {
        "action": "approve", "_selected_action": [pending[0].pk]}, follow=True)
    assert "1 applications reviewed" in approve.content.decode()
    first.refresh_from_db()
    assert first.is_ambassador

    ask = admin_client.post("/admin/programs/application/", {
        "action": "reject", "_selected_action": [pending[1].pk]})
    assert ask.status_code == 200 and "Reason, sent to the applicant" in ask.content.decode()
    admin_client.post("/admin/programs/application/", {
        "action": "reject", "_selected_action": [pending[1].pk],
        "reason": "Not this time."})
    pending[1].refresh_from_db()
    assert pending[1].status == "rejected" and pending[1].reason == "Not this time."
    assert Notification.objects.get(recipient=second).description == "Not this time."

    # Reviewing twice changes nothing and says why.
    again = admin_client.post("/admin/programs/application/", {
        "action": "approve", "_selected_action": [pending[1].pk]}, follow=True)
    assert "already been reviewed" in again.content.decode()
    second.refresh_from_db()
    assert not second.is_ambassador


def test_the_admin_ends_a_membership(admin_client):
    sam = make_ambassador()
    ended = admin_client.post("/admin/programs/ambassador/", {
        "action": "end_membership", "_selected_action": [sam.ambassador.pk]}, follow=True)
    assert "The memberships have ended" in ended.content.decode()
    sam.refresh_from_db()
    assert not sam.is_ambassador and not sam.ambassador.is_active
    # Ending it again is not reported as done.
    again = admin_client.post("/admin/programs/ambassador/", {
        "action": "end_membership", "_selected_action": [sam.ambassador.pk]}, follow=True)
    page = again.content.decode()
    assert "None of these ambassadors is a current one." in page
    assert "The memberships have ended" not in page


# The admin's lists: user, two counts, the rows with their users, and (applications, ledger)
# the date hierarchy's two; the same for one row as for six. The session comes from the cache.
@pytest.mark.parametrize("url, queries, make", [
    ("/admin/programs/application/", 6, lambda n: services.application_submit(
        user=UserFactory(), region=Region.EUROPE, languages="English",
        channels=["https://x.com/x"], audience_size=10, motivation="Hi")),
    ("/admin/programs/ambassador/", 4, lambda n: make_ambassador()),
    ("/admin/programs/pointsentry/", 6, lambda n: services.points_award(
        user=make_ambassador(), activity="event_organised", ref=f"e:{n}")),
])
def test_the_admin_lists_run_a_fixed_number_of_queries(admin_client, django_assert_num_queries,
                                                       url, queries, make):
    make(0)
    with django_assert_num_queries(queries):
        assert admin_client.get(url).status_code == 200
    for n in range(1, 6):
        make(n)
    with django_assert_num_queries(queries):
        assert admin_client.get(url).status_code == 200


def test_applying_is_rate_limited(user_client):
    for _n in range(5):  # invalid posts count too: the limit is on posting
        assert user_client.post(APPLY, {**FORM, "region": "moon"}).status_code == 400
    limited = user_client.post(APPLY, FORM)
    assert limited.status_code == 429 and "Too many posts" in limited.content.decode()
    assert not Application.objects.exists()


def _award(who, n, *, when=None, activity="event_organised"):
    services.points_award(user=who, activity=activity, ref=f"{who.pk}:{n}")
    if when:
        PointsEntry.objects.filter(ref=f"{who.pk}:{n}").update(awarded_at=when)


def test_the_leaderboard_per_region_and_month(client):
    sam = make_ambassador(user=UserFactory(display_name="Sam Okafor"))
    wang = make_ambassador(region=Region.ASIA_PACIFIC,
                           user=UserFactory(display_name="Wang Lei"))
    _award(sam, 1)
    _award(wang, 1)
    _award(wang, 2)
    _award(sam, 3, when=datetime(2026, 3, 10, tzinfo=timezone.get_current_timezone()))
    page = client.get(BOARD).content.decode()
    assert page.index("Wang Lei") < page.index("Sam Okafor") and ">100<" in page
    europe = client.get(BOARD, {"region": "europe"}).content.decode()
    assert "Sam Okafor" in europe and "Wang Lei" not in europe
    march = client.get(BOARD, {"month": "2026-03"}).content.decode()
    assert "Sam Okafor" in march and "Wang Lei" not in march and "March 2026" in march
    assert client.get("/zh-hans/programs/ambassadors/leaderboard/").status_code == 200


@pytest.mark.parametrize("query", [
    {"month": "2026-13"}, {"month": "last"}, {"region": "moon"},
    {"month": "9999999-01", "region": "<b>"}, {"month": ["2026-01", "x"]},
])
def test_bad_leaderboard_filters_are_ignored(client, query):
    sam = make_ambassador(user=UserFactory(display_name="Sam Okafor"))
    _award(sam, 1)
    response = client.get(BOARD, query)
    # As if not given: this month, all regions.
    assert response.status_code == 200 and "Sam Okafor" in response.content.decode()


def test_the_leaderboard_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    ambassadors = [make_ambassador(region=Region.EUROPE) for _n in range(2)]
    for n, who in enumerate(ambassadors):
        _award(who, n)
    # session-less visitor: the totals, in one query
    with django_assert_num_queries(1):
        assert client.get(BOARD, {"region": "europe"}).status_code == 200
    ambassadors += [make_ambassador(region=Region.EUROPE) for _n in range(8)]
    for n, who in enumerate(ambassadors):
        _award(who, 100 + n, activity="answer_accepted")
    with django_assert_num_queries(1):
        page = client.get(BOARD, {"region": "europe"}).content.decode()
    assert page.count("<tr><td>") == 10


def test_the_programme_page_shows_the_points_table(client):
    page = client.get("/en/programs/ambassadors/").content.decode()
    assert "<td>Event organised</td><td>50</td>" in page
    assert "<td>Forum answer accepted</td><td>10</td>" in page
