from django import forms
from django.utils.translation import gettext_lazy as _

from events.services import ANSWER_MAX_CHARS, QUESTION_MAX_CHARS


class QuestionForm(forms.Form):
    body = forms.CharField(
        label=_("Your question"), max_length=QUESTION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Markdown works: **bold**, _italics_, [links](https://okx.com)."))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=ANSWER_MAX_CHARS,
                             widget=forms.Textarea(attrs={"rows": 4}))


class PhotoForm(forms.Form):
    # A plain file field: the service verifies the content (core.images), whatever the name.
    image = forms.FileField(label=_("Photo"), help_text=_("A JPEG, PNG or WebP image."))
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)
