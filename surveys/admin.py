"""The survey builder: surveys with a tab per language and their questions; each question's
options, matrix rows and condition on its own page. Responses and invitation links are read
here; links are created by an action that downloads them as CSV (services do the writing)."""

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from parler.admin import TranslatableAdmin, TranslatableStackedInline, TranslatableTabularInline

from core.csv import csv_response
from surveys import selectors, services
from surveys.forms import InvitationsForm, SurveyAdminForm
from surveys.models import Answer, Choice, Invitation, MatrixRow, Question, Response, Survey


class QuestionInline(TranslatableStackedInline):
    model = Question
    extra = 0
    fields = ("position", "text", "help", "kind", "required")
    show_change_link = True


@admin.register(Survey)
class SurveyAdmin(TranslatableAdmin):
    """Write the survey and its questions here; then open each choice or matrix question
    (“Change”) to add its options or rows and, if wanted, its condition."""

    form = SurveyAdminForm
    list_display = ("__str__", "slug", "state", "audience", "opens_at", "closes_at",
                    "submitted", "results_link")
    list_filter = ("is_published", "audience", "show_on_home", "is_support_survey")
    search_fields = ("slug", "translations__title")
    fieldsets = (
        (None, {"fields": ("title", "slug", "intro", "thank_you")}),
        (_("Who and when"), {"fields": ("is_published", "opens_at", "closes_at", "audience",
                                        "allow_edit")}),
        (_("Invitations"), {"fields": ("show_on_home", "is_support_survey")}),
        (_("Feedback pipeline"), {"fields": ("product_area", "feedback_tags")}),
    )
    inlines = [QuestionInline]
    actions = ["create_invitations"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("translations").annotate(
            submitted_count=Count("responses",
                                  filter=Q(responses__status=Response.Status.SUBMITTED)))

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ("title",)}

    @admin.display(description=_("state"))
    def state(self, survey):
        return {"unpublished": _("unpublished"), "scheduled": _("scheduled"),
                "open": _("open"), "closed": _("closed")}[selectors.survey_state(survey)]

    @admin.display(description=_("responses"), ordering="submitted_count")
    def submitted(self, survey):
        return survey.submitted_count

    @admin.display(description=_("results"))
    def results_link(self, survey):
        return format_html('<a href="{}">{}</a>',
                           reverse("surveys:results", kwargs={"slug": survey.slug}),
                           _("Results"))

    @admin.action(description=_("Create invitation links (CSV download)"),
                  permissions=["change"])
    def create_invitations(self, request, queryset):
        """Asks how many links, creates them and downloads them: the only time the links
        are shown, since only their hashes are kept."""
        surveys = list(queryset[:2])
        if len(surveys) != 1:
            self.message_user(request, _("Choose exactly one survey."), messages.ERROR)
            return None
        survey = surveys[0]
        form = InvitationsForm(request.POST if "count" in request.POST else None)
        if not form.is_valid():
            return TemplateResponse(request, "surveys/admin_invitations.html", {
                **self.admin_site.each_context(request), "opts": self.model._meta,
                "title": _("Create invitation links"), "survey": survey, "form": form})
        data = form.cleaned_data
        tokens = services.invitations_create(survey=survey, count=data["count"],
                                             campaign=data["campaign"])
        with translation.override(data["language"]):
            url = settings.SITE_URL + survey.get_absolute_url()
        return csv_response(
            filename=f"invitations-{survey.slug}.csv", header=[_("link"), _("campaign")],
            rows=([f"{url}?{urlencode({'invite': token})}", data["campaign"]]
                  for token in tokens))


class ChoiceInline(TranslatableTabularInline):
    model = Choice
    extra = 0
    fields = ("position", "label")


class MatrixRowInline(TranslatableTabularInline):
    model = MatrixRow
    extra = 0
    fields = ("position", "label")


@admin.register(Question)
class QuestionAdmin(TranslatableAdmin):
    list_display = ("__str__", "survey", "position", "kind", "required")
    list_filter = ("kind",)
    search_fields = ("translations__text", "survey__slug")
    list_select_related = ("survey",)
    raw_id_fields = ("survey", "show_if_question", "show_if_choice")
    fieldsets = (
        (None, {"fields": ("survey", "position", "text", "help", "kind", "required")}),
        (_("Show only if"), {
            "fields": ("show_if_question", "show_if_choice", "show_if_min", "show_if_max"),
            "description": _("Leave empty to always show the question. Otherwise it shows "
                             "only when the chosen earlier question was answered with the "
                             "option, or with a score in the range.")}),
    )
    inlines = [ChoiceInline, MatrixRowInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("translations",
                                                              "survey__translations")


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    fields = readonly_fields = ("question", "choice", "row", "number", "text")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(
            "question__translations", "choice__translations", "row__translations")


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    """Responses are read here; respondents write them."""

    list_display = ("__str__", "user", "status", "language", "submitted_at")
    list_filter = ("status", "language", "survey")
    list_select_related = ("survey", "user")
    date_hierarchy = "submitted_at"
    fields = readonly_fields = ("survey", "user", "invitation", "status", "language",
                                "created_at", "updated_at", "submitted_at")
    inlines = [AnswerInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("survey__translations")

    def has_add_permission(self, request):
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Links are created with the surveys' “Create invitation links” action."""

    list_display = ("survey", "campaign", "created_at", "used_at")
    list_filter = ("survey", "campaign")
    fields = readonly_fields = ("survey", "campaign", "created_at", "used_at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("survey") \
            .prefetch_related("survey__translations")

    def has_add_permission(self, request):
        return False
