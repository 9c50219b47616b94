"""Load the demo data of every app that has a ``demo.py`` with a ``load(stdout)`` function.

Each app owns its demo data; this command only finds and runs them, in INSTALLED_APPS order.
Every ``load`` is idempotent, so running the command twice changes nothing.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Load idempotent demo data for every app."

    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            if find_spec(f"{config.name}.demo") is None:
                continue
            with transaction.atomic():
                import_module(f"{config.name}.demo").load(self.stdout)
