"""Flagging a post: the "Flag" link under a post opens a small page with the form (the
reasons and an optional note). Posted without JavaScript it redirects back to the post with a
message; fetched (``X-Requested-With``) it answers JSON. The rules, the rate limit among them,
are in forum.moderation."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.http import members_only_post
from forum import moderation, selectors
from forum.actions import _answer, _visible_post
from forum.models import Flag


@login_required
def _flag_form(request, pk):
    post = _visible_post(request.user, pk)
    if not selectors.user_may_flag(user=request.user, post=post):
        raise Http404
    return render(request, "forum/post_flag.html",
                  {"post": post, "reasons": Flag.Reason.choices})


@members_only_post
def _flag_send(request, pk):
    """``reason`` (a Flag.Reason) and an optional ``note``; a post the user may not see in
    full is a 404."""
    post = _visible_post(request.user, pk)
    try:
        moderation.post_flag(post=post, user=request.user, reason=request.POST.get("reason", ""),
                             note=request.POST.get("note", ""))
    except ValidationError as exc:
        return _answer(request, post, done="", error=exc)
    return _answer(request, post, flagged=True,
                   done=_("Thank you: the moderators will review this post."))


def post_flag(request, pk):
    return _flag_send(request, pk) if request.method == "POST" else _flag_form(request, pk)
