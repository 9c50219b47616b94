"""Cover images: verified by their content (``core.images``) and resized into the renditions
pages use: a large JPEG for the article and for link previews (og:image), a small WebP for
lists."""

import io
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image

from core.images import image_verify_and_encode

COVER_MAX_SIDE = 2400
# field: (width in pixels, format, extension)
RENDITIONS = {"cover_large": (1200, "JPEG", "jpg"), "cover_small": (600, "WEBP", "webp")}


def cover_verify(upload) -> ContentFile:
    """A re-encoded copy of ``upload``; ValidationError (translated) if it is not a JPEG, PNG
    or WebP image, is damaged or too large."""
    return image_verify_and_encode(upload=upload, max_bytes=settings.BLOG_COVER_MAX_BYTES,
                                   max_side=COVER_MAX_SIDE)


def cover_renditions(source) -> dict[str, ContentFile]:
    """Each rendition of ``source`` (an already verified image file), by field name; an image
    narrower than a rendition is not enlarged."""
    source.open("rb")
    try:
        image = Image.open(source)
        image.load()
    finally:
        source.close()
    renditions = {}
    for field, (width, image_format, extension) in RENDITIONS.items():
        copy = image.copy()
        copy.thumbnail((width, width * 4), Image.Resampling.LANCZOS)
        if copy.mode not in ("RGB", "L"):
            copy = copy.convert("RGB")
        buffer = io.BytesIO()
        copy.save(buffer, format=image_format, quality=82)
        renditions[field] = ContentFile(buffer.getvalue(),
                                        name=f"{uuid.uuid4().hex}-{width}.{extension}")
    return renditions
