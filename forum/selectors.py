"""Every non-trivial read of the forum. Visibility (hidden topics and posts) is decided here,
the same way for lists and detail pages."""

import difflib
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from accounts.selectors import user_is_staff
from forum.models import (
    Category,
    Post,
    PostRevision,
    Reaction,
    Sanction,
    Topic,
    TopicRead,
)

POSTS_PER_PAGE = 20
TOPICS_PER_PAGE = 30


def user_may_edit(*, user, post: Post) -> bool:
    """Editing and hiding a post: its author, or staff."""
    return user_is_staff(user) or (user.is_authenticated and user.pk == post.author_id)


def user_may_flag(*, user, post: Post) -> bool:
    """Flagging a post: a signed-in member, on someone else's post not hidden yet."""
    return user.is_authenticated and user.pk != post.author_id and not post.is_hidden


def user_can_accept(*, topic: Topic, user) -> bool:
    """Whether ``user`` may choose (or change) the accepted answer of ``topic``."""
    return topic.category.is_qa and user.is_authenticated and (
        user_is_staff(user) or user.pk == topic.author_id)


def categories_index() -> list[Category]:
    """Sections in order, each with ``categories`` (its categories in order), translated in
    the active language: two queries (the rows and their translations) whatever the number
    of categories; the tree is put together here rather than by a second prefetch."""
    rows = list(Category.objects.prefetch_related("translations"))
    sections = [row for row in rows if row.parent_id is None]
    by_section = {section.pk: section for section in sections}
    for section in sections:
        section.categories = []
    for row in rows:
        if row.parent_id in by_section:
            by_section[row.parent_id].categories.append(row)
    return sections


def category_get(*, slug: str) -> Category:
    """A category (not a section) by slug, with its section, else Http404."""
    category = Category.objects.filter(slug=slug, parent__isnull=False) \
        .select_related("parent").prefetch_related("translations", "parent__translations") \
        .first()
    if category is None:
        raise Http404
    return category


def topics_visible(*, user) -> QuerySet[Topic]:
    """Topics ``user`` may see: all for staff, else those not hidden."""
    topics = Topic.objects.all()
    return topics if user_is_staff(user) else topics.filter(is_hidden=False)


def topics_listed(*, user) -> QuerySet[Topic]:
    """Topics that appear in ``user``'s lists, feeds and digests: the visible ones but the
    shells of merged topics (their address only redirects)."""
    return topics_visible(user=user).filter(merged_into__isnull=True)


def _with_read_state(topics: QuerySet[Topic], *, user) -> QuerySet[Topic]:
    """Annotate ``last_read_number`` from ``user``'s TopicRead row (a subquery, so no extra
    query; None when never opened, and always for anonymous readers)."""
    if not user.is_authenticated:
        return topics.annotate(last_read_number=Value(None, output_field=IntegerField()))
    read = TopicRead.objects.filter(user=user, topic=OuterRef("pk")).values("last_read_number")
    return topics.annotate(last_read_number=Subquery(read[:1], output_field=IntegerField()))


def topics_for(*, user, category: Category | None = None,
               filter: str = "latest") -> QuerySet[Topic]:  # noqa: A002 - the issue's word
    """A topic list: pinned first (global pins on every list, category pins in their
    category), then by last post. Each topic carries ``last_read_number`` (from the user's
    TopicRead, in the same query; None when never opened) and ``unread_count``.
    ``filter``: latest, unread (opened before and with new posts since), solved, unsolved
    (those two mean Q&A topics). Unknown filters read as "latest". Merged topics (empty
    shells that redirect) are left out."""
    topics = topics_listed(user=user).select_related("author", "last_poster", "category")
    if category is not None:
        topics = topics.filter(Q(category=category) | Q(is_pinned_globally=True))
    topics = _with_read_state(topics, user=user)
    if filter == "unread":
        topics = topics.filter(last_read_number__lt=F("last_post_number"))
    elif filter == "solved":
        topics = topics.filter(category__is_qa=True, accepted_post__isnull=False)
    elif filter == "unsolved":
        topics = topics.filter(category__is_qa=True, accepted_post__isnull=True)
    pinned = Q(is_pinned_globally=True)
    if category is not None:
        pinned |= Q(is_pinned=True)
    topics = topics.annotate(pin_rank=Case(When(pinned, then=Value(0)), default=Value(1)))
    return topics.order_by("pin_rank", "-last_posted_at", "-pk")


def topic_list_page(*, user, category: Category | None = None, filter: str = "latest",
                    page: int | str = 1) -> Page:  # noqa: A002
    """One page of ``topics_for``, each topic with ``unread_count`` (None: never opened)."""
    topics = Paginator(topics_for(user=user, category=category, filter=filter),
                       TOPICS_PER_PAGE).get_page(page)
    for topic in topics:
        topic.unread_count = None if topic.last_read_number is None else max(
            topic.last_post_number - topic.last_read_number, 0)
    return topics


# The reader's place in a topic, for ``topic_get``: SQL of the models' own tables (TopicRead,
# Watch, Post, Reaction), because the topic page runs it for every member and compiling these
# subqueries through the ORM took longer than running them.
_LAST_READ_SQL = ("SELECT last_read_number FROM forum_topicread"
                  " WHERE user_id = %s AND topic_id = forum_topic.id")
_WATCH_LEVEL_SQL = "SELECT level FROM forum_watch WHERE user_id = %s AND topic_id = forum_topic.id"
_TOOK_PART_SQL = ("EXISTS (SELECT 1 FROM forum_post"
                  " WHERE topic_id = forum_topic.id AND author_id = %s)"
                  " OR EXISTS (SELECT 1 FROM forum_reaction AS r"
                  " JOIN forum_post AS p ON p.id = r.post_id"
                  " WHERE r.user_id = %s AND p.topic_id = forum_topic.id)")


def topic_get(*, user, pk: int, with_category: bool = True) -> Topic:
    """A topic ``user`` may see, with ``user``'s place in it, else Http404:
    ``last_read_number`` (None: never opened), ``watch_level`` ("" without one) and
    ``took_part`` (they wrote or reacted to one of its posts). One query, with its category
    unless ``with_category`` is False (the topic page, which needs the category only to render
    a page that is not in the cache); the category's name comes from parler's cache."""
    topics = topics_visible(user=user)
    if with_category:
        topics = topics.select_related("category")
    if user.is_authenticated:
        # Constant SQL with bound parameters.
        topics = topics.annotate(
            last_read_number=RawSQL(  # noqa: S611
                _LAST_READ_SQL, [user.pk], output_field=IntegerField()),
            watch_level=RawSQL(_WATCH_LEVEL_SQL, [user.pk], output_field=CharField()),  # noqa: S611
            took_part=RawSQL(  # noqa: S611
                _TOOK_PART_SQL, [user.pk, user.pk], output_field=BooleanField()))
    try:
        topic = topics.get(pk=pk)
    except Topic.DoesNotExist:
        raise Http404 from None
    if not user.is_authenticated:
        topic.last_read_number, topic.watch_level, topic.took_part = None, "", False
    topic.watch_level = topic.watch_level or ""
    return topic


def topic_reader(*, user, topic: Topic) -> tuple[bool, int | None]:
    """Who ``user`` is on ``topic``'s pages (from ``topic_get``), for the page's cache key:
    whether they are staff, and their id if they started the topic or wrote or reacted there
    (they see their own posts and reactions), else None: the members who took no part see
    its posts alike and share one page."""
    return user_is_staff(user), user.pk if topic.took_part or topic.author_id == user.pk \
        else None


def topic_state(topic: Topic) -> tuple:
    """What the topic page shows of ``topic`` (from ``topic_get``), for the page's cache key:
    the topic's fields (``posts_version`` and ``category_id`` among them) and the reader's
    watch level. A category's own fields change only in the admin, which expires members'
    pages (core.pagecache.member_pages_expire)."""
    return (*(getattr(topic, field.attname) for field in Topic._meta.concrete_fields),
            topic.watch_level)


def topic_page_numbers(*, topic: Topic, page: int | str = 1) -> Page:
    """The page of ``topic`` that ``page`` asks for (any string: a bad one means the first,
    one past the end the last), as a page of post numbers. No query: posts are numbered
    1..N without gaps (forum.move keeps it so)."""
    return Paginator(range(1, topic.last_post_number + 1), POSTS_PER_PAGE).get_page(page)


def post_visible_in_full(*, user, post: Post) -> bool:
    """Hidden posts are shown to staff and their author; others see a placeholder."""
    return not post.is_hidden or user_may_edit(user=user, post=post)


def topic_posts(*, user, topic: Topic, page: int | str = 1) -> Page:
    """One page (``POSTS_PER_PAGE``) of ``topic``'s posts with their authors; each post has
    ``in_reply_to`` (the number of the post of this topic it quotes, or None), ``mine`` (``user``
    wrote it), ``my_reactions`` (the kinds ``user`` gave it), ``may_edit``
    (``user`` may edit and hide it), ``may_flag``, ``accepted`` (the topic's accepted
    answer), ``accept_action`` ("accept", "unaccept" or "") and ``shown`` (False: render the
    "hidden" placeholder). Two queries whatever the number of posts, users and reactions.

    A page is a range of numbers (``topic_page_numbers``), read through the (topic, number)
    index rather than with an OFFSET, and the count is the topic's ``last_post_number``
    rather than a COUNT(*)."""
    page = topic_page_numbers(topic=topic, page=page)
    first = (page.number - 1) * POSTS_PER_PAGE
    page.object_list = list(
        Post.objects.filter(topic=topic, number__gt=first, number__lte=first + POSTS_PER_PAGE)
        .annotate(in_reply_to=Case(When(reply_to__topic=topic, then=F("reply_to__number"))))
        .select_related("author").order_by("number"))
    mine: dict[int, set[str]] = {}
    if user.is_authenticated:
        for post_id, kind in Reaction.objects.filter(
                user=user, post__in=[post.pk for post in page]).values_list("post_id", "kind"):
            mine.setdefault(post_id, set()).add(kind)
    may_accept = user_can_accept(topic=topic, user=user)
    for post in page:
        post.accepted = post.pk == topic.accepted_post_id
        post.accept_action = _accept_action(post, accepted=post.accepted, may_accept=may_accept)
        post.my_reactions = mine.get(post.pk, set())
        post.may_edit = user_may_edit(user=user, post=post)
        post.may_flag = user_may_flag(user=user, post=post)
        post.mine = user.is_authenticated and user.pk == post.author_id
        post.shown = not post.is_hidden or post.may_edit
    return page


def _accept_action(post: Post, *, accepted: bool, may_accept: bool) -> str:
    """The accept button under a reply for someone who may choose the answer: "unaccept" on
    the accepted one, "accept" on the others that are shown; "" otherwise."""
    if not may_accept or post.number == 1:
        return ""
    if accepted:
        return "unaccept"
    return "" if post.is_hidden else "accept"


def post_get(*, user, pk: int) -> Post:
    """A post in a topic ``user`` may see, with its topic, else Http404."""
    post = Post.objects.select_related("topic", "author") \
        .filter(pk=pk, topic__in=topics_visible(user=user)).first()
    if post is None:
        raise Http404
    return post


def post_quotable(*, user, topic: Topic, pk) -> Post | None:
    """The post ``pk`` (any string from a query or form) if ``user`` may quote it in a reply
    to ``topic``: a post of that topic shown to them in full; else None."""
    try:
        post = post_get(user=user, pk=int(pk))
    except (TypeError, ValueError, Http404):
        return None
    if post.topic_id != topic.pk or not post_visible_in_full(user=user, post=post):
        return None
    return post


def page_for_number(number: int) -> int:
    """The page of a topic showing post ``number`` (posts are numbered without gaps)."""
    return (number - 1) // POSTS_PER_PAGE + 1


@dataclass
class Revision:
    editor: object
    created_at: object
    diff: SafeString


def _inline_diff(old: str, new: str) -> SafeString:
    """Word-level diff of two texts as HTML: removed words in <del>, added in <ins>, all text
    escaped (it is user input)."""
    before, after = old.split(" "), new.split(" ")
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after).get_opcodes():
        if op == "equal":
            parts.append(escape(" ".join(before[i1:i2])))
            continue
        if i2 > i1:
            parts.append(f"<del>{escape(' '.join(before[i1:i2]))}</del>")
        if j2 > j1:
            parts.append(f"<ins>{escape(' '.join(after[j1:j2]))}</ins>")
    return mark_safe(" ".join(parts))  # noqa: S308 - every piece of text was escaped above


def post_revisions(post: Post) -> list[Revision]:
    """Each edit of ``post``, newest first, as a diff from the text before it to the text
    after it. Precondition: the reader may see the post in full (``post_visible_in_full``)."""
    revisions = list(PostRevision.objects.filter(post=post).select_related("editor"))
    texts = [revision.body for revision in revisions] + [post.body]
    return [Revision(editor=revision.editor, created_at=revision.created_at,
                     diff=_inline_diff(texts[i], texts[i + 1]))
            for i, revision in enumerate(revisions)][::-1]


def user_sanction_active(*, user, kind: str) -> Sanction | None:
    """The sanction of ``kind`` in force for ``user`` that ends last, or None."""
    if not user.is_authenticated:
        return None
    return Sanction.objects.filter(user=user, kind=kind, until__gt=timezone.now()) \
        .order_by("-until").first()


def sanction_end(sanction: Sanction) -> str:
    """When ``sanction`` ends, as the reader's locale writes a date and time."""
    return formats.date_format(timezone.localtime(sanction.until), "DATETIME_FORMAT")


def user_ban_message(*, user) -> str | None:
    """Why ``user`` may not sign in now (a translated sentence), or None."""
    ban = user_sanction_active(user=user, kind=Sanction.Kind.BAN)
    if ban is None:
        return None
    return _("Your account is banned until %(until)s.") % {"until": sanction_end(ban)}
