from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from markdownx.widgets import MarkdownxWidget

from feedback import reports, selectors
from feedback.models import Comment, FeedbackItem, Team

TITLE_MAX = FeedbackItem._meta.get_field("title").max_length
BODY_MAX = FeedbackItem._meta.get_field("body").max_length
COMMENT_MAX = Comment._meta.get_field("body").max_length
SORT_CHOICES = [("top", pgettext_lazy("sort", "Top")), ("new", pgettext_lazy("sort", "New")),
                ("trending", pgettext_lazy("sort", "Trending"))]


class IdeaForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=TITLE_MAX,
        help_text=_("One short sentence: what should OKX build or change?"),
        error_messages={
            "required": _("Give your idea a title."),
            "max_length": _("Keep the title under %(limit_value)d characters "
                            "(it has %(show_value)d)."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    body = forms.CharField(
        label=_("Details"), max_length=BODY_MAX, required=False,
        help_text=_("Why does it matter to you? Markdown works."),
        error_messages={"max_length": _("Keep the details under %(limit_value)d characters "
                                        "(they have %(show_value)d).")},
        widget=MarkdownxWidget(attrs={"rows": 8}),
    )
    product_area = forms.ModelChoiceField(
        label=_("Product area"), queryset=selectors.product_areas(), required=False,
        empty_label=_("Not sure"), to_field_name="slug",
        error_messages={"invalid_choice": _("Choose a product area from the list.")},
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"), max_length=COMMENT_MAX,
        help_text=_("Markdown works."),
        error_messages={
            "required": _("Write something first."),
            "max_length": _("Keep your comment under %(limit_value)d characters "
                            "(it has %(show_value)d)."),
        },
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RespondForm(forms.Form):
    """A staff member's or product manager's answer: a new status and/or official words."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(value, label) for value, label in FeedbackItem.Status.choices
                 if value != FeedbackItem.Status.DUPLICATE],
        error_messages={"invalid_choice": _("Choose a valid status.")},
    )
    response = forms.CharField(
        label=_("Official response"), max_length=COMMENT_MAX, required=False,
        help_text=_("Shown highlighted, with your badge; voters and followers are notified."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, item: FeedbackItem, **kwargs):
        self.item = item
        kwargs.setdefault("initial", {"status": item.status})
        super().__init__(*args, **kwargs)
        if item.status == FeedbackItem.Status.DUPLICATE:  # answering one must not reopen it
            self.fields["status"].choices = FeedbackItem.Status.choices

    def clean(self):
        data = super().clean()
        if (data.get("status") == self.item.status and not data.get("response", "").strip()
                and not self.errors):
            raise forms.ValidationError(_("Change the status or write a response."))
        return data


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label=_("Duplicate of idea number"), queryset=selectors.merge_targets(),
        widget=forms.NumberInput(attrs={"min": 1}),
        help_text=_("Its votes and followers move there; a user who voted for both keeps "
                    "one vote."),
        error_messages={"required": _("Enter the number of the original idea."),
                        "invalid_choice": _("There is no open public idea with that number.")},
    )
    response = forms.CharField(
        label=_("Official response"), max_length=COMMENT_MAX, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, item: FeedbackItem, **kwargs):
        self.item = item
        super().__init__(*args, **kwargs)

    def clean_into(self):
        into = self.cleaned_data["into"]
        if into.pk == self.item.pk:
            raise forms.ValidationError(_("An item cannot be merged into itself."))
        return into


class BoardFilterForm(forms.Form):
    """The board's filters, read from the query string. Unknown values are ignored."""

    q = forms.CharField(label=_("Search ideas"), max_length=100, required=False,
                        widget=forms.SearchInput(attrs={"placeholder": _("e.g. dark mode")}))
    sort = forms.ChoiceField(label=_("Sort"), choices=SORT_CHOICES, required=False,
                             widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("Any status")), *FeedbackItem.Status.choices],
    )
    area = forms.ModelChoiceField(
        label=_("Product area"), queryset=selectors.product_areas(), required=False,
        empty_label=_("All areas"), to_field_name="slug",
    )
    tag = forms.ModelChoiceField(
        label=_("Tag"), queryset=selectors.tags(), required=False, empty_label=_("All tags"),
        to_field_name="slug",
    )

    def filters(self) -> dict:
        """The valid filters as ``selectors.board_list`` keywords (the rest left out)."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "query": data.get("q") or "",
            "sort": data.get("sort") or "top",
            "status": data.get("status") or "",
            "area": data["area"].slug if data.get("area") else "",
            "tag": data["tag"].slug if data.get("tag") else "",
        }


def _choices(empty_label, choices) -> list[tuple[str, str]]:
    return [("", empty_label), *choices]


def _invalid(message):
    return {"invalid_choice": message, "invalid_pk_value": message}


class ReportFilterForm(forms.Form):
    """Which feedback a report covers. Every field is optional; bound to the query string."""

    date_from = forms.DateField(
        label=_("From"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date such as 2025-01-31.")},
    )
    date_to = forms.DateField(
        label=_("To"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date such as 2025-01-31.")},
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.all(), to_field_name="slug", required=False,
        empty_label=_("All teams"),
        error_messages=_invalid(_("There is no team “%(value)s”.")),
    )
    product_area = forms.ModelChoiceField(
        label=_("Product area"), queryset=selectors.product_areas(), to_field_name="slug",
        required=False, empty_label=_("All product areas"),
        error_messages=_invalid(_("There is no product area “%(value)s”.")),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=_choices(_("Any status"), FeedbackItem.Status.choices),
        error_messages=_invalid(_("There is no status “%(value)s”.")),
    )
    source = forms.ChoiceField(
        label=_("Source"), required=False,
        choices=_choices(_("Any source"), FeedbackItem.Source.choices),
        error_messages=_invalid(_("There is no source “%(value)s”.")),
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False,
        choices=_choices(_("Any language"), settings.LANGUAGES),
        error_messages=_invalid(_("There is no language “%(value)s”.")),
    )
    sentiment = forms.ChoiceField(
        label=_("Sentiment"), required=False,
        choices=_choices(_("Any sentiment"), FeedbackItem.Sentiment.choices),
        error_messages=_invalid(_("There is no sentiment “%(value)s”.")),
    )
    tags = forms.ModelMultipleChoiceField(
        label=_("Tags"), queryset=selectors.tags(), to_field_name="slug", required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Items with any of the ticked tags."),
        error_messages=_invalid(_("There is no tag “%(value)s”.")),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters(self) -> reports.ReportFilters:
        """The cleaned form as report filters; only valid once ``is_valid()``."""
        data = self.cleaned_data
        return reports.ReportFilters(
            date_from=data["date_from"], date_to=data["date_to"], team=data["team"],
            product_area=data["product_area"], tags=tuple(data["tags"]),
            status=data["status"], source=data["source"], language=data["language"],
            sentiment=data["sentiment"])
