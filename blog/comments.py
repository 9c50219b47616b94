"""Every write to comments: posting (and replying), reactions, flags and their review.

Comments are Markdown rendered once by ``core.markdown``; they are rate-limited per user and
close ``BLOG_COMMENTS_CLOSE_DAYS`` after the article's publication. A reply goes under the
comment it answers (one level: a reply to a reply joins the same thread) and tells the
author of the comment answered. Flags wait in the admin's queue, where staff hide or keep
the comment."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from accounts.selectors import user_is_staff
from blog.models import Article, Comment, CommentFlag, CommentReaction
from blog.selectors import comments_open
from core.flags import FLAG_RATE, REVIEW_ACTIONS, flag_note_clean, flags_settle
from core.markdown import render_markdown
from core.ratelimit import rate_limit_exceeded
from notifications.services import notify

BODY_MAX = 5_000
# (actions, seconds) per user.
COMMENT_RATE = (5, 300)


def _members_only(user) -> None:
    if not (user and user.is_authenticated and user.is_active):
        raise PermissionDenied


@transaction.atomic
def comment_create(*, article: Article, author, body: str,
                   parent: Comment | None = None) -> Comment:
    """``author``'s comment on ``article``, or their reply to ``parent``. Preconditions: the
    article was reached through ``selectors.articles_visible``, and ``parent`` (if any)
    through ``selectors.comment_get``. ValidationError (translated, nothing written) for an
    empty or too long text, closed comments, a parent on another article or hidden, or too
    many comments in a row."""
    _members_only(author)
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write something first."), code="empty")
    if len(body) > BODY_MAX:
        raise ValidationError(_("A comment has at most %(max)d characters.") % {"max": BODY_MAX},
                              code="too_long")
    if not comments_open(article):
        raise ValidationError(_("Comments on this article are closed."), code="closed")
    replied_to = parent
    if parent is not None:
        if parent.article_id != article.pk or parent.is_hidden:
            raise ValidationError(_("You cannot reply to this comment."), code="parent")
        parent = parent.parent or parent
    limit, period = COMMENT_RATE
    if rate_limit_exceeded(scope="blog-comment", key=str(author.pk), limit=limit,
                           period=period):
        raise ValidationError(_("You are commenting too fast. Wait a few minutes and try "
                                "again."), code="rate_limit")
    comment = Comment.objects.create(article=article, author=author, parent=parent, body=body,
                                     body_html=render_markdown(body))
    if replied_to is not None and replied_to.author_id and replied_to.author_id != author.pk:
        notify(recipient=replied_to.author, actor=author, verb=_("replied to your comment"),
               description=str(article), target_url=comment.get_absolute_url())
    return comment


def _others_comment_check(*, comment: Comment, user, choice: str, choices, unknown) -> None:
    """What reacting and flagging ask: a signed-in member, a ``choice`` among ``choices``
    (else ``unknown`` as the message), and a comment by someone else, not hidden."""
    _members_only(user)
    if choice not in choices:
        raise ValidationError(unknown, code="choice")
    if comment.author_id == user.pk:
        raise ValidationError(_("This is your own comment."), code="own")
    if comment.is_hidden:
        raise ValidationError(_("This comment is hidden."), code="hidden")


@transaction.atomic
def comment_reaction_toggle(*, comment: Comment, user, kind: str) -> bool:
    """Give ``user``'s reaction of ``kind`` to ``comment``, or take it back; returns whether
    they now have it, and ``comment.reaction_counts`` holds the new counts. ValidationError
    for an unknown kind, one's own or a hidden comment."""
    _others_comment_check(comment=comment, user=user, choice=kind,
                          choices=CommentReaction.Kind.values, unknown=_("Unknown reaction."))
    # Locking the comment's row makes concurrent toggles take turns, so no count is lost.
    Comment.objects.select_for_update().filter(pk=comment.pk).values_list("pk").get()
    mine = CommentReaction.objects.filter(comment=comment, user=user, kind=kind)
    given = not mine.exists()
    if given:
        CommentReaction.objects.create(comment=comment, user=user, kind=kind)
    else:
        mine.delete()
    comment.reaction_counts = {
        row["kind"]: row["n"] for row in CommentReaction.objects.filter(comment=comment)
        .values("kind").annotate(n=Count("pk")).order_by("kind")}
    Comment.objects.filter(pk=comment.pk).update(reaction_counts=comment.reaction_counts)
    return given


@transaction.atomic
def comment_flag(*, comment: Comment, user, reason: str, note: str = "") -> CommentFlag:
    """Report ``comment`` to the moderators. ValidationError for an unknown reason, one's own
    or an already hidden comment, a second flag by the same user, or too many flags."""
    _others_comment_check(comment=comment, user=user, choice=reason,
                          choices=CommentFlag.Reason.values,
                          unknown=_("Choose why you flag this comment."))
    if CommentFlag.objects.filter(comment=comment, user=user).exists():
        raise ValidationError(_("You have already flagged this comment."), code="again")
    limit, period = FLAG_RATE
    if rate_limit_exceeded(scope="blog-flag", key=str(user.pk), limit=limit, period=period):
        raise ValidationError(_("You are flagging too fast. Wait a while and try again."),
                              code="rate_limit")
    return CommentFlag.objects.create(comment=comment, user=user, reason=reason,
                                      note=flag_note_clean(note))


@transaction.atomic
def comment_hide(*, comment: Comment, by, hidden: bool) -> Comment:
    """Staff hide ``comment`` from readers (its author still sees it), or show it again."""
    if not user_is_staff(by):
        raise PermissionDenied
    Comment.objects.filter(pk=comment.pk).update(is_hidden=hidden)
    comment.is_hidden = hidden
    return comment


@transaction.atomic
def comment_flags_review(*, comment: Comment, by, action: str) -> int:
    """Staff decide on ``comment``'s pending flags: "hide" upholds them and hides it,
    "restore" dismisses them and shows it again, "dismiss" dismisses them and leaves it as
    it is. Returns how many flags were reviewed."""
    if not user_is_staff(by):
        raise PermissionDenied
    if action not in REVIEW_ACTIONS:
        raise ValidationError(_("Unknown review action."), code="action")
    if action != "dismiss":
        comment_hide(comment=comment, by=by, hidden=action == "hide")
    return flags_settle(CommentFlag.objects.filter(comment=comment,
                                                   status=CommentFlag.Status.PENDING),
                        by=by, action=action)
