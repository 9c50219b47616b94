"""The posts of the topic page, each rendered once and shared by every reader who would get the
same HTML (core.fragments).

A post's HTML depends on the post (its text, author, counters, markers) and on what the reader
may do with it (``may_edit``, ``may_flag``, ``mine``, ``my_reactions``, ``accept_action``
from forum.selectors.topic_posts), so both are in the key: readers with no reactions and no rights
over a post (nearly all of them) share one rendering. The forms carry a placeholder CSRF token
replaced by the reader's own (core.pagecache)."""

import hashlib

from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.fragments import fragment_key, fragments_render
from core.pagecache import PLACEHOLDER, page_csrf_token
from forum.models import Post, Topic

TEMPLATES = ("forum/includes/post.html", "forum/includes/post_actions.html",
             "accounts/avatar.html", "accounts/user_name.html")
# A changed template makes new keys: old renderings are not served after a deploy.
_TEMPLATES_VERSION = hashlib.blake2b(
    "".join(get_template(name).template.source for name in TEMPLATES).encode(),
    digest_size=6).hexdigest()


def _key(post: Post, context: dict) -> str:
    author = post.author
    return fragment_key(
        "forum-post", _TEMPLATES_VERSION, get_language(), timezone.get_current_timezone_name(),
        context["signed_in"], context["page_number"], post.accepted, post.accept_action,
        post.pk, post.number, post.created_at, post.edit_count, post.is_hidden, post.is_official,
        post.body_html, post.reaction_counts, post.shown, post.mine, post.may_edit,
        post.may_flag, sorted(post.my_reactions), post.in_reply_to,
        author and (author.pk, author.username, author.name, author.avatar.name,
                    [badge.slug for badge in author.badges]))


def _context(*, request, topic: Topic, page_number: int) -> dict:
    return {"topic": topic, "page_number": page_number,
            "signed_in": request.user.is_authenticated, "csrf_token": PLACEHOLDER}


def posts_render(*, request, posts: list[Post], topic: Topic,
                 page_number: int) -> list[SafeString]:
    """The ``<article>`` of each of ``posts`` (from forum.selectors.topic_posts) for the reader
    of ``request``."""
    context = _context(request=request, topic=topic, page_number=page_number)
    html = fragments_render(
        posts, key=lambda post: _key(post, context),
        render=lambda post: render_to_string(TEMPLATES[0], {**context, "post": post}))
    token = page_csrf_token(request)
    return [mark_safe(article.replace(PLACEHOLDER, token))  # noqa: S308 - our templates' output
            for article in html]
