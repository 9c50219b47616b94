"""What the upload checks of the apps (ticket attachments, security reports' proofs of concept)
hand back: the file to store, under a random name, and the name to show, cleaned and with the
extension of what the file really is."""

import re
from dataclasses import dataclass

from django.core.files.base import ContentFile


@dataclass(frozen=True)
class VerifiedFile:
    content: ContentFile
    name: str  # what the user called it, cleaned, with the real extension
    content_type: str


def upload_display_name(original: str, extension: str, *, default: str) -> str:
    """The user's file name without any path or unusual character, with ``extension``."""
    stem = re.sub(r"[^\w.\- ]", "", (original or "").rsplit("/", 1)[-1]).strip(". ")
    stem = stem.rsplit(".", 1)[0][:80] or default
    return f"{stem}.{extension}"
