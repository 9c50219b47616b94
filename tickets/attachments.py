"""Ticket attachments, verified by their content: JPEG, PNG and WebP images (re-encoded by
Pillow, which drops metadata) and PDF documents. Nothing is trusted from the file's name or
the browser's declared type."""

import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.images import image_verify_and_encode
from core.uploads import VerifiedFile, upload_display_name

PDF_HEADER = b"%PDF-"
# Every PDF ends with its trailer (ISO 32000-1, 7.5.5): "startxref", the byte offset of the
# cross-reference section, then the end-of-file marker, maybe followed by whitespace. A file
# cut short in transit, or text that merely starts like a PDF, lacks it.
PDF_TRAILER = re.compile(rb"startxref\s+\d+\s+%%EOF\s*\Z")
IMAGE_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
MAX_IMAGE_SIDE = 4096
MAX_FILES = 5


def _display_name(original: str, extension: str) -> str:
    return upload_display_name(original, extension, default="file")


def attachment_verify(*, upload) -> VerifiedFile:
    """A stored-ready copy of ``upload``, or ValidationError (translated) when it is too
    large or neither a valid image nor a PDF."""
    limit = settings.SUPPORT_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is too large (%(size)s). The limit is %(limit)s.")
            % {"name": upload.name, "size": filesizeformat(upload.size),
               "limit": filesizeformat(limit)}, code="too_large")
    upload.seek(0)
    head = upload.read(len(PDF_HEADER))
    if head == PDF_HEADER:
        upload.seek(max(0, upload.size - 1024))
        if not PDF_TRAILER.search(upload.read().rstrip(b"\0")):
            raise ValidationError(_("“%(name)s” is a damaged PDF.") % {"name": upload.name},
                                  code="bad_pdf")
        upload.seek(0)
        return VerifiedFile(content=ContentFile(upload.read(), name=f"{uuid.uuid4().hex}.pdf"),
                            name=_display_name(upload.name, "pdf"),
                            content_type="application/pdf")
    try:
        image = image_verify_and_encode(upload=upload, max_bytes=limit, max_side=MAX_IMAGE_SIDE)
    except ValidationError as exc:
        raise ValidationError(
            _("“%(name)s” is not a file we accept: attach JPEG, PNG or WebP images or PDF "
              "documents.") % {"name": upload.name}, code="bad_type") from exc
    extension = image.name.rsplit(".", 1)[-1]
    return VerifiedFile(content=image, name=_display_name(upload.name, extension),
                        content_type=IMAGE_TYPES[extension])


def attachments_verify(*, uploads) -> list[VerifiedFile]:
    """Verify every upload of one message, all or nothing."""
    uploads = list(uploads or ())
    if len(uploads) > MAX_FILES:
        raise ValidationError(_("Attach at most %(count)d files to one message.")
                              % {"count": MAX_FILES}, code="too_many")
    return [attachment_verify(upload=upload) for upload in uploads]
