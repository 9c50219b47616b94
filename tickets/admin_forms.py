"""Forms of the staff's ticket admin: the change page with its reply box, and the
intermediate pages of the bulk actions that need a choice (agent, priority, status, target)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tickets import selectors
from tickets.forms import MESSAGE_MAX, AttachmentsField
from tickets.models import Ticket, pk_from_reference

# What an agent edits on the change page; each goes through ``ticket_change``.
TICKET_FIELDS = ("subject", "status", "priority", "category", "team", "assignee", "tags")


CANNED_INVALID = _("Choose a canned response from the list.")


class CannedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)  # the title in the staff member's language, from prefetched rows


class AgentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} (@{obj.username})" if obj.display_name else obj.username


class TicketAdminForm(forms.ModelForm):
    """The ticket's own fields plus the reply box. The reply fields are no model fields: the
    admin posts them through ``message_post`` after the ticket's changes."""

    reply = forms.CharField(
        label=_("Reply"), required=False, max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 7, "class": "tk-reply-text"}),
        help_text=_("Markdown works. The customer is notified of public replies."),
        error_messages={"max_length": _("Keep the reply under %(limit_value)d characters "
                                        "(it has %(show_value)d).")},
    )
    internal = forms.BooleanField(
        label=_("Internal note"), required=False,
        help_text=_("Seen by agents only, never by the customer."))
    canned = CannedChoiceField(
        label=_("Canned response"), required=False, queryset=selectors.canned_responses(),
        empty_label=_("Insert a canned response…"),
        help_text=_("With an empty reply, the chosen response is sent as it is, filled in for "
                    "this ticket."),
        error_messages={"invalid_choice": CANNED_INVALID},
    )
    attachments = AttachmentsField(help_text=_(
        "Screenshots (JPEG, PNG, WebP) or PDF documents. Internal notes keep theirs private."))

    class Meta:
        model = Ticket
        fields = TICKET_FIELDS

    def ticket_changes(self) -> dict:
        """The ``ticket_change`` keywords for the fields the agent changed (tags by name).
        Only valid once ``is_valid()``."""
        changes = {name: self.cleaned_data[name] for name in self.changed_data
                   if name in TICKET_FIELDS}
        if "tags" in changes:
            changes["tags"] = [tag.name for tag in changes["tags"]]
        return changes


class CannedPickForm(forms.Form):
    """The reply box asks for a canned response's text (``?canned=<id>``)."""

    canned = CannedChoiceField(
        queryset=selectors.canned_responses(),
        error_messages={"required": CANNED_INVALID, "invalid_choice": CANNED_INVALID})


class AssignForm(forms.Form):
    assignee = AgentChoiceField(
        label=_("Agent"), queryset=selectors.agents(),
        error_messages={"required": _("Choose the agent to assign the tickets to."),
                        "invalid_choice": _("Choose an agent from the list.")})


class PriorityForm(forms.Form):
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Ticket.Priority.choices,
        error_messages={"invalid_choice": _("Choose a priority from the list.")})


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=Ticket.Status.choices,
        error_messages={"invalid_choice": _("Choose a status from the list.")})


class MergeForm(forms.Form):
    target = forms.CharField(
        label=_("Merge into ticket"), max_length=20,
        help_text=_("The reference of the ticket that keeps the conversation, e.g. T-000123."),
        error_messages={"required": _("Enter the reference of the ticket to merge into.")},
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}))

    def __init__(self, *args, tickets, **kwargs):
        """``tickets``: those the agent handles; the target must be one of them."""
        super().__init__(*args, **kwargs)
        self.tickets = tickets

    def clean_target(self) -> Ticket:
        text = self.cleaned_data["target"]
        pk = pk_from_reference(text)
        if pk is None:
            raise forms.ValidationError(
                _("“%(text)s” is not a ticket reference: write it like T-000123."),
                code="reference", params={"text": text})
        target = self.tickets.filter(pk=pk).first()
        if target is None:
            raise forms.ValidationError(
                _("There is no ticket %(reference)s among the tickets you handle."),
                code="missing", params={"reference": text.strip().upper()})
        return target
