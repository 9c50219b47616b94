"""Every write to the forum: topics, replies, edits, hiding and read state.

Anti-spam lives here so every entry point (views, API, admin) gets it: per-user rate limits
(stricter for accounts younger than ``NEW_ACCOUNT_AGE``), a link/image cap for new accounts, and
a refusal of the same text posted twice by the same user within a few minutes.
"""

import re
from collections.abc import Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_supported_language_variant, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.selectors import user_is_staff
from core.markdown import render_markdown
from core.ratelimit import rate_limit_exceeded
from feedback.services import feedback_submit
from forum.mentions import mentioned_users, mentions_linked
from forum.models import Category, Post, PostRevision, Topic, TopicRead
from forum.search import post_reindex, topic_reindex
from forum.selectors import user_may_edit
from forum.watching import post_key, post_notify
from notifications.services import notifications_read_about

NEW_ACCOUNT_AGE = timedelta(days=1)
TITLE_MIN = 5
TITLE_MAX = Topic._meta.get_field("title").max_length
BODY_MAX = 30_000
# Limits as (actions, seconds); "new_*" apply to new accounts, "duplicate_window" is seconds.
# Overridable with settings.FORUM_ANTISPAM (tests relax them to write many posts quickly).
DEFAULT_ANTISPAM = {
    "topic": (10, 3600),
    "post": (30, 600),
    "new_topic": (3, 3600),
    "new_post": (10, 600),
    "new_account_links": 2,
    "duplicate_window": 300,
}
# Markdown links and images, and bare URLs: what a spammer needs to advertise.
LINK_RE = re.compile(r"https?://|www\.", re.IGNORECASE)
_antispam_lifted = ContextVar("forum_antispam_lifted", default=False)


@contextmanager
def antispam_lifted():
    """Skip the anti-spam checks inside the block (or the decorated function): for loaders
    that write many posts on members' behalf, such as the demo. Never for requests."""
    token = _antispam_lifted.set(True)
    try:
        yield
    finally:
        _antispam_lifted.reset(token)


def _antispam() -> dict:
    return {**DEFAULT_ANTISPAM, **getattr(settings, "FORUM_ANTISPAM", {})}


def _is_new_account(user) -> bool:
    return timezone.now() - user.date_joined < NEW_ACCOUNT_AGE


def title_clean(title: str) -> str:
    """A topic title with its whitespace tidied; ValidationError if too short or too long."""
    title = " ".join((title or "").split())
    if len(title) < TITLE_MIN:
        raise ValidationError(_("Give your topic a title of at least %(min)d characters."),
                              code="title", params={"min": TITLE_MIN})
    if len(title) > TITLE_MAX:
        raise ValidationError(_("Keep the title under %(max)d characters."),
                              code="title", params={"max": TITLE_MAX})
    return title


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write something first."), code="empty")
    if len(body) > BODY_MAX:
        raise ValidationError(_("Keep your post under %(limit)d characters (it has %(count)d)."),
                              code="too_long", params={"limit": BODY_MAX, "count": len(body)})
    return body


def _check_antispam(*, author, body: str, kind: str) -> None:
    """Refuse (ValidationError) what looks like spam or flooding. ``kind`` is "topic" or
    "post". Staff are exempt: they post announcements in bursts; so is a loader inside
    ``antispam_lifted()``."""
    if user_is_staff(author) or _antispam_lifted.get():
        return
    limits = _antispam()
    new = _is_new_account(author)
    if new:
        links = len(LINK_RE.findall(body))
        allowed = limits["new_account_links"]
        if links > allowed:
            raise ValidationError(
                ngettext("New members may post at most %(allowed)d link or image at first.",
                         "New members may post at most %(allowed)d links or images at first.",
                         allowed),
                code="links", params={"allowed": allowed})
    window = limits["duplicate_window"]
    if window and Post.objects.filter(
            author=author, body=body,
            created_at__gte=timezone.now() - timedelta(seconds=window)).exists():
        raise ValidationError(_("You have just posted this. Write something new, or edit "
                                "your post."), code="duplicate")
    limit, period = limits[f"new_{kind}" if new else kind]
    if rate_limit_exceeded(scope=f"forum-{kind}", key=str(author.pk), limit=limit,
                           period=period):
        raise ValidationError(_("You are posting too fast. Wait a few minutes and try again."),
                              code="rate_limit")


def _render(body: str, *, topic: Topic) -> str:
    """The post's HTML, with its @mentions linking to the profiles (in the topic's language)."""
    return mentions_linked(html=render_markdown(body), users=mentioned_users(body=body),
                           language=topic.language)


def topic_posts_changed(*, topic_id: int) -> None:
    """Record that a post of the topic changed how it looks (its text, reactions, hidden or
    official marker), so the page members share is rendered afresh (``Topic.posts_version``).
    Call it in the transaction that makes the change."""
    Topic.objects.filter(pk=topic_id).update(posts_version=F("posts_version") + 1)


def _post_add(*, topic: Topic, author, body: str, reply_to: Post | None = None) -> Post:
    """Number and store a post. Precondition: ``topic`` is locked (select_for_update), so two
    replies cannot take the same number."""
    now = timezone.now()
    post = Post.objects.create(topic=topic, number=topic.last_post_number + 1, author=author,
                               body=body, body_html=_render(body, topic=topic),
                               reply_to=reply_to)
    Topic.objects.filter(pk=topic.pk).update(last_post_number=post.number, last_posted_at=now,
                                             last_poster=author)
    Category.objects.filter(pk=topic.category_id).update(post_count=F("post_count") + 1)
    topic.last_post_number, topic.last_posted_at, topic.last_poster = post.number, now, author
    topic_mark_read(topic=topic, user=author, number=post.number)
    return post


@transaction.atomic
def topic_create(*, category: Category, author, title: str, body: str,
                 language: str = "", is_feedback: bool = False) -> Topic:
    """Start a topic with its first post. Sections (categories without a parent) hold no
    topics; staff-only categories refuse others with PermissionDenied. A topic its author
    marks as feedback goes to the product teams too (``post_send_to_feedback``)."""
    if not author.is_authenticated or not author.is_active:
        raise PermissionDenied
    from forum.moderation import user_posting_check  # here: moderation imports this module
    user_posting_check(user=author)
    if category.parent_id is None:
        raise ValidationError(_("Choose a category: sections hold categories, not topics."),
                              code="section")
    if category.who_can_start == Category.Starters.STAFF and not user_is_staff(author):
        raise PermissionDenied(_("Only staff may start topics here."))
    title = title_clean(title)
    body = _clean_body(body)
    _check_antispam(author=author, body=body, kind="topic")
    try:
        language = get_supported_language_variant(language or "")
    except LookupError:
        language = settings.LANGUAGE_CODE
    topic = Topic.objects.create(category=category, author=author, title=title,
                                 slug=slugify(title, allow_unicode=True)[:200] or "topic",
                                 language=language, is_feedback=is_feedback)
    Category.objects.filter(pk=category.pk).update(topic_count=F("topic_count") + 1)
    opening = _post_add(topic=topic, author=author, body=body)
    post_reindex(post=opening)
    post_notify(post=opening)
    if is_feedback:
        _feedback_submit(post=opening)
    return topic


@transaction.atomic
def post_send_to_feedback(*, post: Post, by) -> str:
    """Hand a post to the feedback pipeline once (staff only); returns the feedback item's
    id."""
    if not user_is_staff(by):
        raise PermissionDenied
    return _feedback_submit(post=Post.objects.select_for_update().get(pk=post.pk))


def _feedback_submit(*, post: Post) -> str:
    """Precondition: ``post`` is locked or new. The feedback item links back to the post."""
    if post.feedback_ref:
        return post.feedback_ref
    topic = post.topic
    title = topic.title if post.number == 1 else f"{topic.title} (#{post.number})"
    item = feedback_submit(source="forum.post", source_ref=post.get_absolute_url(),
                           author=post.author, title=title, body=post.body,
                           language=topic.language)
    post.feedback_ref = str(item.pk)
    Post.objects.filter(pk=post.pk).update(feedback_ref=post.feedback_ref)
    return post.feedback_ref


@transaction.atomic
def post_reply(*, topic: Topic, author, body: str, reply_to: Post | None = None) -> Post:
    """Add a reply. Precondition: ``author`` reached ``topic`` through ``topic_get`` (hidden
    topics are staff only). Locked topics take replies from staff only."""
    if not author.is_authenticated or not author.is_active:
        raise PermissionDenied
    from forum.moderation import user_posting_check  # here: moderation imports this module
    user_posting_check(user=author)
    # The row lock serialises replies to one topic: numbers stay unique and gapless.
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    staff = user_is_staff(author)
    if topic.is_locked and not staff:
        raise ValidationError(_("This topic is locked: it takes no new replies."),
                              code="locked")
    if topic.is_hidden and not staff:
        raise PermissionDenied
    if topic.merged_into_id:  # a page opened before the merge
        raise ValidationError(_("This topic was merged into another one: reply there."),
                              code="merged")
    if reply_to is not None and reply_to.topic_id != topic.pk:
        reply_to = None
    body = _clean_body(body)
    _check_antispam(author=author, body=body, kind="post")
    post = _post_add(topic=topic, author=author, body=body, reply_to=reply_to)
    post_reindex(post=post)
    post_notify(post=post)
    return post


def _require_author_or_staff(*, post: Post, user) -> None:
    if not user_may_edit(user=user, post=post):
        raise PermissionDenied


@transaction.atomic
def post_edit(*, post: Post, editor, body: str) -> Post:
    """Change a post's text, keeping the previous text as a PostRevision. Author or staff."""
    _require_author_or_staff(post=post, user=editor)
    body = _clean_body(body)
    post = Post.objects.select_for_update().get(pk=post.pk)
    if body == post.body:
        return post
    PostRevision.objects.create(post=post, body=post.body, editor=editor)
    post.body, post.body_html = body, _render(body, topic=post.topic)
    post.edited_at, post.edit_count = timezone.now(), post.edit_count + 1
    post.save(update_fields=["body", "body_html", "edited_at", "edit_count"])
    topic_posts_changed(topic_id=post.topic_id)
    post_reindex(post=post)
    return post


@transaction.atomic
def post_hide(*, post: Post, by, hidden: bool) -> Post:
    """Hide or show a post (author or staff). Post #1 carries its topic: hiding it hides the
    topic. A post hidden by staff can only be shown again by staff."""
    _require_author_or_staff(post=post, user=by)
    if not hidden and post.is_hidden and post.hidden_by_id != by.pk and not user_is_staff(by):
        raise PermissionDenied
    post.is_hidden, post.hidden_by = hidden, by if hidden else None
    post.save(update_fields=["is_hidden", "hidden_by"])
    topic_posts_changed(topic_id=post.topic_id)
    if post.number == 1:
        Topic.objects.filter(pk=post.topic_id).update(is_hidden=hidden)
        topic_reindex(topic=post.topic)
    else:
        post_reindex(post=post)
    return post


def topic_mark_read(*, topic: Topic, user, number: int, post_ids: Sequence[int] = ()) -> None:
    """Record that ``user`` has read ``topic`` up to post ``number``; never moves back. One
    conditional UPDATE; only a first visit adds an INSERT (which ignores a racing twin).
    ``post_ids`` are the posts the user has just been shown: their notifications are read,
    and their delayed emails will not be sent."""
    if not user.is_authenticated or number < 1:
        return
    notifications_read_about(user=user, keys=[post_key(pk) for pk in post_ids])
    number = min(number, topic.last_post_number or number)
    updated = TopicRead.objects.filter(user=user, topic=topic, last_read_number__lt=number) \
        .update(last_read_number=number, updated_at=timezone.now())
    if not updated:
        TopicRead.objects.bulk_create([TopicRead(user=user, topic=topic,
                                                 last_read_number=number)],
                                      ignore_conflicts=True)
