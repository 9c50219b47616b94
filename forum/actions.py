"""Buttons on the topic page: reactions, accepting an answer, and the staff's pin and lock.

Each is a small POST form that works without JavaScript (redirect back to the post with a
message); static/js/forum_actions.js sends the same forms by fetch and gets JSON instead."""


from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from core.http import members_only_post, wants_json
from forum import answers, reactions, selectors, staff
from forum.models import Post, Reaction


def _visible_post(user, pk: int) -> Post:
    """The post, or 404 if ``user`` may not see it in full (nor then act on it)."""
    post = selectors.post_get(user=user, pk=pk)
    if not selectors.post_visible_in_full(user=user, post=post):
        raise Http404
    return post


def _answer(request, target, *, done: str, error: ValidationError | None = None, **data):
    """JSON for fetch, else a message and a redirect to ``target`` (a post or a topic)."""
    if error is not None:
        if wants_json(request):
            return JsonResponse({"error": error.messages[0]}, status=400)
        messages.error(request, error.messages[0])
    else:
        if wants_json(request):
            return JsonResponse(data)
        messages.success(request, done)
    return redirect(target)


def _flag(request, name: str) -> bool:
    return request.POST.get(name) == "1"


@members_only_post
def post_react(request, pk):
    post = _visible_post(request.user, pk)
    kind = request.POST.get("kind", "")
    try:
        reacted = reactions.reaction_toggle(post=post, user=request.user, kind=kind)
    except ValidationError as exc:
        return _answer(request, post, done="", error=exc)
    label = Reaction.Kind(kind).label
    return _answer(request, post, reacted=reacted, kind=kind,
                   count=post.reaction_counts.get(kind, 0), counts=post.reaction_counts,
                   done=_("You reacted: %(kind)s.") % {"kind": label} if reacted
                   else _("Your reaction is removed."))


@members_only_post
def post_accept(request, pk):
    """``accept=1`` makes the post the answer; ``accept=0`` clears the topic's answer."""
    post = _visible_post(request.user, pk)
    accept = _flag(request, "accept")
    try:
        if accept:
            answers.answer_accept(post=post, by=request.user)
        else:
            answers.answer_unaccept(topic=post.topic, by=request.user)
    except ValidationError as exc:
        return _answer(request, post, done="", error=exc)
    return _answer(request, post, accepted=accept, post=post.pk,
                   done=_("This reply is now the accepted answer.") if accept
                   else _("The answer is no longer accepted."))


@members_only_post
def topic_pin(request, pk):
    """``pinned=1`` pins (``globally=1``: on every list), ``pinned=0`` unpins."""
    topic = selectors.topic_get(user=request.user, pk=pk)
    pinned, globally = _flag(request, "pinned"), _flag(request, "globally")
    staff.topic_pin(topic=topic, by=request.user, pinned=pinned, globally=globally)
    done = (_("The topic is pinned on every list.") if topic.is_pinned_globally
            else _("The topic is pinned in its category.") if pinned
            else _("The topic is unpinned."))
    return _answer(request, topic, pinned=pinned, globally=topic.is_pinned_globally, done=done)


@members_only_post
def topic_lock(request, pk):
    """``locked=1`` locks the topic (only staff may reply), ``locked=0`` opens it again."""
    topic = selectors.topic_get(user=request.user, pk=pk)
    locked = _flag(request, "locked")
    staff.topic_lock(topic=topic, by=request.user, locked=locked)
    return _answer(request, topic, locked=locked,
                   done=_("The topic is locked.") if locked else _("The topic is open again."))
