"""Reads of feedback. Visibility is decided here, once, for lists and detail pages alike."""

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from feedback.models import Comment, FeedbackItem, ProductArea, Tag, Team, Vote

BOARD_SORTS = ("top", "new", "trending")
ROADMAP_STATUSES = (FeedbackItem.Status.PLANNED, FeedbackItem.Status.IN_PROGRESS,
                    FeedbackItem.Status.SHIPPED)
TRENDING_WINDOW = timedelta(days=14)


def item_visible_to(*, user) -> QuerySet[FeedbackItem]:
    """Items ``user`` may see: the public board for everyone; everything for staff."""
    items = FeedbackItem.objects.all()
    if not (user.is_authenticated and user.is_staff):
        items = items.filter(is_public=True)
    return items


def _with_board_relations(items: QuerySet[FeedbackItem], *, user) -> QuerySet[FeedbackItem]:
    items = items.select_related("author", "product_area").prefetch_related(
        Prefetch("product_area__translations"),
        Prefetch("tags", queryset=Tag.objects.prefetch_related("translations")),
    )
    if user.is_authenticated:
        items = items.annotate(voted=Exists(Vote.objects.filter(item=OuterRef("pk"),
                                                                user=user)))
    return items


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
    if query:
        items = items.filter(Q(title__icontains=query) | Q(body__icontains=query))
    if sort == "new":
        items = items.order_by("-created_at", "-id")
    elif sort == "trending":
        since = timezone.now() - TRENDING_WINDOW
        items = items.annotate(
            recent_votes=Count("votes", filter=Q(votes__created_at__gte=since))
        ).order_by("-recent_votes", "-vote_count", "-created_at")
    else:
        items = items.order_by("-vote_count", "-created_at", "-id")
    return _with_board_relations(items, user=user)


def item_get(*, user, pk: int) -> FeedbackItem:
    """One item ``user`` may see, with everything its page shows; otherwise 404."""
    item = _with_board_relations(item_visible_to(user=user), user=user).select_related(
        "duplicate_of").prefetch_related(
        Prefetch("comments", queryset=Comment.objects.select_related("author")),
    ).filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def item_is_followed(*, item: FeedbackItem, user) -> bool:
    return user.is_authenticated and item.follows.filter(user=user).exists()


def similar_items(*, user, text: str, limit: int = 5) -> list[FeedbackItem]:
    """Public items whose titles share words with ``text``, most voted first: shown while a
    user types a new idea, so they can vote instead of posting a duplicate."""
    words = [w for w in text.split() if len(w) >= 2][:8]
    if not words:
        return []
    match = Q()
    for word in words:
        match |= Q(title__icontains=word)
    return list(item_visible_to(user=user).filter(is_public=True).filter(match)
                .exclude(status=FeedbackItem.Status.DUPLICATE)
                .order_by("-vote_count", "-created_at").only("id", "title", "vote_count",
                                                             "status")[:limit])


def roadmap(*, user) -> dict[str, list[FeedbackItem]]:
    items = board_list(user=user, sort="top").filter(status__in=ROADMAP_STATUSES)
    columns = {status: [] for status in ROADMAP_STATUSES}
    for item in items:
        columns[item.status].append(item)
    return columns


def changelog(*, user) -> QuerySet[FeedbackItem]:
    return board_list(user=user, status=FeedbackItem.Status.SHIPPED).order_by(
        "-status_changed_at", "-id")


def product_areas() -> QuerySet[ProductArea]:
    return ProductArea.objects.prefetch_related("translations")


def tags() -> QuerySet[Tag]:
    return Tag.objects.prefetch_related("translations")


def team_queue_names() -> list[str]:
    return [team.queue for team in Team.objects.order_by("slug")]
