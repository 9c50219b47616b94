"""Uploads for tests: real images made by Pillow, and files that only pretend to be images."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(image_format: str = "PNG", size=(64, 48), color="teal", **save_options) -> bytes:
    """A real image encoded in ``image_format`` by Pillow."""
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=image_format, **save_options)
    return buffer.getvalue()


def image_upload(name: str = "photo.png", image_format: str = "PNG", **kwargs):
    """An uploaded file named ``name`` holding an ``image_format`` image."""
    return SimpleUploadedFile(name, image_bytes(image_format, **kwargs))


def text_upload(name: str, content: bytes = b"just some text, not an image\n"):
    return SimpleUploadedFile(name, content)
