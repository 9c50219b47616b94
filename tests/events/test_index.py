"""The events index: upcoming AMAs and meetups first (soonest first), then the archive;
unpublished events only for staff; a fixed number of queries."""

from datetime import timedelta

import pytest

from events.services import meetup_rsvp
from tests.events.conftest import make_ama, make_meetup
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/en/events/"


def test_upcoming_first_then_the_archive(client, members):
    make_ama(slug="past-ama", title="Past AMA", starts_in=timedelta(days=-5))
    make_ama(slug="live-ama", title="Live AMA")
    make_meetup(slug="soon", title="Soon meetup", starts_in=timedelta(days=1))
    make_meetup(slug="later", title="Later meetup", starts_in=timedelta(days=9))
    make_meetup(slug="old", title="Old meetup", starts_in=timedelta(days=-30))
    make_meetup(slug="hidden", title="Hidden meetup", is_published=False)
    meetup_rsvp(meetup=make_meetup(slug="busy", title="Busy meetup",
                                   starts_in=timedelta(days=20)), user=members[0])
    page = client.get(URL).content.decode()
    upcoming, archive = page.split('id="past-heading"')
    order = ["Live AMA", "Soon meetup", "Later meetup", "Busy meetup"]
    assert sorted(order, key=upcoming.index) == order
    assert archive.index("Past AMA") < archive.index("Old meetup")
    assert "Hidden meetup" not in page
    assert 'href="/en/events/ama/live-ama/"' in upcoming
    assert 'href="/en/events/meetups/busy/"' in upcoming and "1 of 2 seats taken" in upcoming
    client.force_login(UserFactory(is_staff=True))
    assert "Hidden meetup" in client.get(URL).content.decode()


def test_the_index_in_chinese(client):
    make_meetup()
    page = client.get("/zh-hans/events/").content.decode()
    assert "新加坡交易者之夜" in page and 'href="/zh-hans/events/meetups/singapore-night/"' in page


def test_nothing_planned_is_said(client):
    assert "No event is planned right now." in client.get(URL).content.decode()


def test_the_index_runs_a_fixed_number_of_queries(user_client, django_assert_num_queries):
    make_ama()
    make_meetup()
    user_client.get(URL)  # from then on the bell's unread count is cached
    # user (the session and unread count come from the cache); sessions and their
    # translations; meetups (with their counts of attendees) and their translations
    with django_assert_num_queries(5):
        assert user_client.get(URL).status_code == 200
    for n in range(5):
        make_ama(slug=f"ama-{n}", starts_in=timedelta(days=n - 2))
        make_meetup(slug=f"meetup-{n}", starts_in=timedelta(days=n - 2))
    with django_assert_num_queries(5):
        page = user_client.get(URL).content.decode()
    assert page.count('class="card event-card') == 12
