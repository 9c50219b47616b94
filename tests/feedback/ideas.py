"""Builders for the board's tests: product areas and tags, and ideas posted through the real
``feedback_submit`` (so the author's own vote and follow are there, as on the live board)."""

from itertools import count

from feedback.models import Comment, FeedbackItem, ItemTag, ProductArea, Tag, Vote
from feedback.services import feedback_submit
from tests.factories import UserFactory

_numbers = count(1)


def make_area(slug: str = "trading", *, en: str = "", zh: str = "") -> ProductArea:
    area = ProductArea.objects.create(slug=slug)
    for language, name in (("en", en or slug.title()), ("zh-hans", zh or slug)):
        area.set_current_language(language)
        area.name = name
    area.save()
    return area


def make_tag(slug: str = "fees", *, en: str = "") -> Tag:
    tag = Tag.objects.create(slug=slug)
    tag.set_current_language("en")
    tag.name = en or slug.title()
    tag.save()
    return tag


def make_idea(*, author=None, title: str = "", body: str = "Details of the idea.",
              area: ProductArea | None = None, status: str = "", source: str = "web",
              language: str = "en", tags=(), voters=(), comments: int = 0) -> FeedbackItem:
    """A posted idea; ``voters`` vote too and ``comments`` comments are added (straight into
    the tables: these are fixtures, the services have their own tests)."""
    item = feedback_submit(
        source=source, author=author or UserFactory(), language=language,
        title=title or f"Idea number {next(_numbers)}", body=body,
        product_area=area.slug if area else None, tags=[t.slug for t in tags],
    )
    Vote.objects.bulk_create([Vote(item=item, user=user) for user in voters])
    Comment.objects.bulk_create([Comment(item=item, author=item.author or UserFactory(),
                                         body=f"Comment {n}") for n in range(comments)])
    updates = {"vote_count": item.votes.count(), "comment_count": item.comments.count()}
    if status:
        updates["status"] = status
    FeedbackItem.objects.filter(pk=item.pk).update(**updates)
    item.refresh_from_db()
    return item


def tag_idea(item: FeedbackItem, tag: Tag) -> None:
    ItemTag.objects.get_or_create(item=item, tag=tag)
