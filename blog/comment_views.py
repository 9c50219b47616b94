"""Comment forms under an article: posting and replying, reactions and flags. Each is a
POST form that works without JavaScript and comes back to the comment with a message."""


from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from blog import comments, selectors
from blog.forms import CommentForm
from blog.views import article_page
from core.http import members_only_post


def _back(request, comment, *, done: str = "", error: ValidationError | None = None):
    """Back to ``comment`` with ``done`` or ``error``'s message."""
    if error is not None:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, done)
    return redirect(comment)


def _comment_post(request, article, *, parent=None):
    """``request``'s comment on ``article``, a reply when ``parent`` is given. Bad input
    shows the article again with the form's errors (status 400), nothing written."""
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = comments.comment_create(article=article, author=request.user,
                                              body=form.cleaned_data["body"], parent=parent)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your comment is posted."))
            return redirect(comment)
    return article_page(request, article, form=form, reply_to=parent, status=400)


@members_only_post
def comment_create(request, pk):
    """A comment on the article ``pk``."""
    return _comment_post(request, selectors.article_visible_get(pk=pk, language=get_language()))


@members_only_post
def comment_reply(request, pk):
    """A reply to the comment ``pk``, under its article."""
    parent = selectors.comment_get(user=request.user, pk=pk)
    article = selectors.article_visible_get(pk=parent.article_id, language=get_language())
    return _comment_post(request, article, parent=parent)


def comment_redirect(request, pk):
    """A comment's permanent address: its article's page in the active language, at the
    comment."""
    comment = selectors.comment_get(user=request.user, pk=pk)
    url = selectors.article_url(comment.article, get_language())
    return redirect(f"{url}#comment-{comment.pk}")


@members_only_post
def comment_react(request, pk):
    comment = selectors.comment_get(user=request.user, pk=pk)
    try:
        given = comments.comment_reaction_toggle(comment=comment, user=request.user,
                                                 kind=request.POST.get("kind", ""))
    except ValidationError as exc:
        return _back(request, comment, error=exc)
    return _back(request, comment, done=_("Thank you for your reaction.") if given
                 else _("Your reaction is removed."))


@members_only_post
def comment_flag(request, pk):
    comment = selectors.comment_get(user=request.user, pk=pk)
    try:
        comments.comment_flag(comment=comment, user=request.user,
                              reason=request.POST.get("reason", ""),
                              note=request.POST.get("note", ""))
    except ValidationError as exc:
        return _back(request, comment, error=exc)
    return _back(request, comment,
                 done=_("Thank you: the moderators will review this comment."))
