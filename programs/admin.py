"""Reviewing ambassador applications (approve, or reject with a reason: actions calling the
services), the ambassadors and their points ledger (read here, written by other apps through
``points_award``), the bug bounty's published scope and the official channels.

Security reports are not in the admin: staff without the security permission must not see
them, so they are handled on the report pages (``programs.views``)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from programs import services
from programs.forms import RejectForm
from programs.models import Ambassador, Application, Asset, Channel, PointsEntry


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("user", "region", "languages", "audience_size", "status", "created_at")
    list_filter = ("status", "region")
    search_fields = ("user__username", "user__email", "languages")
    list_select_related = ("user",)
    date_hierarchy = "created_at"
    fields = readonly_fields = ("user", "region", "languages", "channels", "audience_size",
                                "motivation", "status", "reason", "reviewed_by", "reviewed_at",
                                "created_at")
    actions = ["approve", "reject"]

    def has_add_permission(self, request):
        return False

    def _each(self, request, queryset, review) -> None:
        done = 0
        for application in queryset.select_related("user"):
            try:
                review(application)
            except ValidationError as error:
                self.message_user(request, f"{application.user}: {error.messages[0]}",
                                  messages.WARNING)
            else:
                done += 1
        if done:
            self.message_user(request, _("%(count)d applications reviewed; the applicants "
                                         "have been told.") % {"count": done},
                              messages.SUCCESS)

    @admin.action(description=_("Approve (the applicant becomes an ambassador)"),
                  permissions=["change"])
    def approve(self, request, queryset):
        self._each(request, queryset, lambda application: services.application_approve(
            application=application, by=request.user))

    @admin.action(description=_("Reject with a reason"), permissions=["change"])
    def reject(self, request, queryset):
        """Asks for the reason first; it is sent to every applicant chosen."""
        form = RejectForm(request.POST if "reason" in request.POST else None)
        if not form.is_valid():
            return TemplateResponse(request, "programs/admin_reject.html", {
                **self.admin_site.each_context(request), "opts": self.model._meta,
                "title": _("Reject applications"), "form": form,
                "applications": queryset.select_related("user")})
        self._each(request, queryset, lambda application: services.application_reject(
            application=application, by=request.user, reason=form.cleaned_data["reason"]))
        return None


@admin.register(Ambassador)
class AmbassadorAdmin(admin.ModelAdmin):
    list_display = ("user", "region", "is_active", "since")
    list_filter = ("is_active", "region")
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)
    fields = ("user", "region", "is_active", "application", "since")
    readonly_fields = ("user", "is_active", "application", "since")
    actions = ["end_membership"]

    def has_add_permission(self, request):
        return False  # ambassadors come from approved applications

    @admin.action(description=_("End the membership (removes the badge)"),
                  permissions=["change"])
    def end_membership(self, request, queryset):
        ended = 0
        for ambassador in queryset.select_related("user").filter(is_active=True):
            services.ambassador_end(ambassador=ambassador)
            ended += 1
        if ended:
            self.message_user(request, _("The memberships have ended and the badges are "
                                         "removed."), messages.SUCCESS)
        else:
            self.message_user(request, _("None of these ambassadors is a current one."),
                              messages.WARNING)


@admin.register(PointsEntry)
class PointsEntryAdmin(admin.ModelAdmin):
    list_display = ("user", "activity", "points", "region", "ref", "awarded_at")
    list_filter = ("activity", "region")
    search_fields = ("user__username", "ref")
    list_select_related = ("user",)
    date_hierarchy = "awarded_at"
    fields = readonly_fields = ("user", "activity", "points", "region", "ref", "awarded_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    list_display = ("name", "in_scope", "notes", "position")
    list_editable = ("in_scope", "position")
    list_filter = ("in_scope",)
    search_fields = ("name",)


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ("handle", "platform", "language", "name", "url", "position", "is_active")
    list_editable = ("position", "is_active")
    list_filter = ("language", "platform", "is_active")
    search_fields = ("handle", "url", "name")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
