"""Meetups at the service level: RSVPs and the waitlist, promotion on cancel (first come
first served, notified), more seats from the admin, reminders once a day before, marking a
meetup held (the organiser's ambassador points) and photos verified by content."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from events.models import MeetupPhoto, Rsvp
from events.selectors import meetup_page
from events.services import (
    meetup_mark_held,
    meetup_photo_add,
    meetup_reminders_send,
    meetup_rsvp,
    meetup_rsvp_cancel,
    meetup_save,
)
from events.tasks import meetup_reminders_send as reminders_task
from notifications.models import Notification
from programs.selectors import points_total
from programs.services import application_approve, application_submit
from tests.events.conftest import make_meetup
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
GOING, WAITLIST, CANCELLED = Rsvp.Status.GOING, Rsvp.Status.WAITLIST, Rsvp.Status.CANCELLED


def statuses(meetup) -> dict:
    return dict(meetup.rsvps.values_list("user__username", "status"))


def test_past_capacity_members_join_the_waitlist(meetup, members):
    for member in members:
        meetup_rsvp(meetup=meetup, user=member)
    assert [statuses(meetup)[m.username] for m in members] == [GOING, GOING, WAITLIST,
                                                                WAITLIST]
    # Answering twice changes nothing.
    assert meetup_rsvp(meetup=meetup, user=members[2]).status == WAITLIST
    page = meetup_page(meetup=meetup, user=members[3])
    assert (len(page.attendees), page.waitlist_count, page.waitlist_position) == (2, 2, 2)
    assert page.seats_left == 0


def test_a_cancelled_seat_goes_to_the_first_in_line_who_is_told(meetup, members):
    for member in members:
        meetup_rsvp(meetup=meetup, user=member)
    meetup_rsvp_cancel(meetup=meetup, user=members[0])
    assert statuses(meetup) == {members[0].username: CANCELLED, members[1].username: GOING,
                                members[2].username: GOING, members[3].username: WAITLIST}
    notification = Notification.objects.get(recipient=members[2])
    assert notification.verb == ("A seat freed up: you are now attending "
                                 "“Singapore traders' night”")
    assert notification.target_url == "/en/events/meetups/singapore-night/"
    assert not Notification.objects.filter(recipient=members[3]).exists()


def test_leaving_the_waitlist_promotes_nobody(meetup, members):
    for member in members[:3]:
        meetup_rsvp(meetup=meetup, user=member)
    meetup_rsvp_cancel(meetup=meetup, user=members[2])
    assert statuses(meetup)[members[2].username] == CANCELLED
    assert not Notification.objects.exists()
    assert meetup_rsvp_cancel(meetup=meetup, user=members[3]) is None


def test_coming_back_after_cancelling_queues_again(meetup, members):
    for member in members[:3]:
        meetup_rsvp(meetup=meetup, user=member)
    meetup_rsvp_cancel(meetup=meetup, user=members[0])  # members[2] takes the seat
    assert meetup_rsvp(meetup=meetup, user=members[0]).status == WAITLIST
    assert Rsvp.objects.filter(meetup=meetup, user=members[0]).count() == 1


def test_more_seats_promote_the_waitlist(meetup, members):
    for member in members:
        meetup_rsvp(meetup=meetup, user=member)
    meetup.capacity = 3
    meetup_save(meetup=meetup, language="en")
    assert statuses(meetup)[members[2].username] == GOING
    assert statuses(meetup)[members[3].username] == WAITLIST


def test_rsvps_close_when_the_meetup_starts(members):
    started = make_meetup(starts_in=timedelta(minutes=-5))
    with pytest.raises(ValidationError, match="RSVPs are closed"):
        meetup_rsvp(meetup=started, user=members[0])
    assert not Rsvp.objects.exists()


def test_a_meetup_must_end_after_it_starts(meetup):
    meetup.ends_at = meetup.starts_at
    with pytest.raises(ValidationError):
        meetup_save(meetup=meetup, language="en")


def test_reminders_go_once_to_attendees_of_meetups_within_a_day(members):
    soon = make_meetup(slug="soon", starts_in=timedelta(hours=20))
    later = make_meetup(slug="later", starts_in=timedelta(days=3))
    for member in members[:3]:
        meetup_rsvp(meetup=soon, user=member)  # the third waits
        meetup_rsvp(meetup=later, user=member)
    meetup_rsvp_cancel(meetup=soon, user=members[1])  # the third is promoted
    Notification.objects.all().delete()
    assert reminders_task.delay().get() == 2
    assert meetup_reminders_send() == 0
    reminded = Notification.objects.order_by("recipient_id")
    assert [n.recipient for n in reminded] == [members[0], members[2]]
    assert reminded[0].verb == "Reminder: “Singapore traders' night” starts within a day"
    assert soon.rsvps.filter(reminded_at__isnull=False).count() == 2
    assert not later.rsvps.filter(reminded_at__isnull=False).exists()
    # A day later the other meetup's turn comes.
    assert meetup_reminders_send(now=timezone.now() + timedelta(days=2, hours=1)) == 2


def _ambassador(user):
    application = application_submit(user=user, region="apac", languages="English",
                                     channels=["https://t.me/okx"], audience_size=100,
                                     motivation="I run meetups.")
    application_approve(application=application, by=UserFactory(is_staff=True))


def test_marking_held_awards_the_organiser_once(members):
    organiser = members[0]
    _ambassador(organiser)
    meetup = make_meetup(starts_in=timedelta(hours=-3), organiser=organiser)
    staff = UserFactory(is_staff=True)
    with pytest.raises(PermissionDenied):
        meetup_mark_held(meetup=meetup, by=members[1])
    before = points_total(user=organiser)
    meetup_mark_held(meetup=meetup, by=staff)
    meetup_mark_held(meetup=meetup, by=staff)
    assert points_total(user=organiser) == before + 50
    assert meetup.held_at is not None


def test_a_meetup_to_come_cannot_be_marked_held(meetup):
    with pytest.raises(ValidationError):
        meetup_mark_held(meetup=meetup, by=UserFactory(is_staff=True))
    meetup.refresh_from_db()
    assert meetup.held_at is None


def png_upload(name="photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_photos_are_verified_by_content(members):
    organiser = members[0]
    past = make_meetup(starts_in=timedelta(days=-2), organiser=organiser)
    photo = meetup_photo_add(meetup=past, by=organiser, upload=png_upload("x.gif"),
                             caption="Full room")
    assert photo.image.name.endswith(".png") and photo.caption == "Full room"
    fake = SimpleUploadedFile("photo.jpg", b"<svg onload=alert(1)>", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="not a valid image"):
        meetup_photo_add(meetup=past, by=organiser, upload=fake)
    with pytest.raises(PermissionDenied):
        meetup_photo_add(meetup=past, by=members[1], upload=png_upload())
    assert MeetupPhoto.objects.count() == 1


def test_photos_wait_for_the_meetup_to_start(members):
    organiser = members[0]
    upcoming = make_meetup(organiser=organiser)
    with pytest.raises(ValidationError, match="once the meetup has started"):
        meetup_photo_add(meetup=upcoming, by=organiser, upload=png_upload())
    assert not MeetupPhoto.objects.exists()
