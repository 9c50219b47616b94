"""The demo: an upcoming AMA with questions, a past AMA archive, two upcoming meetups (one
full, with a waitlist) and a past one with a recap link, in both languages; loading twice
changes nothing."""

import io

import pytest

from accounts import demo as accounts_demo
from events import demo
from events.models import AmaQuestion, AmaSession, AmaVote, Meetup, Rsvp

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_and_its_pages_open(client):
    accounts_demo.load(io.StringIO())
    demo.load(io.StringIO())
    upcoming = AmaSession.objects.get(slug="okx-wallet-team-ama")
    assert upcoming.questions.count() == 3 and AmaVote.objects.count() == 3
    archive = AmaSession.objects.get(slug="futures-risk-ama-2026")
    assert archive.questions.filter(answered_at__isnull=False).count() == 2
    full = Meetup.objects.get(slug="shanghai-web3-meetup")
    assert full.rsvps.filter(status=Rsvp.Status.WAITLIST).count() == 1
    assert Meetup.objects.get(slug="dubai-meetup-2026").recap_url
    counts = (AmaSession.objects.count(), AmaQuestion.objects.count(),
              Meetup.objects.count(), Rsvp.objects.count())
    assert counts[0] == 2 and counts[2] == 3
    demo.load(io.StringIO())
    assert counts == (AmaSession.objects.count(), AmaQuestion.objects.count(),
                      Meetup.objects.count(), Rsvp.objects.count())
    for language, title in (("en", "AMA with the OKX Wallet team"), ("zh-hans", "上海 Web3")):
        assert title in client.get(f"/{language}/events/").content.decode()
    for url in (upcoming.get_absolute_url(), archive.get_absolute_url(),
                full.get_absolute_url()):
        assert client.get(url).status_code == 200
