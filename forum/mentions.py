"""@mentions in a post's Markdown source.

Only mentions the author wrote count: code (fenced, indented or inline) and quoted lines are
skipped, since quoting someone's ``@name`` or showing an example must not ping that user again.
"""

import re
from functools import reduce
from operator import or_

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html

MENTIONS_MAX = 10
FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
CODE_SPAN_RE = re.compile(r"(`+).+?\1", re.DOTALL)
# Django usernames allow letters, digits and @.+-_; "@" is excluded so emails do not match and
# a trailing dot ends the sentence rather than the name.
MENTION_RE = re.compile(r"(?<![\w@.+-])@([\w.+-]*\w)")
TAG_RE = re.compile(r"(<[^>]*>)")
SKIPPED_TAG_RE = re.compile(r"<(/?)(?:a|code|pre)\b", re.IGNORECASE)


def _authored_text(body: str) -> str:
    """The lines of ``body`` outside code blocks and quotes, with inline code removed."""
    kept, fence = [], None
    for line in body.splitlines():
        opening = FENCE_RE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            continue
        if line.startswith(("    ", "\t")) or line.lstrip().startswith(">"):
            continue
        kept.append(line)
    return CODE_SPAN_RE.sub(" ", "\n".join(kept))


def mention_names(*, body: str) -> list[str]:
    """The distinct usernames @mentioned in ``body``, in order, at most ``MENTIONS_MAX``."""
    names: dict[str, None] = {}
    for name in MENTION_RE.findall(_authored_text(body)):
        names.setdefault(name.lower(), None)
        if len(names) == MENTIONS_MAX:
            break
    return list(names)


def mentioned_users(*, body: str):
    """The existing active users @mentioned in ``body`` (one query; none if no mention)."""
    names = mention_names(body=body)
    if not names:
        return []
    match = reduce(or_, (Q(username__iexact=name) for name in names))
    return list(get_user_model().objects.filter(match, is_active=True)[:MENTIONS_MAX])


def mentions_linked(*, html: str, users, language: str) -> str:
    """``html`` (rendered and sanitised) with each ``@name`` of ``users`` made a link to their
    profile in ``language``, except inside links and code."""
    names = {user.username.lower(): user.username for user in users}
    if not names:
        return html
    with translation.override(language):
        urls = {name: reverse("accounts:profile", kwargs={"username": username})
                for name, username in names.items()}

    def link(match: re.Match) -> str:
        url = urls.get(match.group(1).lower())
        return format_html('<a class="mention" href="{}">@{}</a>', url, match.group(1)) \
            if url else match.group(0)

    parts, inside = TAG_RE.split(html), 0
    for i, part in enumerate(parts):
        if i % 2:  # a tag
            skipped = SKIPPED_TAG_RE.match(part)
            if skipped:
                inside += -1 if skipped.group(1) else 1
        elif not inside:
            parts[i] = MENTION_RE.sub(link, part)
    return "".join(parts)


def users_for_mention(*, query: str, limit: int = 8) -> list[dict]:
    """Active users whose username or display name starts with ``query`` (2+ characters), for
    the @mention autocomplete: at most ``limit``, by username."""
    query = (query or "").strip().lstrip("@")
    if len(query) < 2:
        return []
    users = get_user_model().objects.filter(
        Q(username__istartswith=query) | Q(display_name__istartswith=query), is_active=True,
    ).order_by("username").only("username", "display_name")[:limit]
    return [{"username": user.username, "name": user.name} for user in users]
