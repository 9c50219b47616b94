"""The board's writes: votes, follows, comments, status changes and merges."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from feedback import selectors
from feedback.models import Comment, FeedbackItem, Follow, Vote
from feedback.services import (
    comment_create,
    follow_toggle,
    item_merge,
    item_set_status,
    user_can_respond,
    vote_toggle,
)
from notifications.models import Notification
from tests.factories import UserFactory
from tests.feedback.ideas import make_idea

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return UserFactory(is_product_manager=True)


def stored_votes(item: FeedbackItem) -> tuple[int, int]:
    """The denormalised count and the real one, which must always agree."""
    item.refresh_from_db()
    return item.vote_count, Vote.objects.filter(item=item).count()


def notified(verb_part: str = "") -> set:
    return set(Notification.objects.filter(verb__contains=verb_part)
               .values_list("recipient__username", flat=True))


# --- Votes and follows ------------------------------------------------------------------------

def test_vote_counts_stay_right_through_toggles():
    item = make_idea()  # the author's own vote
    users = UserFactory.create_batch(4)
    for user in users:
        assert vote_toggle(item=item, user=user) is True
        assert item.vote_count == Vote.objects.filter(item=item).count()
    assert stored_votes(item) == (5, 5)
    assert vote_toggle(item=item, user=users[0]) is False
    assert vote_toggle(item=item, user=item.author) is False
    assert stored_votes(item) == (3, 3)
    assert vote_toggle(item=item, user=users[0]) is True
    assert stored_votes(item) == (4, 4)


def test_a_vote_follows_the_idea_and_unvoting_keeps_following():
    item, user = make_idea(), UserFactory()
    vote_toggle(item=item, user=user)
    assert Follow.objects.filter(item=item, user=user).exists()
    vote_toggle(item=item, user=user)
    assert Follow.objects.filter(item=item, user=user).exists()


def test_a_vote_already_there_is_not_counted_twice():
    """The other half of a double click finds the vote already cast (the unique constraint)."""
    item, user = make_idea(), UserFactory()
    Vote.objects.create(item=item, user=user)  # written by a racing request, not yet counted
    FeedbackItem.objects.filter(pk=item.pk).update(vote_count=2)
    assert vote_toggle(item=item, user=user) is False
    assert stored_votes(item) == (1, 1)


@pytest.mark.parametrize("kind", ["private", "duplicate"])
def test_no_votes_on_private_feedback_or_duplicates(kind):
    item = make_idea(source="tickets.ticket") if kind == "private" else make_idea(
        status="duplicate")
    before = stored_votes(item)
    with pytest.raises(ValidationError, match="Voting is closed"):
        vote_toggle(item=item, user=UserFactory())
    assert stored_votes(item) == before


def test_follow_toggles():
    item, user = make_idea(), UserFactory()
    assert follow_toggle(item=item, user=user) is True
    assert follow_toggle(item=item, user=user) is False
    assert not Follow.objects.filter(item=item, user=user).exists()


# --- Comments ---------------------------------------------------------------------------------

def test_comment_counts_and_follows():
    item, user = make_idea(), UserFactory()
    comment = comment_create(item=item, author=user, body="  +1 from me  ")
    item.refresh_from_db()
    assert (comment.body, comment.is_official, item.comment_count) == ("+1 from me", False, 1)
    assert Follow.objects.filter(item=item, user=user).exists()


def test_empty_comment_is_refused():
    item = make_idea()
    with pytest.raises(ValidationError, match="Write something first"):
        comment_create(item=item, author=UserFactory(), body=" \n ")
    assert not Comment.objects.exists()


def test_official_responses_only_from_staff_and_product_managers(manager):
    item = make_idea()
    with pytest.raises(PermissionDenied):
        comment_create(item=item, author=UserFactory(), body="Official!", official=True)
    with pytest.raises(PermissionDenied):
        item_set_status(item=item, status="planned", by=UserFactory(), response="Official!")
    assert not Comment.objects.exists()
    assert FeedbackItem.objects.get(pk=item.pk).status == "open"
    comment_create(item=item, author=manager, body="From the PM", official=True)
    comment_create(item=item, author=UserFactory(is_staff=True), body="From staff",
                   official=True)
    assert Comment.objects.filter(is_official=True).count() == 2


def test_who_may_respond(manager):
    from django.contrib.auth.models import AnonymousUser, Permission

    granted = UserFactory()
    granted.user_permissions.add(Permission.objects.get(codename="respond_feedback"))
    assert user_can_respond(manager) and user_can_respond(UserFactory(is_staff=True))
    assert user_can_respond(type(granted).objects.get(pk=granted.pk))
    assert not user_can_respond(UserFactory()) and not user_can_respond(AnonymousUser())


# --- Status changes ---------------------------------------------------------------------------

def test_status_change_notifies_voters_and_followers_once_but_not_the_actor(manager):
    author = UserFactory(username="author")
    item = make_idea(author=author)
    voter, follower, both = (UserFactory(username=n) for n in ("voter", "follower", "both"))
    vote_toggle(item=item, user=voter)  # voting follows too
    follow_toggle(item=item, user=follower)
    vote_toggle(item=item, user=both)
    vote_toggle(item=item, user=manager)  # the manager votes, but is the one acting
    UserFactory(username="bystander")

    item_set_status(item=item, status="planned", by=manager, response="Coming in Q3.")

    item.refresh_from_db()
    assert item.status == "planned" and item.status_changed_at is not None
    assert notified() == {"author", "voter", "follower", "both"}
    assert Notification.objects.count() == 4
    note = Notification.objects.get(recipient=voter)
    assert note.verb == f"“{item.title}” is now Planned"
    assert note.description == "Coming in Q3."
    assert note.target_url == item.get_absolute_url() and note.actor == manager
    official = Comment.objects.get(item=item)
    assert official.is_official and official.author == manager


def test_a_shipped_idea_earns_its_ambassador_author_points_until_it_is_reopened(manager):
    from programs.selectors import points_total
    from tests.programs.conftest import make_ambassador

    ambassador = make_ambassador()
    item = make_idea(author=ambassador)
    item_set_status(item=item, status="shipped", by=manager)
    assert points_total(user=ambassador) == 25
    item_set_status(item=item, status="planned", by=manager)
    assert points_total(user=ambassador) == 0
    # Anyone else's shipped idea earns nothing (and breaks nothing).
    item_set_status(item=make_idea(author=UserFactory()), status="shipped", by=manager)


def test_a_response_without_a_status_change_notifies_too(manager):
    item = make_idea(author=UserFactory(username="author"))
    item_set_status(item=item, status="open", by=manager, response="Looking into it.")
    assert notified("The OKX team answered") == {"author"}
    assert FeedbackItem.objects.get(pk=item.pk).status_changed_at is None


def test_nothing_changed_notifies_nobody(manager):
    item = make_idea()
    item_set_status(item=item, status="open", by=manager, response="   ")
    assert not Notification.objects.exists() and not Comment.objects.exists()


def test_status_must_be_valid_and_duplicates_need_a_merge(manager):
    item = make_idea()
    with pytest.raises(ValidationError, match="valid status"):
        item_set_status(item=item, status="someday", by=manager)
    with pytest.raises(ValidationError, match="merge it into the original"):
        item_set_status(item=item, status="duplicate", by=manager)
    assert FeedbackItem.objects.get(pk=item.pk).status == "open"


def test_notifications_follow_the_readers_language(manager):
    item = make_idea()
    reader = UserFactory(language="zh-hans")
    vote_toggle(item=item, user=reader)
    item_set_status(item=item, status="shipped", by=manager)
    from django.utils import translation

    with translation.override("zh-hans"):
        expected = str(translation.gettext("“{title}” is now {status}")).format(
            title=item.title, status=FeedbackItem.Status.SHIPPED.label)
    assert Notification.objects.get(recipient=reader).verb == expected


# --- Merges -----------------------------------------------------------------------------------

def test_merge_moves_votes_without_double_counting(manager):
    both, only_dup, only_orig = (UserFactory(username=n) for n in ("both", "dup", "orig"))
    original = make_idea(author=UserFactory(username="orig_author"))
    duplicate = make_idea(author=UserFactory(username="dup_author"))
    for user in (both, only_orig):
        vote_toggle(item=original, user=user)
    for user in (both, only_dup):
        vote_toggle(item=duplicate, user=user)
    assert stored_votes(original) == (3, 3) and stored_votes(duplicate) == (3, 3)

    into = item_merge(duplicate=duplicate, into=original, by=manager, response="Same idea.")

    assert into == original and into.vote_count == 5
    assert stored_votes(original) == (5, 5)  # orig_author, orig, both, dup, dup_author
    assert set(Vote.objects.filter(item=original).values_list("user__username", flat=True)) \
        == {"orig_author", "orig", "both", "dup", "dup_author"}
    assert stored_votes(duplicate) == (0, 0)
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.duplicate_of) == ("duplicate", original)
    # Its followers moved too (the manager who answered there follows it now).
    assert list(Follow.objects.filter(item=duplicate).values_list("user", flat=True)) == [
        manager.pk]
    assert set(Follow.objects.filter(item=original).values_list("user__username", flat=True)) \
        >= {"both", "dup", "dup_author"}
    assert Comment.objects.get(item=duplicate).is_official
    # The duplicate's people hear where the idea went; the original's are not bothered.
    assert notified("was merged into") == {"both", "dup", "dup_author"}
    assert Notification.objects.get(recipient=only_dup).target_url == (
        original.get_absolute_url())
    # The board leaves the duplicate out and voting on it is closed.
    assert duplicate not in selectors.board_list(user=only_dup)
    with pytest.raises(ValidationError):
        vote_toggle(item=duplicate, user=only_dup)


def test_merge_refusals(manager):
    one, two = make_idea(), make_idea()
    with pytest.raises(PermissionDenied):
        item_merge(duplicate=one, into=two, by=UserFactory())
    with pytest.raises(ValidationError, match="into itself"):
        item_merge(duplicate=one, into=one, by=manager)
    item_merge(duplicate=two, into=one, by=manager)
    with pytest.raises(ValidationError, match="itself a duplicate"):
        item_merge(duplicate=make_idea(), into=FeedbackItem.objects.get(pk=two.pk),
                   by=manager)


def test_reopening_a_duplicate_forgets_the_original(manager):
    original, duplicate = make_idea(), make_idea()
    item_merge(duplicate=duplicate, into=original, by=manager)
    duplicate.refresh_from_db()
    item_set_status(item=duplicate, status="open", by=manager)
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.duplicate_of) == ("open", None)


# --- Reads the services rely on ---------------------------------------------------------------

def test_visibility_is_the_same_for_lists_and_detail():
    public, private = make_idea(), make_idea(source="tickets.ticket")
    user, staff = UserFactory(), UserFactory(is_staff=True)
    assert list(selectors.item_visible_to(user=user)) == [public]
    assert set(selectors.item_visible_to(user=staff)) == {public, private}
    assert selectors.item_get(user=staff, pk=private.pk) == private
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.item_get(user=user, pk=private.pk)
    # The public board is public ideas only, for staff too.
    assert list(selectors.board_list(user=staff)) == [public]


def test_similar_items_rank_by_shared_words_then_newest(django_assert_num_queries):
    closer = make_idea(title="Dark mode for the web trading view")
    older = make_idea(title="Dark mode everywhere", voters=UserFactory.create_batch(5))
    newer = make_idea(title="Dark mode on the desktop app")
    fees = make_idea(title="Trading fees are too high")
    make_idea(title="Web trading view dark mode", source="tickets.ticket")  # private
    staff = UserFactory(is_staff=True)
    item_merge(duplicate=make_idea(title="Dark mode for the web"), into=closer, by=staff)
    with django_assert_num_queries(2):
        found = selectors.similar_items(user=staff, text="dark mode in the web trading view")
    assert found == [closer, newer, older, fees]
    assert [item.pk for item in selectors.similar_items(
        user=UserFactory(), text="dark mode in the web trading view", limit=2)] \
        == [closer.pk, newer.pk]
    with django_assert_num_queries(0):
        assert selectors.similar_items(user=staff, text="to the a of") == []
