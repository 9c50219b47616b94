from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.images import image_verify_and_encode

MARKDOWN_MAX_LENGTH = 50_000


class MarkdownPreviewForm(forms.Form):
    content = forms.CharField(
        label=_("Text"), max_length=MARKDOWN_MAX_LENGTH, required=False, strip=False
    )


class ImageUploadForm(forms.Form):
    image = forms.FileField(label=_("Image"))

    def clean_image(self):
        return image_verify_and_encode(
            upload=self.cleaned_data["image"],
            max_bytes=settings.IMAGE_UPLOAD_MAX_BYTES,
            max_side=2000,
        )
