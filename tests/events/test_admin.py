"""The admin: AMA sessions written in both languages (the description rendered once), the
questions' moderation actions, meetups with their RSVPs read only and the "held" action."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import AmaQuestion, AmaSession, Meetup
from events.services import ama_question_ask, meetup_photo_add, meetup_rsvp
from tests.events.conftest import make_ama, make_meetup
from tests.events.test_meetups import png_upload
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, settings):
    settings.STAFF_REQUIRE_MFA = False
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_staff_create_a_session_with_hosts(admin_client, host):
    start = timezone.now() + timedelta(days=1)
    response = admin_client.post("/admin/events/amasession/add/?language=en", {
        "title": "Earn AMA", "slug": "earn-ama", "description": "Ask about *Earn*.",
        "hosts": [host.pk], "starts_at_0": start.strftime("%Y-%m-%d"),
        "starts_at_1": "10:00:00", "ends_at_0": start.strftime("%Y-%m-%d"),
        "ends_at_1": "11:00:00", "is_published": "on"})
    assert response.status_code == 302, response.content.decode()[:3000]
    session = AmaSession.objects.get(slug="earn-ama")
    assert session.description_html == "<p>Ask about <em>Earn</em>.</p>"
    assert list(session.hosts.all()) == [host]


def test_a_session_ending_before_it_starts_is_refused(admin_client):
    start = timezone.now() + timedelta(days=1)
    response = admin_client.post("/admin/events/amasession/add/?language=en", {
        "title": "Bad", "slug": "bad", "starts_at_0": start.strftime("%Y-%m-%d"),
        "starts_at_1": "10:00:00", "ends_at_0": start.strftime("%Y-%m-%d"),
        "ends_at_1": "09:00:00"})
    assert response.status_code == 200 and not AmaSession.objects.exists()


def test_the_lists_and_pages_open(admin_client, ama, members):
    ama_question_ask(session=ama, author=members[0], body="Keys?")
    meetup = make_meetup()
    meetup_rsvp(meetup=meetup, user=members[1])
    organiser = UserFactory()
    past = make_meetup(slug="past", starts_in=timedelta(days=-1), organiser=organiser)
    photo = meetup_photo_add(meetup=past, by=organiser, upload=png_upload())
    for url in ("/admin/events/amasession/", f"/admin/events/amasession/{ama.pk}/change/",
                "/admin/events/amaquestion/", "/admin/events/meetup/",
                f"/admin/events/meetup/{meetup.pk}/change/",
                f"/admin/events/meetup/{past.pk}/change/", "/admin/events/meetupphoto/",
                f"/admin/events/meetupphoto/{photo.pk}/change/"):
        assert admin_client.get(url).status_code == 200, url
    page = admin_client.get(f"/admin/events/meetup/{meetup.pk}/change/").content.decode()
    assert members[1].username in page and "attending" in page


def test_question_actions_go_through_the_services(admin_client, ama, members):
    question = ama_question_ask(session=ama, author=members[0], body="Spam")
    admin_client.post("/admin/events/amaquestion/", {
        "action": "hide", "_selected_action": [question.pk]})
    assert AmaQuestion.objects.get().is_hidden
    admin_client.post("/admin/events/amaquestion/", {
        "action": "send_to_feedback", "_selected_action": [question.pk]})
    assert AmaQuestion.objects.get().feedback_item_id


def test_mark_held_refuses_a_meetup_to_come(admin_client):
    past = make_meetup(slug="past", starts_in=timedelta(days=-1))
    future = make_meetup(slug="future")
    response = admin_client.post("/admin/events/meetup/", {
        "action": "mark_held", "_selected_action": [past.pk, future.pk]}, follow=True)
    assert "once it has started" in response.content.decode()
    assert Meetup.objects.get(slug="past").held_at is not None
    assert Meetup.objects.get(slug="future").held_at is None


def test_the_meetup_list_runs_a_fixed_number_of_queries(admin_client,
                                                        django_assert_num_queries):
    make_meetup()
    make_ama()
    with django_assert_num_queries(7) as first:
        admin_client.get("/admin/events/meetup/")
    for n in range(4):
        make_meetup(slug=f"m{n}")
    with django_assert_num_queries(len(first.captured_queries)):
        admin_client.get("/admin/events/meetup/")


@pytest.mark.parametrize(("url", "queries"), [("/admin/events/amasession/", 7),
                                              ("/admin/events/amaquestion/", 6),
                                              ("/admin/events/meetupphoto/", 6)])
def test_the_other_lists_run_a_fixed_number_of_queries(admin_client, url, queries,
                                                       django_assert_num_queries):
    organiser = UserFactory()

    def add_rows(n):
        session = make_ama(slug=f"ama-{n}")
        ama_question_ask(session=session, author=UserFactory(), body=f"Q{n}")
        past = make_meetup(slug=f"past-{n}", starts_in=timedelta(days=-1), organiser=organiser)
        meetup_photo_add(meetup=past, by=organiser, upload=png_upload())

    add_rows(0)
    with django_assert_num_queries(queries):
        admin_client.get(url)
    for n in range(1, 5):
        add_rows(n)
    with django_assert_num_queries(queries):
        assert admin_client.get(url).content.decode().count("action-select") == 5
