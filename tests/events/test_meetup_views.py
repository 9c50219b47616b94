"""Meetup pages through the test client: RSVP and cancel without JavaScript, the waitlist
shown to the member, times in the viewer's time zone, photos, and exact query counts."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from events.models import Meetup, MeetupPhoto, Rsvp
from events.services import meetup_photo_add, meetup_rsvp
from tests.events.conftest import make_meetup
from tests.events.test_meetups import png_upload
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/en/events/meetups/singapore-night/"


def test_rsvp_then_cancel(user_client, user, meetup):
    response = user_client.post(f"{URL}rsvp/")
    assert response.status_code == 302 and response.url == URL
    page = user_client.get(URL).content.decode()
    assert "You are attending." in page and "1 of 2 seats taken" in page
    user_client.post(f"{URL}cancel/")
    assert Rsvp.objects.get(user=user).status == Rsvp.Status.CANCELLED
    assert "I will attend" in user_client.get(URL).content.decode()


def test_a_full_meetup_offers_the_waitlist_and_shows_the_place(user_client, user, meetup,
                                                               members):
    for member in members[:3]:
        meetup_rsvp(meetup=meetup, user=member)
    assert "Join the waitlist" in user_client.get(URL).content.decode()
    response = user_client.post(f"{URL}rsvp/", follow=True)
    page = response.content.decode()
    assert "you are on the waitlist" in page
    assert "You are on the waitlist (number 2)." in page and "2 on the waitlist" in page


def test_visitors_are_sent_to_log_in(client, meetup):
    assert "Log in to RSVP." in client.get(URL).content.decode()
    response = client.post(f"{URL}rsvp/")
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not Rsvp.objects.exists()


def test_a_started_meetup_refuses_rsvps_with_a_message(user_client):
    make_meetup(starts_in=timedelta(minutes=-10))
    response = user_client.post(f"{URL}rsvp/", follow=True)
    assert "RSVPs are closed." in response.content.decode()
    assert not Rsvp.objects.exists()


def test_times_are_shown_in_the_viewers_zone(client):
    make_meetup()
    Meetup.objects.update(starts_at=datetime(2030, 5, 1, 11, 0, tzinfo=UTC),
                          ends_at=datetime(2030, 5, 1, 14, 0, tzinfo=UTC))
    client.force_login(UserFactory(timezone="Asia/Singapore"))
    page = client.get(URL).content.decode()
    assert "May 1, 2030, 7 p.m." in page and "(Asia/Singapore)" in page
    assert 'datetime="2030-05-01T11:00:00+00:00"' in page
    client.logout()
    page = client.get(URL).content.decode()
    assert "May 1, 2030, 11 a.m." in page and "(UTC)" in page


def test_the_photo_form_is_for_the_organiser_once_the_meetup_started(client):
    organiser = UserFactory()
    meetup = make_meetup(organiser=organiser)
    client.force_login(organiser)
    assert 'name="image"' not in client.get(URL).content.decode()
    Meetup.objects.filter(pk=meetup.pk).update(starts_at=meetup.starts_at - timedelta(days=4),
                                               ends_at=meetup.ends_at - timedelta(days=4))
    assert 'name="image"' in client.get(URL).content.decode()
    client.force_login(UserFactory())
    assert 'name="image"' not in client.get(URL).content.decode()


def test_the_organiser_adds_photos_and_bad_files_are_explained(client):
    organiser = UserFactory()
    make_meetup(starts_in=timedelta(days=-1), organiser=organiser)
    client.force_login(UserFactory())
    assert client.post(f"{URL}photos/", {"image": png_upload()}).status_code == 404
    client.force_login(organiser)
    bad = SimpleUploadedFile("evil.png", b"GIF89a not really", content_type="image/png")
    response = client.post(f"{URL}photos/", {"image": bad})
    assert response.status_code == 400 and "not a valid image" in response.content.decode()
    response = client.post(f"{URL}photos/", {"image": png_upload(), "caption": "Room"})
    assert response.status_code == 302
    photo = MeetupPhoto.objects.get()
    assert f'src="{photo.image.url}"' in client.get(URL).content.decode()


def test_the_recap_link_is_shown(client):
    make_meetup(starts_in=timedelta(days=-3), recap_url="https://example.com/en/blog/recap/")
    page = client.get(URL).content.decode()
    assert 'href="https://example.com/en/blog/recap/"' in page and "Read the recap" in page


def test_the_page_runs_a_fixed_number_of_queries(user_client, user, django_assert_num_queries):
    organiser = UserFactory()
    meetup = make_meetup(capacity=5, organiser=organiser)
    user_client.get(URL)  # from then on the bell's unread count is cached
    # user (the session and unread count come from the cache); the meetup with its organiser,
    # its translations, the RSVPs with their members, the photos
    with django_assert_num_queries(5):
        assert user_client.get(URL).status_code == 200
    for _n in range(8):
        meetup_rsvp(meetup=meetup, user=UserFactory())
    meetup_rsvp(meetup=meetup, user=user)
    with django_assert_num_queries(5):
        page = user_client.get(URL).content.decode()
    assert "You are on the waitlist (number 4)." in page and page.count("/u/") >= 5


def test_the_photos_cost_no_more_queries(client, django_assert_num_queries):
    organiser = UserFactory()
    meetup = make_meetup(starts_in=timedelta(days=-1), organiser=organiser)
    for _n in range(3):
        meetup_photo_add(meetup=meetup, by=organiser, upload=png_upload())
    # the meetup with its organiser, its translations, the RSVPs, the photos
    with django_assert_num_queries(4):
        assert client.get(URL).content.decode().count("<figure>") == 3
