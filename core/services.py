from django.core.files.base import File
from django.core.files.storage import default_storage
from django.utils import timezone


def image_upload_store(*, image: File) -> str:
    """Store an already verified image under ``uploads/<year>/<month>/`` and return its URL."""
    path = default_storage.save(f"uploads/{timezone.now():%Y/%m}/{image.name}", image)
    return default_storage.url(path)
