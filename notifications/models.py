from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """Something a user should know about. ``verb`` is stored in the recipient's language."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
        verbose_name=_("recipient"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("actor"),
    )
    verb = models.CharField(_("what happened"), max_length=255)
    description = models.TextField(_("details"), blank=True)
    target_url = models.CharField(_("link"), max_length=500)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    send_email = models.BooleanField(_("send by email"), default=True)
    # A delayed email waits until then, and is not sent if the notification was read meanwhile.
    email_after = models.DateTimeField(_("email held until"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)
    # What it is about, e.g. "forum.post:42": the app that sent it marks it read when the
    # user sees that thing, and a newer notification of the same kind can replace it.
    key = models.CharField(_("about"), max_length=100, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notif_recipient_read")]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        return self.verb

    def get_absolute_url(self):
        return reverse("notifications:open", kwargs={"pk": self.pk})
