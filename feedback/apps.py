from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Feedback")

    def ready(self):
        # Connects the signals that tell every process's rules cache about rule changes.
        from feedback import routing  # noqa: F401
