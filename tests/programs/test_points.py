"""The points ledger other apps write through ``points_award`` / ``points_revoke``: default
points per activity, once per (activity, ref), only for current ambassadors, and the totals
the leaderboard shows per region and month."""

from datetime import date, datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from programs import selectors, services
from programs.models import Ambassador, PointsEntry, Region
from tests.factories import UserFactory
from tests.programs.conftest import make_ambassador

pytestmark = pytest.mark.django_db


def _move(ref: str, when: datetime) -> None:
    PointsEntry.objects.filter(ref=ref).update(awarded_at=when)


def test_points_default_per_activity_and_may_be_given():
    sam = make_ambassador()
    assert services.points_award(user=sam, activity="event_organised", ref="events.meetup:1")
    assert services.points_award(user=sam, activity="answer_accepted", ref="forum.post:7")
    assert services.points_award(user=sam, activity="feedback_shipped", ref="feedback.item:3")
    assert services.points_award(user=sam, activity="event_organised", ref="events.meetup:2",
                                 points=120)
    assert selectors.points_total(user=sam) == 50 + 10 + 25 + 120
    entry = PointsEntry.objects.get(ref="forum.post:7")
    assert entry.user == sam and entry.region == Region.EUROPE and entry.points == 10


def test_an_activity_is_awarded_once_per_ref():
    sam, lena = make_ambassador(), make_ambassador()
    assert services.points_award(user=sam, activity="answer_accepted", ref="forum.post:7")
    assert not services.points_award(user=sam, activity="answer_accepted", ref="forum.post:7")
    # The same reference may not earn a second ambassador points either...
    assert not services.points_award(user=lena, activity="answer_accepted", ref="forum.post:7")
    # ...but another activity about it is another award.
    assert services.points_award(user=sam, activity="feedback_shipped", ref="forum.post:7")
    assert PointsEntry.objects.count() == 2
    assert selectors.points_total(user=sam) == 35 and selectors.points_total(user=lena) == 0


def test_only_current_ambassadors_earn_points():
    regular = UserFactory()
    assert not services.points_award(user=regular, activity="event_organised", ref="e:1")
    # The badge alone (set by hand) does not make an ambassador of the programme.
    badge_only = UserFactory(is_ambassador=True)
    assert not services.points_award(user=badge_only, activity="event_organised", ref="e:2")
    assert not services.points_award(user=AnonymousUser(), activity="event_organised",
                                     ref="e:3")
    former = make_ambassador()
    services.ambassador_end(ambassador=Ambassador.objects.get(user=former))
    former.refresh_from_db()
    assert not former.is_ambassador
    assert not services.points_award(user=former, activity="event_organised", ref="e:4")
    assert not PointsEntry.objects.exists()


def test_an_unknown_activity_is_a_programming_error():
    with pytest.raises(ValueError):
        services.points_award(user=make_ambassador(), activity="likes", ref="x")


def test_revoked_points_leave_the_totals_and_may_be_awarded_again():
    sam = make_ambassador()
    services.points_award(user=sam, activity="answer_accepted", ref="forum.post:7")
    services.points_award(user=sam, activity="answer_accepted", ref="forum.post:8")
    assert services.points_revoke(activity="answer_accepted", ref="forum.post:7")
    assert not services.points_revoke(activity="answer_accepted", ref="forum.post:7")
    assert not services.points_revoke(activity="event_organised", ref="forum.post:8")
    assert selectors.points_total(user=sam) == 10
    assert services.points_award(user=sam, activity="answer_accepted", ref="forum.post:7")
    assert selectors.points_total(user=sam) == 20


def test_totals_per_region_and_month():
    tz = timezone.get_current_timezone()
    sam, lena = make_ambassador(), make_ambassador()
    wang = make_ambassador(region=Region.ASIA_PACIFIC)
    for n, (who, activity) in enumerate([(sam, "event_organised"), (sam, "answer_accepted"),
                                         (lena, "feedback_shipped"), (wang, "event_organised"),
                                         (wang, "event_organised"), (sam, "answer_accepted")]):
        services.points_award(user=who, activity=activity, ref=f"r{n}")
    may = datetime(2026, 5, 31, 23, 30, tzinfo=tz)
    for ref in ("r0", "r1", "r2", "r3"):
        _move(ref, may)
    _move("r4", datetime(2026, 6, 1, 0, 0, tzinfo=tz))  # the first minute of June
    _move("r5", datetime(2026, 4, 30, 23, 59, tzinfo=tz))

    board = selectors.leaderboard(month=date(2026, 5, 1))
    assert [(row.username, row.points, row.rank) for row in board] == [
        (sam.username, 60, 1), (wang.username, 50, 2), (lena.username, 25, 3)]
    europe = selectors.leaderboard(month=date(2026, 5, 1), region=Region.EUROPE)
    assert [(row.username, row.points) for row in europe] == [
        (sam.username, 60), (lena.username, 25)]
    assert [(r.username, r.points) for r in selectors.leaderboard(month=date(2026, 6, 1))] == [
        (wang.username, 50)]
    assert selectors.leaderboard(month=date(2026, 6, 1), region=Region.EUROPE) == []
    assert selectors.points_total(user=sam, month=date(2026, 4, 1)) == 10
    assert selectors.points_total(user=sam) == 70


def test_points_keep_the_region_they_were_earned_in():
    sam = make_ambassador()
    services.points_award(user=sam, activity="event_organised", ref="e:1")
    Ambassador.objects.filter(user=sam).update(region=Region.NORTH_AMERICA)
    services.points_award(user=sam, activity="event_organised", ref="e:2")
    month = timezone.localdate().replace(day=1)
    assert selectors.points_total(user=sam, region=Region.EUROPE) == 50
    assert [r.points for r in selectors.leaderboard(month=month, region=Region.EUROPE)] == [50]
    assert [r.points for r in selectors.leaderboard(
        month=month, region=Region.NORTH_AMERICA)] == [50]


def test_ties_share_a_rank():
    sam, lena, wang = make_ambassador(), make_ambassador(), make_ambassador()
    for n, who in enumerate((sam, lena)):
        services.points_award(user=who, activity="event_organised", ref=f"e{n}")
    services.points_award(user=wang, activity="answer_accepted", ref="a")
    board = selectors.leaderboard(month=timezone.localdate().replace(day=1))
    assert [row.rank for row in board] == [1, 1, 3]


@pytest.mark.parametrize("value, expected", [
    ("2026-05", date(2026, 5, 1)), ("2026-13", None), ("2026-5", None), ("may", None),
    ("", None), (None, None), ("1999-12", None), ("2026-05-01", None),
])
def test_month_parse(value, expected):
    assert selectors.month_parse(value) == expected


def test_month_options_go_back_across_the_year(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 2, 14))
    assert selectors.month_options(count=4) == [
        date(2026, 2, 1), date(2026, 1, 1), date(2025, 12, 1), date(2025, 11, 1)]
