"""Storage for files that must never have a public address (ticket attachments, security
reports' proofs of concept)."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files kept outside MEDIA_ROOT, served only by the owning app's views after their
    visibility check, never by a URL of their own. The folder is read from the settings at each
    use (tests point it elsewhere)."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


private_storage = PrivateStorage()
