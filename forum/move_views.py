"""Staff pages to move, merge and split a topic (forum.move): a form page each, which works
without JavaScript; success is a message and the resulting topic. Anyone but staff gets a 404,
as for a page that does not exist; anonymous visitors are sent to sign in."""

import re
from functools import partial

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.selectors import user_is_staff
from forum import move, selectors
from forum.forms import TopicForm
from forum.views import _submit

TOPIC_ADDRESS_RE = re.compile(r"/t/[^/]+/(\d+)")
NUMBER_RE = re.compile(r"#?(\d+)(?:-#?(\d+))?")


class _TopicToolForm(forms.Form):
    """A form about ``topic``, filled in by ``user`` (a staff member)."""

    def __init__(self, *args, topic, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.topic, self.user = topic, user


class _CategoryForm(_TopicToolForm):
    """Chooses one of the categories (never a section), grouped by section."""

    category = forms.TypedChoiceField(
        label=gettext_lazy("Category"), coerce=int,
        error_messages={"invalid_choice": gettext_lazy(
            "Choose a category: sections hold categories, not topics.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sections = selectors.categories_index()
        self.categories = {category.pk: category for section in sections
                           for category in section.categories}
        field = self.fields["category"]
        field.choices = [(str(section), [(category.pk, str(category))
                                         for category in section.categories])
                         for section in sections if section.categories]
        field.initial = self.topic.category_id

    def clean_category(self):
        return self.categories[self.cleaned_data["category"]]


class MoveForm(_CategoryForm):
    pass


class MergeForm(_TopicToolForm):
    into = forms.CharField(
        label=gettext_lazy("Merge into"), max_length=500,
        help_text=gettext_lazy("The address of the topic that takes the posts, or its "
                               "number."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def clean_into(self):
        text = self.cleaned_data["into"].strip()
        found = TOPIC_ADDRESS_RE.search(text) or re.fullmatch(r"#?(\d+)", text)
        try:
            return selectors.topic_get(user=self.user, pk=int(found[1]) if found else 0)
        except Http404:
            raise forms.ValidationError(_("There is no topic at this address."),
                                        code="unknown") from None


class SplitForm(_CategoryForm, TopicForm):
    """The new topic's title and category, and which replies go there ("4, 7-9")."""

    field_order = ["numbers", "title", "category"]
    body = None
    is_feedback = None
    numbers = forms.CharField(
        label=gettext_lazy("Replies to split off"), max_length=2000,
        help_text=gettext_lazy("Their numbers, such as 4, 7-9. The first becomes the new "
                               "topic's opening post."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].label = _("Title of the new topic")

    def clean_numbers(self) -> list[int]:
        numbers = []
        for part in re.split(r"[,\s]+", re.sub(r"\s*-\s*", "-", self.cleaned_data["numbers"])):
            found = NUMBER_RE.fullmatch(part)
            if part and not found:
                raise forms.ValidationError(_("Write post numbers such as 4, 7-9."),
                                            code="syntax")
            if not found:
                continue
            first, last = int(found[1]), int(found[2] or found[1])
            # The topic's size bounds a range, so "2-999999999" cannot fill the memory.
            if not 0 <= last - first < self.topic.last_post_number:
                raise forms.ValidationError(
                    _("%(range)s is not a range of this topic's posts.") % {"range": part},
                    code="range")
            numbers.extend(range(first, last + 1))
        return numbers


def _staff_tool(form_class, *, service, template: str, done, context=None):
    """The page of one staff tool: ``form_class`` about the topic; a valid POST calls
    ``service(topic=..., by=..., **cleaned_data)`` and redirects to the topic it returns
    with ``done(topic, result)`` as message. ``context(request, topic)`` adds to the page."""
    @login_required
    def view(request, pk):
        if not user_is_staff(request.user):
            raise Http404
        topic = selectors.topic_get(user=request.user, pk=pk)
        if topic.merged_into_id:
            raise Http404
        form = form_class(request.POST or None, topic=topic, user=request.user)
        if request.method == "POST":
            result = _submit(form, partial(service, topic=topic, by=request.user))
            if result:
                messages.success(request, done(topic, result))
                return redirect(result)
        return render(request, template, {
            "topic": topic, "form": form, **(context(request, topic) if context else {}),
        }, status=400 if form.errors else 200)
    return view


topic_move = _staff_tool(
    MoveForm, service=move.topic_move, template="forum/topic_move.html",
    done=lambda topic, moved: _("The topic is now in %(category)s.") % {
        "category": moved.category})
topic_merge = _staff_tool(
    MergeForm, service=move.topic_merge, template="forum/topic_merge.html",
    done=lambda topic, into: _("The posts of “%(title)s” are now at the end of this topic.")
    % {"title": topic.title})
topic_split = _staff_tool(
    SplitForm, service=move.topic_split, template="forum/topic_split.html",
    done=lambda topic, new: _("The chosen replies are now this new topic."),
    context=lambda request, topic: {"page": selectors.topic_posts(
        user=request.user, topic=topic, page=request.GET.get("page"))})
