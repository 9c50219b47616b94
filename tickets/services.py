"""Every write to tickets. Each change is recorded in the ticket's audit trail (Event)."""

import logging
import re
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import format_lazy, slugify
from django.utils.translation import get_supported_language_variant
from django.utils.translation import gettext_lazy as _

from core.markdown import render_markdown
from core.textmatch import compile_pattern, normalize
from feedback.services import feedback_submit
from notifications.services import notify
from tickets.attachments import VerifiedFile
from tickets.models import (
    CUSTOMER_STATUS_LABELS,
    Attachment,
    CannedResponse,
    Category,
    ClassificationRule,
    Event,
    Message,
    SLAPolicy,
    SupportTeam,
    Tag,
    Ticket,
    reference_for,
)
from tickets.selectors import (
    DONE_STATUSES,
    SLA_RUNNING,
    SUGGESTION_PENDING,
    WAITING_CHATS,
    reopen_until,
    user_sees_internal,
)

logger = logging.getLogger(__name__)
User = get_user_model()
Status = Ticket.Status


# --- Creating --------------------------------------------------------------------------------

def ticket_classify(*, subject: str, body: str) -> ClassificationRule | None:
    """The first rule (by position) whose pattern matches the subject or the message."""
    text = normalize(f"{subject}\n{body}")
    for rule in ClassificationRule.objects.order_by("position", "id"):
        compiled = compile_pattern(rule.kind, rule.pattern)
        if compiled is not None and compiled.search(text):
            return rule
    return None


def _sla_policy(priority: str) -> SLAPolicy | None:
    return SLAPolicy.objects.filter(priority=priority).first()


def _sla_due(*, start, policy: SLAPolicy | None, field: str):
    return start + timedelta(minutes=getattr(policy, field)) if policy else None


# A second identical submission this soon after the first is a double click (or a browser
# resending the form), not something the user meant to say twice.
DOUBLE_SUBMIT_WINDOW = timedelta(seconds=30)


@transaction.atomic
def ticket_create(*, requester, subject: str, body: str, category: Category | None = None,
                  channel: str = Ticket.Channel.WEB, language: str = "",
                  files: Iterable[VerifiedFile] = ()) -> Ticket:
    """Open a ticket with its first message. ``files`` come from ``attachments_verify``.

    Classification rules only suggest a category and priority: staff accept them or not.
    The ticket goes to the team of its category, else of the suggested category, else the
    default team. The same ticket submitted again within ``DOUBLE_SUBMIT_WINDOW`` (a double
    click) returns the first one instead of opening a second.
    """
    subject = " ".join((subject or "").split())
    body = (body or "").strip()
    if not subject:
        raise ValidationError(_("Tell us in a few words what it is about."), code="subject")
    if not body:
        raise ValidationError(_("Describe your problem, so we can help."), code="body")
    if channel not in Ticket.Channel.values:
        raise ValidationError(f"unknown ticket channel {channel!r}", code="channel")
    subject = subject[:200]
    try:
        language = get_supported_language_variant(language or requester.language or "")
    except LookupError:
        language = settings.LANGUAGE_CODE
    now = timezone.now()
    # Locking the requester serialises their submissions, so a double click cannot slip two
    # tickets past the duplicate check.
    User.objects.select_for_update().filter(pk=requester.pk).exists()
    duplicate = Ticket.objects.filter(
        requester=requester, subject=subject, channel=channel,
        created_at__gte=now - DOUBLE_SUBMIT_WINDOW, messages__author=requester,
        messages__body=body).order_by("-pk").first()
    if duplicate:
        return duplicate
    rule = ticket_classify(subject=subject, body=body)
    suggested = rule.category if rule and rule.category_id else None
    team_id = next((c.team_id for c in (category, suggested) if c and c.team_id), None) or \
        SupportTeam.objects.filter(is_default=True).values_list("pk", flat=True).first()
    policy = _sla_policy(Ticket.Priority.NORMAL)
    ticket = Ticket.objects.create(
        requester=requester, subject=subject, category=category, channel=channel,
        language=language, team_id=team_id,
        first_response_due=_sla_due(start=now, policy=policy, field="first_response_minutes"),
        resolution_due=_sla_due(start=now, policy=policy, field="resolution_minutes"),
        last_customer_reply_at=now,
        suggested_category=suggested, suggested_priority=rule.priority if rule else "",
        classification_rule=rule, classification_pattern=rule.pattern if rule else "",
    )
    _event(ticket, requester, Event.Kind.CREATED, new=ticket.channel, public=True)
    if rule:
        with translation.override(settings.LANGUAGE_CODE):  # whoever opened it, in which language
            found = " / ".join(value for value in (
                suggested and suggested.safe_translation_getter(
                    "name", language_code=settings.LANGUAGE_CODE, any_language=True),
                str(ticket.get_suggested_priority_display())) if value)
        _event(ticket, None, Event.Kind.CLASSIFIED, old=rule.pattern, new=found)
    _message_store(ticket=ticket, author=requester, body=body, internal=False, staff=False,
                   files=files)
    return ticket


def _message_store(*, ticket: Ticket, author, body: str, internal: bool, staff: bool,
                   files: Iterable[VerifiedFile]) -> Message:
    message = Message.objects.create(ticket=ticket, author=author, body=body,
                                     body_html=render_markdown(body), is_internal=internal,
                                     is_staff_reply=staff)
    for verified in files:
        Attachment.objects.create(message=message, file=verified.content, name=verified.name,
                                  content_type=verified.content_type,
                                  size=verified.content.size)
    return message


def _event(ticket: Ticket, actor, kind: str, *, old="", new="", public=False) -> Event:
    """Record a change. Statuses, priorities and channels are stored as their values and shown
    in the reader's language (``Event.old_label``/``new_label``); names (a category, a team)
    are stored in the site's default language, whoever made the change in whichever language."""
    with translation.override(settings.LANGUAGE_CODE):
        old, new = str(old)[:200], str(new)[:200]
    return Event.objects.create(ticket=ticket, actor=actor, kind=kind, old_value=old,
                                new_value=new, is_public=public)


# --- Conversation ----------------------------------------------------------------------------

@transaction.atomic
def message_post(*, ticket: Ticket, author, body: str, internal: bool = False,
                 files: Iterable[VerifiedFile] = ()) -> Message:
    """Add a reply (or, for agents, an internal note) to ``ticket``. Precondition: ``author``
    reached the ticket through ``ticket_get``; anyone else gets PermissionDenied.

    The requester's reply reopens a ticket waiting on them (and one resolved within the reopen
    window); an agent's first public reply stops the first-response clock. The requester is
    notified of public agent replies, the assignee of customer replies. The same message posted
    again within ``DOUBLE_SUBMIT_WINDOW`` (a double click) is not stored twice.
    """
    body = (body or "").strip()
    files = list(files)
    if not body and not files:
        raise ValidationError(_("Write a message first."), code="empty")
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    is_agent = user_sees_internal(user=author, ticket=ticket)
    if not author.is_active or (internal and not is_agent) or (
            not is_agent and author.pk != ticket.requester_id):
        raise PermissionDenied
    _refuse_if_merged(ticket)
    from_customer = author.pk == ticket.requester_id and not internal
    if from_customer and ticket.status == Status.CLOSED:
        raise ValidationError(_("This ticket is closed. Reopen it or open a new one."),
                              code="closed")
    if from_customer and ticket.status == Status.RESOLVED:
        _require_reopenable(ticket)
    now = timezone.now()
    # The ticket is locked: a second click waits here and then finds the first message.
    duplicate = _message_duplicate(ticket=ticket, author=author, body=body, internal=internal,
                                   files=files, since=now - DOUBLE_SUBMIT_WINDOW)
    if duplicate:
        return duplicate
    message = _message_store(ticket=ticket, author=author, body=body, internal=internal,
                             staff=not from_customer, files=files)
    if internal:
        return message
    if from_customer:
        Ticket.objects.filter(pk=ticket.pk).update(last_customer_reply_at=now)
        if ticket.status in (Status.WAITING, Status.RESOLVED):
            _status_set(ticket=ticket, actor=author, status=Status.OPEN)
        if ticket.assignee_id and ticket.assignee_id != author.pk:
            notify(recipient=ticket.assignee, actor=author,
                   verb=format_lazy(_("New reply from the customer on {reference}"),
                                    reference=ticket.reference),
                   description=body[:500], target_url=_admin_url(ticket))
        return message
    if ticket.first_response_at is None:
        Ticket.objects.filter(pk=ticket.pk).update(first_response_at=now)
        ticket.first_response_at = now
    if ticket.status == Status.NEW:
        _status_set(ticket=ticket, actor=author, status=Status.OPEN, notify_requester=False)
    _notify_requester(ticket, author, format_lazy(_("Support replied to {reference}"),
                                                  reference=ticket.reference), body[:500])
    return message


def _message_duplicate(*, ticket: Ticket, author, body: str, internal: bool,
                       files: list[VerifiedFile], since) -> Message | None:
    """``author``'s latest message on ``ticket`` if it is this very one, sent after ``since``."""
    last = ticket.messages.filter(author=author, created_at__gte=since) \
        .order_by("-created_at", "-id").first()
    if last is None or (last.body, last.is_internal) != (body, internal):
        return None
    attached = sorted(last.attachments.values_list("name", "size"))
    return last if attached == sorted((f.name, f.content.size) for f in files) else None


def _admin_url(ticket: Ticket) -> str:
    return reverse("admin:tickets_ticket_change", args=[ticket.pk])


def _notify_requester(ticket: Ticket, actor, verb, description: str = "") -> None:
    requester = ticket.requester
    with translation.override(requester.language or settings.LANGUAGE_CODE):
        url = ticket.get_absolute_url()
    notify(recipient=requester, actor=actor, verb=verb, description=description,
           target_url=url)


# --- Changes (status, priority, assignment...) ----------------------------------------------

def _shift(due, delta: timedelta):
    return due + delta if due else None


# The SLA clock stands still while the customer has the ball, and while the ticket is
# resolved or closed (a reopened ticket does not count the days it was resolved).
SLA_PAUSED_STATUSES = (Status.WAITING, *DONE_STATUSES)


def _status_set(*, ticket: Ticket, actor, status: str, notify_requester: bool = True) -> None:
    """Change the status with its SLA effects. Precondition: ``ticket`` is locked."""
    old = ticket.status
    if old == status:
        return
    now = timezone.now()
    updates = {"status": status}
    if ticket.sla_paused_at and status not in SLA_PAUSED_STATUSES:
        # The deadlines still to meet move forward by the time the clock stood still.
        paused = now - ticket.sla_paused_at
        updates["sla_paused_at"] = None
        if ticket.first_response_at is None:
            updates["first_response_due"] = _shift(ticket.first_response_due, paused)
        updates["resolution_due"] = _shift(ticket.resolution_due, paused)
    if status in SLA_PAUSED_STATUSES and not ticket.sla_paused_at:
        updates["sla_paused_at"] = now
    if status in DONE_STATUSES and ticket.resolved_at is None:
        updates["resolved_at"] = now
    if status not in DONE_STATUSES:
        updates["resolved_at"] = None
    for field, value in updates.items():
        setattr(ticket, field, value)
    Ticket.objects.filter(pk=ticket.pk).update(**updates)
    _event(ticket, actor, Event.Kind.STATUS, old=old, new=status, public=True)
    if notify_requester and (actor is None or actor.pk != ticket.requester_id):
        _notify_requester(ticket, actor, format_lazy(_("{reference} is now “{status}”"),
                                                     reference=ticket.reference,
                                                     status=CUSTOMER_STATUS_LABELS[status]))


def _priority_set(*, ticket: Ticket, actor, priority: str) -> None:
    """New SLA targets counted from the creation; time already paused stays added."""
    old = ticket.priority
    new_policy, old_policy = _sla_policy(priority), _sla_policy(old)
    updates = {"priority": priority}
    for due_field, minutes_field in (("first_response_due", "first_response_minutes"),
                                     ("resolution_due", "resolution_minutes")):
        old_due = getattr(ticket, due_field)
        new_due = _sla_due(start=ticket.created_at, policy=new_policy, field=minutes_field)
        old_target = _sla_due(start=ticket.created_at, policy=old_policy, field=minutes_field)
        if old_due and new_due and old_target:
            new_due = old_due + (new_due - old_target)
        updates[due_field] = new_due
    for field, value in updates.items():
        setattr(ticket, field, value)
    Ticket.objects.filter(pk=ticket.pk).update(**updates)
    _event(ticket, actor, Event.Kind.PRIORITY, old=old, new=priority)


_PLAIN_FIELDS = {"assignee": Event.Kind.ASSIGNEE, "team": Event.Kind.TEAM,
                 "category": Event.Kind.CATEGORY, "subject": None}


def _require_agent(ticket: Ticket, actor) -> None:
    """Only the agents who handle ``ticket`` change it (``actor`` None: the system itself)."""
    if actor is not None and not user_sees_internal(user=actor, ticket=ticket):
        raise PermissionDenied


def _refuse_if_merged(ticket: Ticket) -> None:
    """A merged ticket's conversation lives on in the ticket it was merged into."""
    if ticket.merged_into_id:
        raise ValidationError(_("This ticket was merged into %(reference)s: reply there.")
                              % {"reference": reference_for(ticket.merged_into_id)},
                              code="merged")


def _changes_clean(changes: dict) -> dict:
    """``changes`` checked (and the subject tidied) before anything is written."""
    unknown = set(changes) - {"status", "priority", "tags", *_PLAIN_FIELDS}
    if unknown:
        raise TypeError(f"ticket_change: unknown fields {sorted(unknown)}")
    if "status" in changes and changes["status"] not in Status.values:
        raise ValidationError(_("Choose a valid status."), code="status")
    if "priority" in changes and changes["priority"] not in Ticket.Priority.values:
        raise ValidationError(_("Choose a valid priority."), code="priority")
    if "subject" in changes:
        changes["subject"] = " ".join((changes["subject"] or "").split())[:200]
        if not changes["subject"]:
            raise ValidationError(_("A ticket needs a subject."), code="subject")
    assignee = changes.get("assignee")
    if assignee is not None and not (assignee.is_active and assignee.is_staff):
        raise ValidationError(_("Tickets can only be assigned to active staff members."),
                              code="assignee")
    return changes


@transaction.atomic
def ticket_change(*, ticket: Ticket, actor, **changes) -> Ticket:
    """Apply agent changes: any of ``status``, ``priority``, ``assignee``, ``team``,
    ``category``, ``subject``, ``tags`` (names). Each real change lands in the audit trail;
    status changes are shown to (and notified to) the requester.

    Preconditions: ``actor`` handles the ticket (else PermissionDenied); a merged ticket
    stays closed. Invalid values raise ValidationError and change nothing.
    """
    changes = _changes_clean(dict(changes))
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    _require_agent(locked, actor)
    if "status" in changes and changes["status"] not in DONE_STATUSES:
        _refuse_if_merged(locked)
    for field, kind in _PLAIN_FIELDS.items():
        if field not in changes:
            continue
        value = changes[field]
        old = getattr(locked, field)
        if old == value:
            continue
        setattr(locked, field, value)
        Ticket.objects.filter(pk=locked.pk).update(**{field: value})
        if kind:
            _event(locked, actor, kind, old=old or "", new=value or "")
    if "priority" in changes and changes["priority"] != locked.priority:
        _priority_set(ticket=locked, actor=actor, priority=changes["priority"])
    if "status" in changes:
        _status_set(ticket=locked, actor=actor, status=changes["status"])
    if "tags" in changes:
        _tags_set(ticket=locked, actor=actor, names=changes["tags"])
    return locked


def _tags_set(*, ticket: Ticket, actor, names: Iterable[str]) -> None:
    # Tag names are slugs: "Needs Dev" and "needs-dev" are one tag.
    wanted = {slugify(name, allow_unicode=True)[:50] for name in names} - {""}
    current = set(ticket.tags.values_list("name", flat=True))
    if wanted == current:
        return
    tags = [Tag.objects.get_or_create(name=name)[0] for name in sorted(wanted)]
    ticket.tags.set(tags)
    _event(ticket, actor, Event.Kind.TAGS, old=", ".join(sorted(current)),
           new=", ".join(sorted(wanted)))


@transaction.atomic
def tickets_assign(*, tickets, assignee, actor) -> int:
    """Assign several tickets (the admin's bulk actions), all or none. Returns how many
    changed."""
    return tickets_bulk_change(tickets=tickets.exclude(assignee=assignee), actor=actor,
                               assignee=assignee)


@transaction.atomic
def tickets_bulk_change(*, tickets, actor, **changes) -> int:
    """Apply the same change to several tickets, all or none (one invalid change, e.g.
    reopening a merged ticket, refuses the lot). Returns how many there were."""
    count = 0
    for ticket in tickets.order_by("pk"):
        ticket_change(ticket=ticket, actor=actor, **changes)
        count += 1
    return count


@transaction.atomic
def ticket_accept_suggestion(*, ticket: Ticket, actor) -> Ticket:
    """Take the classification's suggested category, with its team (a ticket suggested as
    Security goes to the team answering security), and the suggested priority."""
    changes = {}
    suggested = ticket.suggested_category
    if suggested:
        changes["category"] = suggested
        if suggested.team_id:
            changes["team"] = suggested.team
    if ticket.suggested_priority:
        changes["priority"] = ticket.suggested_priority
    return ticket_change(ticket=ticket, actor=actor, **changes)


# --- The requester's own actions -------------------------------------------------------------

def _require_requester(ticket: Ticket, user) -> None:
    if user.pk != ticket.requester_id or not user.is_active:
        raise PermissionDenied


def _require_reopenable(ticket: Ticket) -> None:
    _refuse_if_merged(ticket)
    if reopen_until(ticket) is None:
        raise ValidationError(
            _("This ticket was resolved more than %(days)d days ago: please open a new one.")
            % {"days": settings.SUPPORT_REOPEN_DAYS}, code="too_late")


@transaction.atomic
def ticket_close(*, ticket: Ticket, user) -> Ticket:
    """The requester says the problem is solved (again: nothing more happens)."""
    _require_requester(ticket, user)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status in DONE_STATUSES:
        return ticket
    _status_set(ticket=ticket, actor=user, status=Status.CLOSED)
    return ticket


@transaction.atomic
def ticket_reopen(*, ticket: Ticket, user) -> Ticket:
    """The requester reopens a ticket resolved or closed within the reopen window (one
    already open is left as it is)."""
    _require_requester(ticket, user)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status not in DONE_STATUSES:
        return ticket
    _require_reopenable(ticket)
    _status_set(ticket=ticket, actor=user, status=Status.OPEN)
    return ticket


@transaction.atomic
def ticket_rate(*, ticket: Ticket, user, score: int, comment: str = "") -> Ticket:
    """The requester's satisfaction rating (1–5) once the ticket is resolved; they may change
    it while it stays resolved. The same rating sent again records nothing new."""
    _require_requester(ticket, user)
    if isinstance(score, bool) or score not in range(1, 6):
        raise ValidationError(_("Choose a rating from 1 to 5."), code="score")
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status not in DONE_STATUSES:
        raise ValidationError(_("You can rate the help once your ticket is resolved."),
                              code="not_resolved")
    comment = (comment or "").strip()[:2000]
    if (ticket.csat_score, ticket.csat_comment) == (score, comment):
        return ticket
    old = ticket.csat_score
    ticket.csat_score, ticket.csat_comment = score, comment
    ticket.csat_at = timezone.now()
    Ticket.objects.filter(pk=ticket.pk).update(csat_score=ticket.csat_score,
                                               csat_comment=ticket.csat_comment,
                                               csat_at=ticket.csat_at)
    _event(ticket, user, Event.Kind.CSAT, old=old or "", new=score)
    return ticket


# --- Merge and feedback ----------------------------------------------------------------------

@transaction.atomic
def ticket_merge(*, source: Ticket, target: Ticket, actor) -> Ticket:
    """Merge ``source`` into ``target``: its messages (and their attachments) move over,
    marked as coming from ``source``, which is closed with a pointer to ``target``. Tickets
    merged into ``source`` earlier now point at ``target``. Merging again into the same
    target (a double click) changes nothing.

    Only tickets of the same requester merge: moving a conversation into someone else's
    ticket would show it to them. ``actor`` must handle both tickets.
    """
    if source.pk == target.pk:
        raise ValidationError(_("A ticket cannot be merged into itself."), code="self")
    # Both rows locked, always in the same order, so two opposite merges cannot cross.
    locked = {ticket.pk: ticket for ticket in Ticket.objects.select_for_update()
              .filter(pk__in=(source.pk, target.pk)).order_by("pk")}
    source, target = locked[source.pk], locked[target.pk]
    _require_agent(source, actor)
    _require_agent(target, actor)
    if source.requester_id != target.requester_id:
        raise ValidationError(_("Only tickets from the same requester can be merged."),
                              code="requester")
    if source.merged_into_id == target.pk:
        return target
    for ticket in (target, source):
        if ticket.merged_into_id:
            raise ValidationError(
                _("%(reference)s was itself merged: merge into %(into)s.")
                % {"reference": ticket.reference, "into": reference_for(ticket.merged_into_id)},
                code="chain")
    moved = Message.objects.filter(ticket=source)
    # Messages that came from a ticket merged earlier keep saying where they came from.
    moved.filter(merged_from__isnull=True).update(merged_from=source)
    moved.update(ticket=target)
    Ticket.objects.filter(merged_into=source).update(merged_into=target)
    Ticket.objects.filter(pk=source.pk).update(merged_into=target)
    source.merged_into = target
    _event(source, actor, Event.Kind.MERGED, new=target.reference, public=True)
    _event(target, actor, Event.Kind.MERGED, old=source.reference, public=True)
    if source.status != Status.CLOSED:
        _status_set(ticket=source, actor=actor, status=Status.CLOSED, notify_requester=False)
    return target


@transaction.atomic
def tickets_merge(*, tickets, target: Ticket, actor) -> int:
    """Merge several tickets into ``target`` (the admin's bulk action), all or none."""
    sources = tickets.exclude(pk=target.pk)
    if not sources.exists():
        raise ValidationError(
            _("Select the tickets to merge into %(reference)s, not only that one."),
            code="nothing", params={"reference": target.reference})
    count = 0
    for ticket in sources.order_by("pk"):
        ticket_merge(source=ticket, target=target, actor=actor)
        count += 1
    return count


@transaction.atomic
def tickets_send_to_feedback(*, tickets, actor) -> int:
    """Send the tickets not sent yet to feedback (the admin's bulk action), all or none.
    Returns how many went."""
    count = 0
    for ticket in tickets.filter(feedback_ref="").order_by("pk"):
        ticket_send_to_feedback(ticket=ticket, actor=actor)
        count += 1
    return count


@transaction.atomic
def tickets_accept_suggestion(*, tickets, actor) -> int:
    """Accept the suggestion on those tickets it would change (the admin's bulk action), all
    or none. Returns how many changed."""
    count = 0
    for ticket in tickets.filter(SUGGESTION_PENDING).select_related("suggested_category") \
            .order_by("pk"):
        ticket_accept_suggestion(ticket=ticket, actor=actor)
        count += 1
    return count


@transaction.atomic
def ticket_send_to_feedback(*, ticket: Ticket, actor) -> str:
    """Pass the ticket's gist to the feedback pipeline, once; returns the feedback item's id.
    The first customer message is the body: internal notes never leave the ticket.
    ``actor`` must handle the ticket."""
    ticket = Ticket.objects.select_for_update().select_related("requester").get(pk=ticket.pk)
    _require_agent(ticket, actor)
    if ticket.feedback_ref:
        return ticket.feedback_ref
    first = ticket.messages.filter(is_internal=False, is_staff_reply=False) \
        .order_by("created_at", "id").first()
    item = feedback_submit(
        source="tickets.ticket", source_ref=ticket.reference, author=ticket.requester,
        title=ticket.subject, body=first.body if first else "", language=ticket.language,
    )
    ticket.feedback_ref = str(item.pk)
    Ticket.objects.filter(pk=ticket.pk).update(feedback_ref=ticket.feedback_ref)
    _event(ticket, actor, Event.Kind.FEEDBACK, new=ticket.feedback_ref)
    return ticket.feedback_ref


# --- Canned responses ------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\.([a-z_]+)\s*\}\}")


def canned_response_render(*, canned: CannedResponse, ticket: Ticket, agent) -> str:
    """The response's text in the ticket's language (or any it has), placeholders filled.
    Unknown placeholders stay as written, so a typo shows rather than vanishes."""
    canned.set_current_language(ticket.language)
    body = canned.safe_translation_getter("body", any_language=True) or ""
    requester = ticket.requester
    values = {
        ("user", "display_name"): requester.name,
        ("user", "username"): requester.username,
        ("ticket", "reference"): ticket.reference,
        ("ticket", "subject"): ticket.subject,
        ("agent", "display_name"): agent.name,
    }
    return _PLACEHOLDER.sub(lambda m: values.get((m[1], m[2]), m[0]), body)


# --- SLA and chats (beat) --------------------------------------------------------------------

def _notify_agents(ticket: Ticket, verb) -> None:
    """The assignee and the ticket's team (or the supervisors, for a ticket of no team)."""
    if ticket.team_id:
        agents = Q(support_teams=ticket.team_id)
    else:
        agents = Q(is_superuser=True) | Q(
            groups__permissions__codename="view_all_tickets",
            groups__permissions__content_type__app_label="tickets") | Q(
            user_permissions__codename="view_all_tickets",
            user_permissions__content_type__app_label="tickets")
    if ticket.assignee_id:
        agents |= Q(pk=ticket.assignee_id)
    ids = User.objects.filter(agents, is_staff=True, is_active=True).values("pk")
    for agent in User.objects.filter(pk__in=ids).order_by("pk"):
        notify(recipient=agent, verb=verb, target_url=_admin_url(ticket))


def _mark_each(tickets, handle: Callable[[Ticket], None], **marks) -> int:
    """Set ``marks`` on each ticket of ``tickets`` (up to 1,000 a run) and ``handle`` it (with
    its requester loaded), one transaction each; returns how many. The marking update checks
    the conditions again: since the list was read the ticket may have been answered, paused or
    resolved, or marked by a run on another worker. Marked once, handled once."""
    count = 0
    for pk in tickets.order_by("pk").values_list("pk", flat=True)[:1000]:
        with transaction.atomic():
            if tickets.filter(pk=pk).update(**marks):
                handle(Ticket.objects.select_related("requester").get(pk=pk))
                count += 1
    return count


def sla_breaches_mark(*, now=None) -> int:
    """Mark the first-response and resolution deadlines passed since the last run and tell
    the assignee and team. Paused tickets (waiting on the customer) and resolved ones never
    breach. Safe to run twice, or on two workers at once: a breach is marked (and told)
    once."""
    now = now or timezone.now()
    marked = 0
    checks = (
        ("first_response_breached_at", Q(first_response_at__isnull=True,
                                         first_response_due__lt=now),
         _("First response overdue on {reference}")),
        ("resolution_breached_at", Q(resolution_due__lt=now),
         _("Resolution overdue on {reference}")),
    )
    for field, overdue, verb in checks:
        def breached(ticket: Ticket, field=field, verb=verb) -> None:
            _event(ticket, None, Event.Kind.SLA_BREACH, new=field)
            _notify_agents(ticket, format_lazy(verb, reference=ticket.reference))

        candidates = Ticket.objects.filter(SLA_RUNNING, overdue, **{f"{field}__isnull": True})
        marked += _mark_each(candidates, breached, **{field: now})
    return marked


def _chat_escalated(ticket: Ticket) -> None:
    _event(ticket, None, Event.Kind.CHAT_ESCALATED, public=True)
    _notify_requester(
        ticket, None,
        format_lazy(_("No agent was free to chat: {reference} is now a ticket"),
                    reference=ticket.reference),
        _("We will answer by email as soon as possible. You can add details on the ticket "
          "page meanwhile."))


def chats_escalate(*, now=None) -> int:
    """Live chats nobody answered within SUPPORT_CHAT_TIMEOUT_MINUTES become tickets answered
    by email; the customer is told, on the chat page and by email. Each chat once."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.SUPPORT_CHAT_TIMEOUT_MINUTES)
    waiting = Ticket.objects.filter(WAITING_CHATS, created_at__lt=cutoff)
    return _mark_each(waiting, _chat_escalated, chat_escalated_at=now)
