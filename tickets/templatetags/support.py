"""Presentation of tickets for their requester: status words a customer understands and the
sentences of the status timeline."""

from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _

from tickets.models import CUSTOMER_STATUS_LABELS, Event, Ticket

register = template.Library()

Status = Ticket.Status

@register.filter
def status_label(status: str) -> str:
    return str(CUSTOMER_STATUS_LABELS.get(status, status))


@register.filter
def ago(moment: datetime) -> str:
    """ "just now", "5 minutes ago", "3 days ago": how long ago, in its largest unit."""
    if timezone.now() - moment < timedelta(minutes=1):
        return _("just now")
    return _("%(time)s ago") % {"time": timesince(moment, depth=1)}


@register.filter
def event_status(event: Event) -> str:
    """The status a status event moved to ("" if it is not known)."""
    return event.new_value if event.new_value in Status.values else ""


@register.filter
def event_text(event: Event, ticket: Ticket) -> str:
    """One line of ``ticket``'s timeline, as its requester reads it."""
    if event.kind == Event.Kind.CREATED:
        if ticket.channel == Ticket.Channel.CHAT:
            return _("Chat started")
        return _("Ticket opened")
    if event.kind == Event.Kind.STATUS:
        status = event_status(event)
        label = status_label(status) if status else event.new_label
        return _("Status changed to “%(status)s”") % {"status": label}
    if event.kind == Event.Kind.MERGED and event.new_value:
        return _("Merged into %(reference)s") % {"reference": event.new_value}
    if event.kind == Event.Kind.MERGED:
        return _("%(reference)s was merged into this ticket") % {"reference": event.old_value}
    if event.kind == Event.Kind.CHAT_ESCALATED:
        return _("No agent was free to chat: it became a ticket answered by email")
    return event.get_kind_display()
