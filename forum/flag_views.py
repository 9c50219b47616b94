"""Flagging a post: a small POST form under each post (templates/forum/includes/
flag_form.html). Without JavaScript it redirects back to the post with a message; fetched
(``X-Requested-With``) it answers JSON. The rules, the rate limit among them, are in
forum.moderation."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from forum import moderation
from forum.actions import _answer, _members_only, _visible_post


@_members_only
def post_flag(request, pk):
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
