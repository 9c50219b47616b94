"""The Celery app. Configuration comes from Django settings (``CELERY_*``).

With no broker configured the tasks run eagerly in the calling process (embedded default).
"""

import os

from celery import Celery
from celery.signals import task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "okxcommunity.settings")

app = Celery("okxcommunity")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
def _drop_unusable_connections(task=None, **kwargs):
    """In a worker, as Django does at each request: a connection broken by a database restart,
    or older than CONN_MAX_AGE, is replaced instead of failing the task. Eager tasks run inside
    their caller's connection and transaction, which must be left alone."""
    if task is None or getattr(task.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
