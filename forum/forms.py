from django import forms
from django.utils.translation import gettext_lazy as _
from markdownx.widgets import MarkdownxWidget

from forum.models import Digest
from forum.services import BODY_MAX, TITLE_MAX, TITLE_MIN

BODY_ERRORS = {
    "required": _("Write something first."),
    "max_length": _("Keep your post under %(limit_value)d characters (it has %(show_value)d)."),
}


def _body_field(label):
    # The Markdown editor with live preview and image upload, as on the feedback board.
    return forms.CharField(label=label, max_length=BODY_MAX, help_text=_("Markdown works."),
                           error_messages=BODY_ERRORS, widget=MarkdownxWidget(attrs={"rows": 8}))


class TopicForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), min_length=TITLE_MIN, max_length=TITLE_MAX,
        error_messages={
            "required": _("Give your topic a title."),
            "min_length": _("Make the title at least %(limit_value)d characters long."),
            "max_length": _("Keep the title under %(limit_value)d characters "
                            "(it has %(show_value)d)."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    body = _body_field(_("Message"))
    is_feedback = forms.BooleanField(
        label=_("This is feedback for the OKX product team"), required=False,
        help_text=_("Ideas, bugs and complaints also reach the team that owns them."))


class PostForm(forms.Form):
    """A reply, or the new text of an edited post."""

    body = _body_field(_("Your reply"))


class TopicFilterForm(forms.Form):
    filter = forms.ChoiceField(choices=[("latest", _("Latest")), ("unread", _("Unread")),
                                        ("solved", _("Solved")), ("unsolved", _("Unsolved"))],
                               required=False)

    def value(self) -> str:
        return self.cleaned_data.get("filter") or "latest" if self.is_valid() else "latest"


class DigestForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("Send me a summary of the forum"), choices=Digest.Frequency.choices,
        widget=forms.RadioSelect,
        help_text=_("New topics people are talking about, and replies in topics you follow. "
                    "Nothing is sent when there is nothing new."),
        error_messages={"required": _("Choose never, daily or weekly."),
                        "invalid_choice": _("Choose never, daily or weekly.")})
