"""The demo: ambassadors with points in two regions, an approved and a pending application,
a hall of fame of two researchers, the security team, channels in English and Chinese;
loading twice changes nothing."""

import io

import pytest
from django.utils import timezone

from accounts import demo as accounts_demo
from accounts.models import User
from programs import demo, selectors
from programs.models import Application, Channel, PointsEntry, Region, Report

pytestmark = pytest.mark.django_db


def _counts() -> tuple:
    return (User.objects.count(), Application.objects.count(), PointsEntry.objects.count(),
            Report.objects.count(), Channel.objects.count())


def test_the_demo_fills_the_programs_and_loads_once(client):
    accounts_demo.load(io.StringIO())
    demo.load(io.StringIO())
    first = _counts()
    demo.load(io.StringIO())
    assert _counts() == first

    statuses = set(Application.objects.values_list("status", flat=True))
    assert statuses == {"approved", "pending"}
    sam = User.objects.get(username="ambassador_sam")
    assert sam.is_ambassador and sam.ambassador.region == Region.EUROPE
    month = timezone.localdate().replace(day=1)
    for region in (Region.EUROPE, Region.ASIA_PACIFIC):
        assert len(selectors.leaderboard(month=month, region=region)) == 2
    assert len(selectors.hall_of_fame()) == 2
    assert set(Channel.objects.values_list("language", flat=True)) == {"en", "zh-hans"}

    ines = User.objects.get(username="security_ines")
    assert ines.emailaddress_set.get().verified  # demo logins work without a verification
    client.force_login(ines)
    assert client.get("/en/programs/security/reports/").content.decode().count("<tr>") == 5
    client.force_login(User.objects.get(username="xiaoming"))
    assert client.get("/en/programs/security/reports/").content.decode().count("<tr>") == 2
    for url in ("/en/programs/", "/en/programs/ambassadors/leaderboard/",
                "/zh-hans/programs/security/", "/en/programs/channels/?account=@okx"):
        assert client.get(url).status_code == 200, url
