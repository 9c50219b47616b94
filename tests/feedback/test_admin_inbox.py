"""The product teams' inbox in Django admin: filter by team, bulk status, merge, reassign."""

import pytest
from django.urls import reverse

from feedback.models import Delivery, FeedbackItem, Vote
from notifications.models import Notification
from tests.factories import UserFactory
from tests.feedback.conftest import make_taxonomy
from tests.feedback.ideas import make_idea

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:feedback_feedbackitem_changelist")


@pytest.fixture
def teams():
    return make_taxonomy().teams


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def idea(django_capture_on_commit_callbacks):
    """An idea as users post it: classified and routed (its on-commit publish runs)."""
    def make(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return make_idea(**kwargs)
    return make


def _act(client, action, items):
    return client.post(CHANGELIST, {"action": action,
                                    "_selected_action": [item.pk for item in items]})


def test_a_teams_inbox_lists_only_what_was_routed_to_it(staff_client, teams, idea):
    wallet = idea(title="USDT withdrawal stuck for an hour")
    crash = idea(title="The app crashes on the markets page")

    response = staff_client.get(CHANGELIST, {"deliveries__team__id__exact": teams["wallet"].pk})

    assert response.status_code == 200
    listed = list(response.context["cl"].result_list)
    assert listed == [wallet] and crash not in listed


def test_inbox_query_count_does_not_grow_with_items(staff_client, teams, idea,
                                                   django_assert_max_num_queries):
    def count_queries():
        with django_assert_max_num_queries(100) as captured:
            staff_client.get(CHANGELIST)
        return len(captured)

    idea(title="USDT withdrawal stuck")
    few = count_queries()
    for n in range(10):
        idea(title=f"Withdrawal problem {n}")
    assert count_queries() == few


def test_bulk_status_change_tells_the_voters(staff_client, teams, idea):
    voter = UserFactory()
    items = [idea(title="Lower the trading fees", voters=[voter]),
             idea(title="Fee discounts for makers")]

    _act(staff_client, "set_status_planned", items)

    assert set(FeedbackItem.objects.values_list("status", flat=True)) == {"planned"}
    assert Notification.objects.filter(recipient=voter).count() == 1


def test_merging_keeps_the_most_voted_and_moves_votes(staff_client, teams, idea):
    voters = UserFactory.create_batch(3)
    keep = idea(title="Dark mode on the web", voters=voters[:2])
    duplicate = idea(title="Please add dark mode", voters=voters[1:])

    _act(staff_client, "merge_into_most_voted", [keep, duplicate])

    keep.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.status == FeedbackItem.Status.DUPLICATE
    assert duplicate.duplicate_of == keep
    # Everyone who voted for either (the authors vote for their own ideas) keeps one vote.
    supporters = {v.pk for v in voters} | {keep.author_id, duplicate.author_id}
    assert list(Vote.objects.filter(item=keep).values_list("user", flat=True).order_by(
        "user")) == sorted(supporters)
    assert keep.vote_count == len(supporters)


def test_reassigning_moves_the_item_to_the_other_team(staff_client, teams, idea,
                                                     django_capture_on_commit_callbacks):
    item = idea(title="USDT withdrawal stuck for an hour")
    assert list(item.deliveries.values_list("team__slug", flat=True)) == ["wallet"]

    with django_capture_on_commit_callbacks(execute=True):
        _act(staff_client, "reassign_security", [item])

    delivery = Delivery.objects.get(item=item)
    assert delivery.team == teams["security"]
    assert delivery.status == Delivery.Status.DELIVERED  # eager Celery delivered it


def test_the_inbox_is_for_staff_only(client, teams):
    client.force_login(UserFactory())
    response = client.get(CHANGELIST)
    assert response.status_code == 302 and "login" in response["Location"]
