"""Image uploads verified by their content, never by their name or declared type.

Pillow must recognise the bytes as JPEG, PNG or WebP; the image is then re-encoded, which
drops metadata (EXIF, GPS) and anything smuggled after the image data. The stored name's
extension comes from the real format. SVG and GIF are refused.
"""

import io
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

FORMAT_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_PIXELS = 40_000_000


def image_verify_and_encode(*, upload, max_bytes: int, max_side: int,
                            square: bool = False) -> ContentFile:
    """Return a re-encoded copy of ``upload`` named ``<uuid>.<real extension>``.

    Raises ``ValidationError`` with a translated message when the file is too large, is not a
    JPEG, PNG or WebP image, or is damaged. ``square`` crops to the centre square (avatars).
    """
    if upload.size > max_bytes:
        raise ValidationError(
            _("The image is too large (%(size)s). The limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            probe = Image.open(upload)
            image_format = probe.format
            if image_format not in FORMAT_EXTENSIONS:
                raise ValidationError(
                    _("Upload a JPEG, PNG or WebP image. Other formats are not accepted."),
                    code="format",
                )
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("The image has too many pixels."), code="pixels")
            probe.verify()
            upload.seek(0)
            image = Image.open(upload)
            image.load()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _("This file is not a valid image. Upload a JPEG, PNG or WebP image."),
            code="invalid",
        ) from exc

    image = ImageOps.exif_transpose(image)
    if square:
        image = ImageOps.fit(image, (max_side, max_side), Image.Resampling.LANCZOS)
    else:
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")

    buffer = io.BytesIO()
    image.save(buffer, format=image_format, quality=85, optimize=True)
    name = f"{uuid.uuid4().hex}.{FORMAT_EXTENSIONS[image_format]}"
    return ContentFile(buffer.getvalue(), name=name)
