"""Proof-of-concept files of security reports, recognised by their content (magic bytes), never
by their name or the browser's declared type: PNG, JPEG, GIF and WebP images, PDF documents,
ZIP archives and UTF-8 text. They are kept byte for byte (a PoC must stay exactly as sent) and
are only ever downloaded, never shown inline (see ``views.report_poc``)."""

import uuid
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.uploads import VerifiedFile, upload_display_name

POC_MAX_BYTES = 10 * 1024 * 1024
ZIP_MAX_MEMBERS = 1000
# (magic bytes at offset 0, extension, content type); WebP is RIFF....WEBP, checked apart.
SIGNATURES = [
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
    (b"GIF87a", "gif", "image/gif"),
    (b"GIF89a", "gif", "image/gif"),
    (b"%PDF-", "pdf", "application/pdf"),
    (b"PK\x03\x04", "zip", "application/zip"),
    (b"PK\x05\x06", "zip", "application/zip"),  # an empty archive
]


def _sniff(data: bytes) -> tuple[str, str] | None:
    """(extension, content type) of ``data``, or None if it is none of the accepted kinds."""
    for magic, extension, content_type in SIGNATURES:
        if data.startswith(magic):
            return extension, content_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp", "image/webp"
    if b"\0" not in data:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return "txt", "text/plain"
    return None


def _zip_is_sound(upload) -> bool:
    """The archive's directory reads and is of a sane size; nothing is extracted."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return len(archive.infolist()) <= ZIP_MAX_MEMBERS
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def poc_verify(*, upload) -> VerifiedFile:
    """A stored-ready copy of ``upload``, or ValidationError (translated) when it is too large,
    empty or of a kind we do not accept."""
    if upload.size > POC_MAX_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s). The limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(POC_MAX_BYTES)},
            code="too_large")
    upload.seek(0)
    data = upload.read()
    kind = _sniff(data) if data else None
    if kind is None or (kind[0] == "zip" and not _zip_is_sound(upload)):
        raise ValidationError(
            _("Attach an image (PNG, JPEG, GIF, WebP), a PDF, a ZIP archive or a text file."),
            code="bad_type")
    extension, content_type = kind
    return VerifiedFile(content=ContentFile(data, name=f"{uuid.uuid4().hex}.{extension}"),
                        name=upload_display_name(upload.name, extension, default="poc"),
                        content_type=content_type)
