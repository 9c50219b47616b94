from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from parler.forms import TranslatableModelForm

from feedback import selectors as feedback_selectors
from surveys.models import Survey
from surveys.results import Filters
from surveys.services import INVITATIONS_MAX


class ResultsFilterForm(forms.Form):
    """The results page's filters; whatever is invalid is left out (and said so)."""

    start = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))
    language = forms.ChoiceField(label=_("Language"), required=False,
                                 choices=[("", _("All languages")), *settings.LANGUAGES])
    q = forms.CharField(label=_("Search the written answers"), required=False, max_length=100)

    def filters(self) -> Filters:
        self.is_valid()
        data = self.cleaned_data
        return Filters(start=data.get("start"), end=data.get("end"),
                       language=data.get("language") or "", search=data.get("q") or "")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end comes before the start."))
        return data


class SurveyAdminForm(TranslatableModelForm):
    """The feedback pipeline's product areas and tags to choose from, by slug (surveys keep
    slugs, not rows of another app)."""

    product_area = forms.ChoiceField(label=_("product area"), required=False)
    feedback_tags = forms.MultipleChoiceField(
        label=_("feedback tags"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Given to the written answers sent to the feedback pipeline."))

    class Meta:
        model = Survey
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product_area"].choices = [("", "—")] + [
            (area.slug, str(area)) for area in feedback_selectors.product_areas()]
        self.fields["feedback_tags"].choices = [
            (tag.slug, str(tag)) for tag in feedback_selectors.tags()]
        if self.instance.pk:
            self.initial["feedback_tags"] = [
                slug for slug in self.instance.feedback_tags.split(",") if slug]

    def clean_feedback_tags(self) -> str:
        return ",".join(self.cleaned_data["feedback_tags"])


class InvitationsForm(forms.Form):
    count = forms.IntegerField(label=_("Number of links"), min_value=1,
                               max_value=INVITATIONS_MAX, initial=100)
    campaign = forms.CharField(label=_("Campaign"), max_length=100, required=False,
                               help_text=_("A name to find these links again, e.g. "
                                           "“April newsletter”."))
    language = forms.ChoiceField(label=_("Language of the links"), choices=settings.LANGUAGES,
                                 initial=settings.LANGUAGE_CODE)
