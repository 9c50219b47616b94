"""The Celery app. Configuration comes from Django settings (``CELERY_*``).

With no broker configured the tasks run eagerly in the calling process (embedded default).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "okxcommunity.settings")

app = Celery("okxcommunity")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
