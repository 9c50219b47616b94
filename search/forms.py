"""The search page's query and filters, and the staff's insights filter.

Every filter is optional: a value that does not parse (a date like "yesterday", an unknown
category) shows as an error next to its field and is left out of the search; the rest still
applies. The tab (``kind``) and the sort are links, not fields users type into: an unknown value
is silently the default.
"""

from datetime import date

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from search import selectors
from search.models import Document

QUERY_MAX = 200
AUTHOR_MAX = 150
FORM_ID = "search-form"  # the filters in the side column belong to the form by this id

# A tab shows some of the selector's kinds: the forum tab holds topics and replies.
TABS = {
    "forum": ("topic", "post"),
    "blog": ("article",),
    "feedback": ("feedback",),
}
TAB_LABELS = {"": _("All"), "forum": _("Forum"), "blog": _("Blog"), "feedback": _("Feedback")}
KIND_LABELS = dict(Document.Kind.choices)
SORT_LABELS = {"relevance": pgettext_lazy("sort", "Relevance"),
               "newest": pgettext_lazy("sort", "Newest")}


def _in_form(widget: forms.Widget) -> forms.Widget:
    widget.attrs["form"] = FORM_ID
    return widget


def _date_field(label) -> forms.DateField:
    # Far-off years would only overflow date arithmetic; nothing was written then.
    out_of_range = _("Choose a date between 2000 and 2100.")
    return forms.DateField(
        label=label, required=False,
        validators=[MinValueValidator(date(2000, 1, 1), message=out_of_range),
                    MaxValueValidator(date(2100, 12, 31), message=out_of_range)],
        error_messages={"invalid": _("Enter a date like 2026-01-31.")},
        widget=_in_form(forms.DateInput(attrs={"type": "date"})))


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=QUERY_MAX, required=False, strip=True,
                        error_messages={"max_length": _(
                            "Keep the search under %(limit_value)d characters.")})
    category = forms.ChoiceField(label=_("Category"), required=False,
                                 error_messages={"invalid_choice": _(
                                     "Choose a category from the list.")},
                                 widget=_in_form(forms.Select()))
    author = forms.CharField(label=_("Author"), max_length=AUTHOR_MAX, required=False,
                             help_text=_("A username."),
                             widget=_in_form(forms.TextInput(attrs={"autocomplete": "off"})))
    language = forms.ChoiceField(label=_("Language"), required=False,
                                 choices=[("", _("All languages")), *settings.LANGUAGES],
                                 error_messages={"invalid_choice": _(
                                     "Choose a language from the list.")},
                                 widget=_in_form(forms.Select()))
    since = _date_field(_("From"))
    until = _date_field(_("To"))
    kind = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"form": FORM_ID}))
    sort = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"form": FORM_ID}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories")),
                                           *selectors.search_categories()]

    def clean_kind(self) -> str:
        return self.cleaned_data["kind"] if self.cleaned_data["kind"] in TABS else ""

    def clean_sort(self) -> str:
        return self.cleaned_data["sort"] if self.cleaned_data["sort"] in SORT_LABELS \
            else "relevance"

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("The end comes before the start."))
        return data

    def search_filters(self) -> dict:
        """The valid filters as ``search_run`` keywords (``text`` included); invalid ones are
        left out, their errors stay on the form for the page to show."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "text": data.get("q") or "",
            "kinds": TABS.get(data.get("kind", ""), ()),
            "category": data.get("category") or "",
            "author": data.get("author") or "",
            "language": data.get("language") or "",
            "since": data.get("since"),
            "until": data.get("until"),
            "sort": data.get("sort") or "relevance",
        }


DEFAULT_DAYS = 30
PERIODS = [(7, _("Last 7 days")), (30, _("Last 30 days")), (90, _("Last 90 days"))]


class InsightsForm(forms.Form):
    """The staff's choice of language and period for the search insights."""

    language = forms.ChoiceField(label=_("Language"), required=False,
                                 choices=[("", _("All languages")), *settings.LANGUAGES])
    days = forms.TypedChoiceField(label=_("Period"), choices=PERIODS, coerce=int,
                                  required=False, empty_value=DEFAULT_DAYS)

    def period(self) -> tuple[str, int]:
        """(language, days), falling back to all languages and 30 days on bad values."""
        self.is_valid()
        data = self.cleaned_data
        return data.get("language") or "", data.get("days") or DEFAULT_DAYS
