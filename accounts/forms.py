from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from markdownx.widgets import MarkdownxWidget

from accounts.models import TIMEZONE_CHOICES
from core.images import image_verify_and_encode


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=50, required=False)
    bio = forms.CharField(
        label=_("Bio"), max_length=500, required=False,
        widget=MarkdownxWidget(attrs={"rows": 4}),
        help_text=_("A few words about you, shown on your public profile. Markdown works."),
    )
    language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)
    timezone = forms.ChoiceField(label=_("Time zone"), choices=TIMEZONE_CHOICES)

    def clean_display_name(self):
        name = self.cleaned_data["display_name"].strip()
        if any(not ch.isprintable() for ch in name):
            raise forms.ValidationError(
                _("The display name contains characters that cannot be shown.")
            )
        return name


class AvatarForm(forms.Form):
    avatar = forms.FileField(
        label=_("New avatar"), help_text=_("JPEG, PNG or WebP. It is cropped to a square.")
    )

    def clean_avatar(self):
        return image_verify_and_encode(
            upload=self.cleaned_data["avatar"],
            max_bytes=settings.AVATAR_MAX_BYTES,
            max_side=settings.AVATAR_SIZE,
            square=True,
        )
