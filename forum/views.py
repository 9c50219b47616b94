"""Forum pages: thin views over forum.selectors and forum.services. Every page works without
JavaScript; static/js/forum.js only enhances (quoting the selected text)."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import user_is_staff
from core.pagecache import anonymous_page_cache, member_page
from forum import selectors, services
from forum.forms import PostForm, TopicFilterForm, TopicForm
from forum.post_fragments import posts_render


def _submit(form, write):
    """``write(**form.cleaned_data)`` when the form is valid, else None; a ValidationError
    from the service becomes a form error (shown translated, nothing written)."""
    if not form.is_valid():
        return None
    try:
        return write(**form.cleaned_data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


def forum_index(request):
    return render(request, "forum/forum_index.html",
                  {"sections": selectors.categories_index()})


def category_detail(request, slug):
    category = selectors.category_get(slug=slug)
    current = TopicFilterForm(request.GET).value()
    page = selectors.topic_list_page(user=request.user, category=category, filter=current,
                                     page=request.GET.get("page"))
    return render(request, "forum/category_detail.html", {
        "category": category, "page": page, "current_filter": current,
        "filters": TopicFilterForm.base_fields["filter"].choices,
    })


@login_required
def topic_create(request, slug):
    category = selectors.category_get(slug=slug)
    form = TopicForm(request.POST or None)
    if request.method == "POST":
        topic = _submit(form, partial(services.topic_create, category=category,
                                      author=request.user, language=get_language()))
        if topic:
            return redirect(topic)
    status = 400 if form.errors else 200
    return render(request, "forum/topic_create.html", {"category": category, "form": form},
                  status=status)


def _anchor_url(topic, number: int) -> str:
    """The topic page showing post ``number``, with its anchor."""
    page = selectors.page_for_number(number)
    query = f"?page={page}" if page > 1 else ""
    return f"{topic.get_absolute_url()}{query}#post-{number}"


def post_url(post) -> str:
    return _anchor_url(post.topic, post.number)


def _quote(post) -> str:
    """The whole of ``post`` as a Markdown blockquote, for the reply box (``?quote=<pk>``)."""
    if post is None:
        return ""
    quoted = "\n".join(f"> {line}" if line else ">" for line in post.body.splitlines())
    return _("%(name)s wrote:") % {"name": post.author.name if post.author else "?"} + \
        f"\n{quoted}\n\n"


def _topic_page(request, topic, *, form=None, reply_to=None, status=200):
    numbers = selectors.topic_page_numbers(topic=topic, page=request.GET.get("page"))
    first_unread = None
    if topic.last_read_number is not None and topic.last_read_number < topic.last_post_number:
        first_unread = _anchor_url(topic, topic.last_read_number + 1)
    is_staff, reader = selectors.topic_reader(user=request.user, topic=topic)

    def render_page(page=None, form=form, reply_to=reply_to):
        if page is None:
            page = selectors.topic_posts(user=request.user, topic=topic, page=numbers.number)
        if form is None:
            reply_to = selectors.post_quotable(user=request.user, topic=topic,
                                               pk=request.GET.get("quote"))
            form = PostForm(initial={"body": _quote(reply_to)})
        return render(request, "forum/topic_detail.html", {
            "topic": topic, "category": topic.category, "page": page, "form": form,
            "reply_to": reply_to, "first_unread": first_unread, "is_staff": is_staff,
            "posts_html": posts_render(request=request, posts=page.object_list, topic=topic,
                                       page_number=page.number),
        }, status=status)

    page = None
    shown = numbers.object_list[-1] if numbers.object_list else 0
    if request.user.is_authenticated and shown > (topic.last_read_number or 0):
        page = selectors.topic_posts(user=request.user, topic=topic, page=numbers.number)
        services.topic_mark_read(topic=topic, user=request.user, number=shown,
                                 post_ids=[post.pk for post in page.object_list])
    if form is not None:  # a reply with errors: the member's own text is on the page
        return render_page(page)
    # Everything the page shows that is not the same for every member: the topic (its
    # posts_version follows every change to how its posts look), its category, the reader's
    # place in it and who they are there. The posts are read only to render a page that is
    # not in the cache.
    state = (selectors.topic_state(topic), first_unread, numbers.number, is_staff, reader)
    return member_page(request, state=state, render=partial(render_page, page))


@anonymous_page_cache
def topic_detail(request, slug, pk):
    topic = selectors.topic_get(user=request.user, pk=pk, with_category=False)
    if topic.merged_into_id:
        merged_into = selectors.topic_get(user=request.user, pk=topic.merged_into_id,
                                          with_category=False)
        return HttpResponsePermanentRedirect(merged_into.get_absolute_url())
    if slug != topic.slug:
        url = topic.get_absolute_url()
        if request.META.get("QUERY_STRING"):
            url += "?" + request.META["QUERY_STRING"]
        return HttpResponsePermanentRedirect(url)
    return _topic_page(request, topic)


@require_POST
@login_required
def post_reply(request, slug, pk):
    topic = selectors.topic_get(user=request.user, pk=pk)
    form = PostForm(request.POST)
    # The post quoted through "Quote" (a hidden field): its author is told of the reply.
    reply_to = selectors.post_quotable(user=request.user, topic=topic,
                                       pk=request.POST.get("reply_to"))
    post = _submit(form, partial(services.post_reply, topic=topic, author=request.user,
                                 reply_to=reply_to))
    if post:
        return redirect(post_url(post))
    messages.error(request, _("Your reply was not posted: please correct the errors below."))
    return _topic_page(request, topic, form=form, reply_to=reply_to, status=400)


def post_redirect(request, pk):
    return redirect(post_url(selectors.post_get(user=request.user, pk=pk)))


@login_required
def post_edit(request, pk):
    post = selectors.post_get(user=request.user, pk=pk)
    if not selectors.user_may_edit(user=request.user, post=post):
        raise PermissionDenied
    form = PostForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and _submit(form, partial(services.post_edit, post=post,
                                                          editor=request.user)):
        return redirect(post_url(post))
    return render(request, "forum/post_edit.html", {"post": post, "form": form},
                  status=400 if form.errors else 200)


def post_revisions(request, pk):
    post = selectors.post_get(user=request.user, pk=pk)
    if not selectors.post_visible_in_full(user=request.user, post=post):
        raise Http404
    return render(request, "forum/post_revisions.html", {
        "post": post, "revisions": selectors.post_revisions(post)})


@require_POST
@login_required
def post_hide(request, pk):
    post = selectors.post_get(user=request.user, pk=pk)
    hidden = request.POST.get("hidden") == "1"
    services.post_hide(post=post, by=request.user, hidden=hidden)
    messages.success(request, _("The post is hidden.") if hidden else _("The post is shown again."))
    if hidden and post.number == 1 and not user_is_staff(request.user):
        return redirect(post.topic.category)
    return redirect(post_url(post))
