"""The support portal's forms. Attachments are verified here, by content (``attachments_verify``),
so a bad file is an error on the form and nothing is stored."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.text import Truncator
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from markdownx.widgets import MarkdownxWidget

from tickets import selectors
from tickets.attachments import MAX_FILES, attachments_verify
from tickets.models import Ticket

SUBJECT_MAX = Ticket._meta.get_field("subject").max_length
MESSAGE_MAX = 20_000
CHAT_SUBJECT_WORDS = 8
CHAT_SUBJECT_CHARS = 80
COMMENT_MAX = 2000
ACCEPTED_FILES = "image/jpeg,image/png,image/webp,application/pdf,.jpg,.jpeg,.png,.webp,.pdf"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


def _attachments_help_text() -> str:
    return gettext("Up to %(count)d screenshots (JPEG, PNG, WebP) or PDF documents. Only you "
                   "and support can open them.") % {"count": MAX_FILES}


# Fields are built once, at import: the text is put together in each request's language.
_attachments_help = lazy(_attachments_help_text, str)


class AttachmentsField(forms.FileField):
    """Several files in one input. ``clean`` returns the verified files (``VerifiedFile``),
    ready for ``message_post`` / ``ticket_create``; any bad file fails the whole field."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_FILES}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Attachments"))
        kwargs.setdefault("help_text", _attachments_help())
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else [data]
        uploads = [super(AttachmentsField, self).clean(upload, initial)
                   for upload in uploads if upload]
        return attachments_verify(uploads=uploads)


def _message_field(**kwargs) -> forms.CharField:
    return forms.CharField(
        max_length=MESSAGE_MAX,
        error_messages={
            "required": _("Write a message first."),
            "max_length": _("Keep your message under %(limit_value)d characters "
                            "(it has %(show_value)d)."),
        },
        **kwargs,
    )


class TicketForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Topic"), queryset=selectors.categories(), required=False,
        empty_label=_("Not sure"), to_field_name="slug",
        error_messages={"invalid_choice": _("Choose a topic from the list.")},
    )
    subject = forms.CharField(
        label=_("Subject"), max_length=SUBJECT_MAX,
        help_text=_("In a few words: what do you need help with?"),
        error_messages={
            "required": _("Tell us in a few words what it is about."),
            "max_length": _("Keep the subject under %(limit_value)d characters "
                            "(it has %(show_value)d)."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    body = _message_field(
        label=_("Message"),
        help_text=_("What happened, when, and what you expected. Add order or transaction IDs "
                    "if you have them. Markdown works."),
        widget=MarkdownxWidget(attrs={"rows": 8}),
    )
    attachments = AttachmentsField()

    def ticket_fields(self) -> dict:
        """``ticket_create`` keywords. Only valid once ``is_valid()``."""
        data = self.cleaned_data
        return {"subject": data["subject"], "body": data["body"], "category": data["category"],
                "files": data["attachments"]}


class ReplyForm(forms.Form):
    body = _message_field(label=_("Your reply"), required=False,
                          help_text=_("Markdown works."),
                          widget=forms.Textarea(attrs={"rows": 4}))
    attachments = AttachmentsField()

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("body", "").strip() and not data.get("attachments"):
            self.add_error("body", _("Write a message first."))
        return data


class ChatForm(forms.Form):
    """The first message of a live chat; the ticket's subject is made from its first words."""

    body = _message_field(label=_("How can we help?"),
                          widget=forms.Textarea(attrs={"rows": 3}))

    def ticket_fields(self) -> dict:
        """``ticket_create`` keywords: a chat-channel ticket whose subject is the message's
        first words. Only valid once ``is_valid()``."""
        body = self.cleaned_data["body"]
        words = Truncator(" ".join(body.split())).words(CHAT_SUBJECT_WORDS)
        return {"subject": Truncator(words).chars(CHAT_SUBJECT_CHARS), "body": body,
                "channel": Ticket.Channel.CHAT}


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Rating"), coerce=int, choices=[
            (1, _("Very poor")), (2, _("Poor")), (3, _("Okay")), (4, _("Good")),
            (5, _("Excellent"))],
        error_messages={"required": _("Choose a rating from 1 to 5."),
                        "invalid_choice": _("Choose a rating from 1 to 5.")},
    )
    comment = forms.CharField(
        label=_("Anything to add? (optional)"), max_length=COMMENT_MAX, required=False,
        error_messages={"max_length": _("Keep your comment under %(limit_value)d characters "
                                        "(it has %(show_value)d).")},
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# The same words as the status pills (templatetags/support.py), so one translation serves.
STATUS_FILTERS = [
    ("", pgettext_lazy("ticket status", "All")),
    ("open", pgettext_lazy("ticket status", "Open")),
    ("waiting", pgettext_lazy("ticket status", "Waiting on you")),
    ("resolved", pgettext_lazy("ticket status", "Resolved")),
]


class StatusFilterForm(forms.Form):
    """The "My tickets" filter, read from the query string; an unknown value shows all."""

    status = forms.ChoiceField(choices=STATUS_FILTERS, required=False)

    def status_value(self) -> str:
        return self.cleaned_data.get("status", "") if self.is_valid() else ""


class UpdatesForm(forms.Form):
    """``?after=<id>``: the last message the page already shows."""

    after = forms.IntegerField(min_value=0, max_value=2**63 - 1, required=False)

    def after_id(self) -> int:
        if not self.is_valid():
            raise ValidationError(_("“after” must be a message number."), code="after")
        return self.cleaned_data["after"] or 0
