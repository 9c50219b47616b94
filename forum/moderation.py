"""Moderation: members flag posts, staff review the flags and sanction users.

A post flagged by ``FORUM_FLAGS_TO_HIDE`` trusted members (staff, or accounts older than
``TRUSTED_AGE`` with at least ``TRUSTED_POSTS`` posts) is hidden until staff review it, as on
Discourse: a few established members can take spam down at night, while a crowd of fresh
accounts cannot silence someone. Sanctions are rows with an end time, so they lapse by
themselves (nothing scheduled has to lift them): a silence stops posting, a ban stops signing
in (checked in ``accounts.adapter``).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.selectors import user_is_staff
from accounts.services import user_sessions_end
from core.flags import FLAG_RATE, REVIEW_ACTIONS, flag_note_clean, flags_settle
from core.ratelimit import rate_limit_exceeded
from forum import services
from forum.models import Flag, Post, Sanction, Topic
from forum.search import post_reindex
from forum.selectors import sanction_end, user_sanction_active

FLAGS_TO_HIDE = 3
TRUSTED_AGE = timedelta(days=7)
TRUSTED_POSTS = 5
# (flags, seconds) per user: enough for a real clean-up, too few to bury a thread in flags.


def _flags_to_hide() -> int:
    return getattr(settings, "FORUM_FLAGS_TO_HIDE", FLAGS_TO_HIDE)


def _trusted(users):
    """Narrow a user queryset to the trusted: active staff, or established posters."""
    return users.annotate(post_total=Count("forum_posts")).filter(
        Q(is_staff=True, is_active=True)
        | Q(date_joined__lte=timezone.now() - TRUSTED_AGE, post_total__gte=TRUSTED_POSTS))


def user_is_trusted(*, user) -> bool:
    return _trusted(get_user_model().objects.filter(pk=user.pk)).exists()


@transaction.atomic
def post_flag(*, post: Post, user, reason: str, note: str = "") -> Flag:
    """Flag ``post`` for review. Preconditions: ``user`` is signed in and reached ``post``
    through a visibility check (hidden posts are a 404 for them). Raises ValidationError for
    an unknown reason, one's own post, a post already hidden, a second flag, or too many
    flags in a row. Hides the post once enough trusted members have flagged it."""
    if not user.is_authenticated:
        raise PermissionDenied
    if reason not in Flag.Reason.values:
        raise ValidationError(_("Choose why you flag this post."), code="reason")
    if post.author_id == user.pk:
        raise ValidationError(_("You cannot flag your own post."), code="own_post")
    # The row lock makes flags on one post take turns: the second flag of a user is refused
    # cleanly rather than by the unique constraint, and the trusted count is exact.
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.is_hidden:
        raise ValidationError(_("This post is already hidden."), code="hidden")
    if Flag.objects.filter(post=post, user=user).exists():
        raise ValidationError(_("You have already flagged this post."), code="again")
    limit, period = FLAG_RATE
    if rate_limit_exceeded(scope="forum-flag", key=str(user.pk), limit=limit, period=period):
        raise ValidationError(_("You are flagging too fast. Wait a while and try again."),
                              code="rate_limit")
    flag = Flag.objects.create(post=post, user=user, reason=reason, note=flag_note_clean(note))
    flaggers = Flag.objects.filter(post=post, status=Flag.Status.PENDING).values("user_id")
    trusted = _trusted(get_user_model().objects.filter(pk__in=flaggers)).count()
    if trusted >= _flags_to_hide():
        _post_hide_until_reviewed(post)
    return flag


def _post_hide_until_reviewed(post: Post) -> None:
    """Hide ``post`` with nobody as ``hidden_by``: only staff can show it again (its author
    cannot undo it through ``post_hide``)."""
    Post.objects.filter(pk=post.pk).update(is_hidden=True, hidden_by=None)
    services.topic_posts_changed(topic_id=post.topic_id)
    post.is_hidden, post.hidden_by = True, None
    if post.number == 1:
        Topic.objects.filter(pk=post.topic_id).update(is_hidden=True)
    post_reindex(post=post)


@transaction.atomic
def flags_review(*, post: Post, by, action: str) -> int:
    """Staff decide on ``post``'s pending flags: "hide" upholds them and hides the post,
    "restore" dismisses them and shows the post again, "dismiss" dismisses them and leaves
    the post as it is. Returns how many flags were reviewed."""
    if not user_is_staff(by):
        raise PermissionDenied
    if action not in REVIEW_ACTIONS:
        raise ValidationError(_("Unknown review action."), code="action")
    if action != "dismiss":
        services.post_hide(post=post, by=by, hidden=action == "hide")
    return flags_settle(Flag.objects.filter(post=post, status=Flag.Status.PENDING), by=by,
                        action=action)


@transaction.atomic
def user_sanction(*, user, by, kind: str, until: datetime, reason: str) -> Sanction:
    """Silence (``kind="silence"``: may read, may not post) or ban (may not sign in) ``user``
    until ``until``; a ban also signs them out everywhere. Staff only; staff cannot be
    sanctioned (take their staff status first)."""
    if not user_is_staff(by):
        raise PermissionDenied
    user_sanction_check(user=user, kind=kind, until=until, reason=reason)
    if kind == Sanction.Kind.BAN:
        user_sessions_end(user=user)
    return Sanction.objects.create(user=user, by=by, kind=kind, until=until,
                                   reason=reason.strip())


def user_sanction_check(*, user, kind: str, until: datetime, reason: str) -> None:
    """Raise ValidationError unless ``user_sanction`` would accept these values."""
    if kind not in Sanction.Kind.values:
        raise ValidationError(_("Choose a silence or a ban."), code="kind")
    if user.is_staff:
        raise ValidationError(_("Staff cannot be silenced or banned."), code="staff")
    if until <= timezone.now():
        raise ValidationError(_("Choose an end in the future."), code="until")
    if not (reason or "").strip():
        raise ValidationError(_("Give a reason: the user is told it."), code="reason")


def user_posting_check(*, user) -> None:
    """Raise PermissionDenied, saying until when, if ``user`` is silenced."""
    silence = user_sanction_active(user=user, kind=Sanction.Kind.SILENCE)
    if silence is not None:
        raise PermissionDenied(_("You are silenced until %(until)s: you may read but not "
                                 "post.") % {"until": sanction_end(silence)})
