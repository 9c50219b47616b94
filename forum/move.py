"""Staff moving posts about: a topic to another category, a topic's posts onto the end of
another topic (merge), chosen replies out into a new topic (split).

Each keeps what the rest of the forum relies on: posts numbered 1..N without gaps, the
topics' last post fields, the categories' counts, an accepted answer inside its own topic and
read states that claim no more than a topic has. Topic rows are locked (in primary key order
when there are two) so two staff members, or a reply, cannot interleave with a renumbering.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, F, When
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.selectors import user_is_staff
from forum.models import Category, Post, Topic, TopicRead, Watch
from forum.search import topic_reindex
from forum.services import title_clean


def _require_staff(user) -> None:
    if not user_is_staff(user):
        raise PermissionDenied


def _require_category(category: Category) -> None:
    if category.parent_id is None:
        raise ValidationError(_("Choose a category: sections hold categories, not topics."),
                              code="section")


def _lock(*topics: Topic) -> list[Topic]:
    """The rows of ``topics``, locked in primary key order (two staff members locking the
    same pair cannot deadlock) and returned in the order given; ValidationError for a merged
    one (an empty shell that only redirects)."""
    rows = {row.pk: row for row in Topic.objects.select_for_update().order_by("pk")
            .filter(pk__in=[topic.pk for topic in topics])}
    locked = [rows[topic.pk] for topic in topics]
    if any(topic.merged_into_id for topic in locked):
        raise ValidationError(_("This topic was merged into another one: work on that one."),
                              code="merged")
    return locked


def _count(category_id: int, *, topics: int = 0, posts: int = 0) -> None:
    Category.objects.filter(pk=category_id).update(topic_count=F("topic_count") + topics,
                                                   post_count=F("post_count") + posts)


def _recount(topic: Topic) -> None:
    """Set ``topic``'s last post fields from its posts. Precondition: the topic is locked and
    its posts are numbered 1..N."""
    posts = Post.objects.filter(topic=topic)
    latest = posts.order_by("-created_at", "-pk").first()
    topic.last_post_number = posts.count()
    topic.last_posted_at = latest.created_at if latest else None
    topic.last_poster_id = latest.author_id if latest else None
    topic.save(update_fields=["last_post_number", "last_posted_at", "last_poster"])


@transaction.atomic
def topic_move(*, topic: Topic, category: Category, by) -> Topic:
    """Move ``topic`` with its posts to ``category`` (staff-only categories too). Staff only
    (PermissionDenied); ValidationError for a section, the topic's own category or a merged
    topic."""
    _require_staff(by)
    _require_category(category)
    (topic,) = _lock(topic)
    if topic.category_id == category.pk:
        raise ValidationError(_("The topic is already in this category."), code="same")
    _count(topic.category_id, topics=-1, posts=-topic.last_post_number)
    _count(category.pk, topics=1, posts=topic.last_post_number)
    topic.category = category
    topic.save(update_fields=["category"])
    topic_reindex(topic=topic)
    return topic


@transaction.atomic
def topic_merge(*, topic: Topic, into: Topic, by) -> Topic:
    """Append every post of ``topic`` to ``into``, in their order, and return ``into``. The
    posts keep their ids (so their links, reactions, revisions and flags); ``topic`` stays
    as an empty shell whose address redirects to ``into``. Watches follow where the user has
    none on ``into``. Staff only (PermissionDenied); ValidationError for a topic into itself
    or a merged topic on either side."""
    _require_staff(by)
    if topic.pk == into.pk:
        raise ValidationError(_("A topic cannot be merged into itself."), code="itself")
    topic, into = _lock(topic, into)
    moved = topic.last_post_number
    # The numbers after ``into``'s last post are free, so one UPDATE cannot collide.
    Post.objects.filter(topic=topic).update(topic=into,
                                            number=F("number") + into.last_post_number)
    _count(topic.category_id, topics=-1, posts=-moved)
    _count(into.category_id, posts=moved)
    _recount(into)
    kept = Watch.objects.filter(topic=into).values("user_id")
    Watch.objects.filter(topic=topic).exclude(user_id__in=kept).update(topic=into)
    Watch.objects.filter(topic=topic).delete()
    TopicRead.objects.filter(topic=topic).delete()
    Topic.objects.filter(merged_into=topic).update(merged_into=into)
    topic.merged_into, topic.accepted_post = into, None
    topic.save(update_fields=["merged_into", "accepted_post"])
    _recount(topic)
    topic_reindex(topic=topic)
    topic_reindex(topic=into)
    return into


def _clean_numbers(numbers: list[int], *, topic: Topic) -> list[int]:
    numbers = sorted(set(numbers))
    if not numbers:
        raise ValidationError(_("Choose the replies to split off."), code="empty")
    if numbers[0] == 1:
        raise ValidationError(_("Post #1 opens the topic and stays with it; to take every "
                                "post elsewhere, move the topic."), code="opening")
    unknown = [number for number in numbers if not 1 < number <= topic.last_post_number]
    if unknown:
        raise ValidationError(
            ngettext("This topic has no post #%(numbers)s.",
                     "This topic has no posts #%(numbers)s.", len(unknown)),
            code="unknown", params={"numbers": ", #".join(map(str, unknown))})
    return numbers


def _shifted(field: str, removed: list[int], *, offset: int = 0) -> Case:
    """``field`` minus ``offset`` minus how many of the sorted ``removed`` numbers are at or
    below it: the dense number of a post (or a read position) once ``removed`` are gone."""
    return Case(*[When(**{f"{field}__gte": number + offset},
                       then=F(field) - offset - (index + 1))
                  for index, number in reversed(list(enumerate(removed)))],
                default=F(field) - offset)


@transaction.atomic
def topic_split(*, topic: Topic, numbers: list[int], title: str, category: Category | None,
                by) -> Topic:
    """Take the replies ``numbers`` of ``topic`` out into a new topic titled ``title`` in
    ``category`` (None: the same one), numbered 1.. in their order; the first becomes its
    opening post, its author the topic's author. ``topic`` is renumbered without gaps and
    its readers' positions follow. Returns the new topic. Staff only (PermissionDenied);
    ValidationError for a section, a bad title, post #1, unknown numbers or a merged topic."""
    _require_staff(by)
    category = category or topic.category
    _require_category(category)
    title = title_clean(title)
    (topic,) = _lock(topic)
    numbers = _clean_numbers(numbers, topic=topic)
    chosen = list(Post.objects.filter(topic=topic, number__in=numbers).order_by("number"))
    opening = chosen[0]
    new = Topic.objects.create(category=category, author=opening.author, title=title,
                               slug=slugify(title, allow_unicode=True)[:200] or "topic",
                               language=topic.language, is_hidden=opening.is_hidden)
    for number, post in enumerate(chosen, start=1):
        post.topic, post.number = new, number
    Post.objects.bulk_update(chosen, ["topic", "number"])
    # Lift the remaining later posts clear of every old number first: an UPDATE checks the
    # unique (topic, number) row by row, so closing the gaps in one go could collide.
    later = Post.objects.filter(topic=topic, number__gt=numbers[0])
    later.update(number=F("number") + topic.last_post_number)
    later.update(number=_shifted("number", numbers, offset=topic.last_post_number))
    TopicRead.objects.filter(topic=topic, last_read_number__gte=numbers[0]) \
        .update(last_read_number=_shifted("last_read_number", numbers))
    if topic.accepted_post_id in {post.pk for post in chosen}:
        topic.accepted_post = None
        topic.save(update_fields=["accepted_post"])
    _count(topic.category_id, posts=-len(chosen))
    _count(category.pk, topics=1, posts=len(chosen))
    _recount(topic)
    new.created_at = opening.created_at
    new.save(update_fields=["created_at"])
    _recount(new)
    topic_reindex(topic=topic)
    topic_reindex(topic=new)
    return new
