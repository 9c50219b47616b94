"""Members' reports of something another member wrote (a forum post, a blog comment), and the
admin queue where staff review them. The apps keep their own flag model (its target, reasons
and status labels) on ``FlagBase``, and their own review service; what a flag is and how a
queue is reviewed is the same for both, and lives here."""

from django.conf import settings
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

PENDING, UPHELD, DISMISSED = "pending", "upheld", "dismissed"
# "hide" upholds the flags and hides the target, "restore" dismisses them and shows it again,
# "dismiss" dismisses them and leaves it as it is.
REVIEW_ACTIONS = ("hide", "restore", "dismiss")
FLAG_RATE = (10, 3600)  # flags a member may send, per seconds
NOTE_MAX = 500


class FlagBase(models.Model):
    """A flag's sender, note and review. A subclass adds the flagged object, ``reason`` and
    ``status`` (with choices PENDING, UPHELD, DISMISSED labelled for its object)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("flagged by"))
    note = models.CharField(_("note"), max_length=NOTE_MAX, blank=True)
    created_at = models.DateTimeField(_("flagged"), auto_now_add=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("reviewed by"))

    class Meta:
        abstract = True
        ordering = ["-created_at"]


def flag_note_clean(note: str) -> str:
    return (note or "").strip()[:NOTE_MAX]


def flags_settle(pending: models.QuerySet, *, by, action: str) -> int:
    """Mark the ``pending`` flags reviewed by ``by``: upheld for "hide", dismissed for the
    other actions. Returns how many there were."""
    return pending.update(status=UPHELD if action == "hide" else DISMISSED,
                          reviewed_at=timezone.now(), reviewed_by=by)


class PendingFilter(admin.SimpleListFilter):
    """The queue (pending flags) unless another status, or all, is chosen."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        statuses = model_admin.model._meta.get_field("status").choices
        return [("all", _("All"))] + [(value, label) for value, label in statuses
                                      if value != PENDING]

    def choices(self, changelist):
        statuses = dict(changelist.model._meta.get_field("status").choices)
        yield {"selected": self.value() is None, "display": statuses[PENDING],
               "query_string": changelist.get_query_string(remove=[self.parameter_name])}
        for value, label in self.lookup_choices:
            yield {"selected": self.value() == value, "display": label,
                   "query_string": changelist.get_query_string({self.parameter_name: value})}

    def queryset(self, request, queryset):
        if self.value() == "all":
            return queryset
        return queryset.filter(status=self.value() or PENDING)


def review_action(name: str, description, *, review):
    """An admin action reviewing every pending flag of the selected flags' targets with
    ``review(targets, by=..., action=name)`` (the app's service; returns how many flags)."""
    done = ngettext_lazy("%(count)d flag upheld.", "%(count)d flags upheld.", "count") \
        if name == "hide" else \
        ngettext_lazy("%(count)d flag dismissed.", "%(count)d flags dismissed.", "count")

    def action(modeladmin, request, queryset):
        targets = queryset.values(f"{modeladmin.flag_target}_id")
        reviewed = review(targets, by=request.user, action=name)
        modeladmin.message_user(request, done % {"count": reviewed}, messages.SUCCESS)
    action.__name__ = f"flags_{name}"
    return admin.action(description=description, permissions=["change"])(action)


class FlagQueueAdmin(admin.ModelAdmin):
    """A moderation queue: read-only flags, each with how many are pending on its target
    (``flag_target``, the name of the flagged object's field), reviewed in bulk by actions
    from ``review_action``."""

    flag_target = ""
    list_filter = (PendingFilter, "reason")

    def get_queryset(self, request):
        target = f"{self.flag_target}_id"
        pending = self.model.objects.filter(**{target: OuterRef(target)}, status=PENDING) \
            .values(target).annotate(n=Count("pk")).values("n")
        return super().get_queryset(request).annotate(pending_count=Subquery(pending[:1]))

    def get_readonly_fields(self, request, obj=None):
        return (self.flag_target, "user", "reason", "note", "status", "created_at",
                "reviewed_at", "reviewed_by")

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj)

    @admin.display(description=_("pending flags"), ordering="pending_count")
    def pending_count(self, flag):
        return flag.pending_count

    def has_add_permission(self, request):
        return False
