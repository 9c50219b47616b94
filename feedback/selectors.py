"""Reads of feedback. Visibility is decided here, once, for lists and detail pages alike."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from feedback.models import Comment, FeedbackItem, Follow, ProductArea, Tag, Team, Vote
from search.selectors import similar_titles

ROADMAP_STATUSES = (FeedbackItem.Status.PLANNED, FeedbackItem.Status.IN_PROGRESS,
                    FeedbackItem.Status.SHIPPED)
TRENDING_WINDOW = timedelta(days=14)
# Which items take votes (services.vote_toggle enforces the same): public ideas that were not
# merged into another.
VOTING_OPEN = Q(is_public=True) & ~Q(status=FeedbackItem.Status.DUPLICATE)


def item_visible_to(*, user) -> QuerySet[FeedbackItem]:
    """Items ``user`` may see: the public board for everyone; everything for staff."""
    items = FeedbackItem.objects.all()
    if not (user.is_authenticated and user.is_staff):
        items = items.filter(is_public=True)
    return items


def _with_board_relations(items: QuerySet[FeedbackItem], *, user) -> QuerySet[FeedbackItem]:
    """What every list and card shows (author and badges, area, tags, whether ``user``
    voted), in a fixed number of queries whatever the number of items."""
    items = items.select_related("author", "product_area").prefetch_related(
        "product_area__translations",
        Prefetch("tags", queryset=Tag.objects.prefetch_related("translations")),
    ).annotate(voting_open=ExpressionWrapper(VOTING_OPEN, output_field=BooleanField()))
    if user.is_authenticated:
        return items.annotate(voted=Exists(Vote.objects.filter(item=OuterRef("pk"), user=user)))
    return items.annotate(voted=Value(False))


def board_list(*, user, sort: str = "top", status: str = "", area: str = "", tag: str = "",
               query: str = "") -> QuerySet[FeedbackItem]:
    """The public board, filtered and sorted; duplicates are left out unless asked for."""
    items = item_visible_to(user=user).filter(is_public=True)
    if status:
        items = items.filter(status=status)
    else:
        items = items.exclude(status=FeedbackItem.Status.DUPLICATE)
    if area:
        items = items.filter(product_area__slug=area)
    if tag:
        items = items.filter(tags__slug=tag)
    query = " ".join(query.split())
    if query:
        items = items.filter(Q(title__icontains=query) | Q(body__icontains=query))
    if sort == "new":
        items = items.order_by("-created_at", "-id")
    elif sort == "trending":
        since = timezone.now() - TRENDING_WINDOW
        items = items.annotate(
            recent_votes=Count("votes", filter=Q(votes__created_at__gte=since))
        ).order_by("-recent_votes", "-vote_count", "-created_at", "-id")
    else:
        items = items.order_by("-vote_count", "-created_at", "-id")
    return _with_board_relations(items, user=user)


def item_get(*, user, pk: int) -> FeedbackItem:
    """One item ``user`` may see, with everything its page shows; otherwise 404.

    ``voted`` and ``followed`` say what ``user`` does; ``comments`` come with their authors."""
    items = _with_board_relations(item_visible_to(user=user), user=user)
    if user.is_authenticated:
        items = items.annotate(followed=Exists(Follow.objects.filter(item=OuterRef("pk"),
                                                                     user=user)))
    else:
        items = items.annotate(followed=Value(False))
    item = items.select_related("duplicate_of").prefetch_related(
        Prefetch("comments", queryset=Comment.objects.select_related("author")),
    ).filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def item_get_simple(*, user, pk: int) -> FeedbackItem:
    """One item ``user`` may see, without its relations (for the vote and follow buttons);
    otherwise 404."""
    item = item_visible_to(user=user).filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def _open_ideas(items: QuerySet[FeedbackItem]) -> QuerySet[FeedbackItem]:
    """Ideas on the board that are not duplicates of another."""
    return items.filter(VOTING_OPEN)


def merge_targets() -> QuerySet[FeedbackItem]:
    """Ideas another one may be merged into: public ones that are not duplicates themselves."""
    return _open_ideas(FeedbackItem.objects.all())


def similar_items(*, user, text: str, limit: int = 5) -> list[FeedbackItem]:
    """Ideas open for voting whose titles share the most words with ``text``, then the
    newest (the search index's order, see ``search.selectors.similar_titles``): shown while
    a user types a new idea, so they can vote instead of posting a duplicate. Two queries;
    none for text without a whole word."""
    ids = [similar.object_id for similar in
           similar_titles(user=user, text=text, kinds=["feedback"], limit=limit)]
    if not ids:
        return []
    found = _open_ideas(item_visible_to(user=user)).only(
        "id", "title", "vote_count", "status").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


@dataclass(frozen=True)
class RoadmapColumn:
    status: str
    label: str
    items: list[FeedbackItem]


def roadmap(*, user, shipped_limit: int = 10) -> list[RoadmapColumn]:
    """Planned, In progress and Shipped: the first two most voted first, the last the most
    recently shipped (the changelog has the rest). Fixed queries whatever the number of items."""
    upcoming = board_list(user=user).filter(status__in=[FeedbackItem.Status.PLANNED,
                                                        FeedbackItem.Status.IN_PROGRESS])
    shipped = changelog(user=user)[:shipped_limit]
    by_status: dict[str, list[FeedbackItem]] = {status: [] for status in ROADMAP_STATUSES}
    for item in [*upcoming, *shipped]:
        by_status[item.status].append(item)
    return [RoadmapColumn(status=status, label=FeedbackItem.Status(status).label,
                          items=by_status[status]) for status in ROADMAP_STATUSES]


def changelog(*, user) -> QuerySet[FeedbackItem]:
    """Shipped ideas, the most recently shipped first."""
    return board_list(user=user, status=FeedbackItem.Status.SHIPPED).annotate(
        shipped_at=Coalesce("status_changed_at", "updated_at")).order_by("-shipped_at", "-id")


def product_areas() -> QuerySet[ProductArea]:
    return ProductArea.objects.prefetch_related("translations")


def tags() -> QuerySet[Tag]:
    return Tag.objects.prefetch_related("translations")


def team_queue_names() -> list[str]:
    return [team.queue for team in Team.objects.order_by("slug")]
