"""Events in the admin: AMA sessions (a tab per language, hosts and schedule), their questions
(read here, moderated by actions), and meetups with their RSVPs (read only) and photos.
Saving and every action go through events.services."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from parler.admin import TranslatableAdmin

from events import selectors, services
from events.models import AmaQuestion, AmaSession, Meetup, MeetupPhoto, Rsvp


@admin.register(AmaSession)
class AmaSessionAdmin(TranslatableAdmin):
    list_display = ("__str__", "slug", "starts_at", "ends_at", "state", "question_count",
                    "is_published")
    list_filter = ("is_published",)
    search_fields = ("slug", "translations__title")
    filter_horizontal = ("hosts",)
    date_hierarchy = "starts_at"
    fieldsets = (
        (None, {"fields": ("title", "slug", "description")}),
        (_("Hosts and schedule"), {"fields": ("hosts", "starts_at", "ends_at",
                                              "is_published")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("translations").annotate(
            questions_total=Count("questions"))

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ("title",)}

    def save_model(self, request, obj, form, change):
        services.ama_session_save(session=obj, language=form.language_code)

    @admin.display(description=_("state"))
    def state(self, session):
        return _("taking questions") if selectors.ama_is_open(session) else _("archive")

    @admin.display(description=_("questions"), ordering="questions_total")
    def question_count(self, session):
        return session.questions_total


def _question_action(name: str, description, done, call):
    """An admin action calling ``call(question=..., by=user)`` for each selected question;
    ``done`` is an ``ngettext_lazy`` message counting them."""
    def action(modeladmin, request, queryset):
        questions = list(queryset.select_related("session"))
        for question in questions:
            call(question=question, by=request.user)
        modeladmin.message_user(request, done % {"count": len(questions)}, messages.SUCCESS)
    action.__name__ = name
    return admin.action(description=description, permissions=["change"])(action)


@admin.register(AmaQuestion)
class AmaQuestionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "session", "author", "vote_count", "is_answered", "is_hidden",
                    "sent_to_feedback")
    list_filter = ("is_hidden", ("answered_at", admin.EmptyFieldListFilter), "session")
    list_select_related = ("session", "author")
    search_fields = ("body", "answer", "author__username")
    readonly_fields = ("session", "author", "body", "vote_count", "answer", "answered_by",
                       "answered_at", "is_hidden", "feedback_item_id", "created_at")
    actions = [
        _question_action("hide", _("Hide the selected questions"),
                         ngettext_lazy("%(count)d question hidden.",
                                       "%(count)d questions hidden.", "count"),
                         lambda question, by: services.ama_question_hide(
                             question=question, by=by, hidden=True)),
        _question_action("show", _("Show the selected questions again"),
                         ngettext_lazy("%(count)d question shown again.",
                                       "%(count)d questions shown again.", "count"),
                         lambda question, by: services.ama_question_hide(
                             question=question, by=by, hidden=False)),
        _question_action("send_to_feedback", _("Send the selected questions to feedback"),
                         ngettext_lazy("%(count)d question sent to feedback.",
                                       "%(count)d questions sent to feedback.", "count"),
                         services.ama_question_to_feedback),
    ]

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("session__translations")

    @admin.display(description=_("answered"), boolean=True, ordering="answered_at")
    def is_answered(self, question):
        return question.is_answered

    @admin.display(description=_("sent to feedback"), boolean=True)
    def sent_to_feedback(self, question):
        return question.feedback_item_id is not None


class RsvpInline(admin.TabularInline):
    model = Rsvp
    extra = 0
    can_delete = False
    fields = readonly_fields = ("user", "status", "queued_at", "reminded_at")
    ordering = ("status", "queued_at", "pk")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def has_add_permission(self, request, obj=None):
        return False


def _photo_preview(photo):
    return format_html('<img src="{}" alt="" width="120">', photo.image.url)


class MeetupPhotoInline(admin.TabularInline):
    """Photos are added on the meetup's page (verified by content); here they are read,
    re-captioned or deleted."""

    model = MeetupPhoto
    extra = 0
    fields = ("preview", "caption", "uploaded_by", "created_at")
    readonly_fields = ("preview", "uploaded_by", "created_at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("photo"))
    def preview(self, photo):
        return _photo_preview(photo)


@admin.register(Meetup)
class MeetupAdmin(TranslatableAdmin):
    list_display = ("__str__", "city", "starts_at", "capacity", "going", "waiting", "held",
                    "is_published")
    list_filter = ("is_published", ("held_at", admin.EmptyFieldListFilter))
    search_fields = ("slug", "translations__title", "translations__city")
    date_hierarchy = "starts_at"
    autocomplete_fields = ("organiser",)
    fieldsets = (
        (None, {"fields": ("title", "slug", "city", "venue", "agenda", "speakers")}),
        (_("Schedule and seats"), {"fields": ("starts_at", "ends_at", "capacity",
                                              "is_published")}),
        (_("Afterwards"), {"fields": ("organiser", "held_at", "recap_url")}),
    )
    readonly_fields = ("held_at",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [RsvpInline, MeetupPhotoInline]
    actions = ["mark_held"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("translations").annotate(
            going_total=Count("rsvps", filter=Q(rsvps__status=Rsvp.Status.GOING)),
            waiting_total=Count("rsvps", filter=Q(rsvps__status=Rsvp.Status.WAITLIST)))

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ("title",)}

    def save_model(self, request, obj, form, change):
        services.meetup_save(meetup=obj, language=form.language_code)

    @admin.display(description=_("city"))
    def city(self, meetup):
        return meetup.safe_translation_getter("city", any_language=True)

    @admin.display(description=_("attending"), ordering="going_total")
    def going(self, meetup):
        return meetup.going_total

    @admin.display(description=_("waitlist"), ordering="waiting_total")
    def waiting(self, meetup):
        return meetup.waiting_total

    @admin.display(description=_("held"), boolean=True, ordering="held_at")
    def held(self, meetup):
        return meetup.held_at is not None

    @admin.action(description=_("Mark the selected meetups as held"), permissions=["change"])
    def mark_held(self, request, queryset):
        for meetup in queryset:
            try:
                services.meetup_mark_held(meetup=meetup, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{meetup}: {error.messages[0]}", messages.ERROR)
            else:
                self.message_user(request, _("%(meetup)s is marked as held.")
                                  % {"meetup": meetup}, messages.SUCCESS)


@admin.register(MeetupPhoto)
class MeetupPhotoAdmin(admin.ModelAdmin):
    """Every meetup's photos in one list, to re-caption or delete; they are added on the
    meetup's page, where the upload is verified."""

    list_display = ("preview", "meetup", "caption", "uploaded_by", "created_at")
    list_select_related = ("uploaded_by",)
    search_fields = ("caption", "meetup__slug")
    fields = ("preview", "meetup", "caption", "uploaded_by", "created_at")
    readonly_fields = ("preview", "meetup", "uploaded_by", "created_at")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("meetup__translations")

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("photo"))
    def preview(self, photo):
        return _photo_preview(photo)
