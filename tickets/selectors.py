"""Every read of tickets. ``tickets_visible`` alone decides who sees which ticket: lists,
detail pages, attachments, replies and exports all start from it."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext_lazy as _

from search.selectors import similar_titles
from tickets.models import (
    Attachment,
    CannedResponse,
    Category,
    Event,
    Message,
    SupportTeam,
    Ticket,
    pk_from_reference,
)

OPEN_STATUSES = (Ticket.Status.NEW, Ticket.Status.OPEN, Ticket.Status.WAITING,
                 Ticket.Status.ON_HOLD)
DONE_STATUSES = (Ticket.Status.RESOLVED, Ticket.Status.CLOSED)
# Tickets whose SLA clock runs: waiting on the customer pauses it, resolving stops it.
SLA_RUNNING = Q(status__in=(Ticket.Status.NEW, Ticket.Status.OPEN, Ticket.Status.ON_HOLD),
                sla_paused_at__isnull=True)
# Live chats no agent has answered yet, and not yet turned into tickets.
WAITING_CHATS = Q(channel=Ticket.Channel.CHAT, first_response_at__isnull=True,
                  chat_escalated_at__isnull=True,
                  status__in=(Ticket.Status.NEW, Ticket.Status.OPEN))


def reopen_until(ticket: Ticket) -> datetime | None:
    """Until when the requester may reopen ``ticket`` (SUPPORT_REOPEN_DAYS after it was
    resolved); None when it is open, merged, or past that window."""
    if ticket.is_open or ticket.merged_into_id or ticket.resolved_at is None:
        return None
    until = ticket.resolved_at + timedelta(days=settings.SUPPORT_REOPEN_DAYS)
    return until if until >= timezone.now() else None


@dataclass(frozen=True)
class TicketActions:
    """What ``user`` may do on a ticket's page (the services enforce the same rules)."""

    is_requester: bool
    can_reply: bool
    can_close: bool
    can_rate: bool
    reopen_until: datetime | None


def ticket_actions(*, user, ticket: Ticket) -> TicketActions:
    """Agents reply to any ticket not merged away; its requester while it is open, or
    resolved within the reopen window (the reply reopens it); the requester closes an open
    ticket and rates a finished one."""
    is_requester = ticket.requester_id == user.pk
    until = reopen_until(ticket) if is_requester else None
    merged = bool(ticket.merged_into_id)
    return TicketActions(
        is_requester=is_requester,
        can_reply=not merged and (ticket.is_open or not is_requester or (
            ticket.status == Ticket.Status.RESOLVED and until is not None)),
        can_close=is_requester and ticket.is_open and not merged,
        can_rate=is_requester and not ticket.is_open and not merged,
        reopen_until=until,
    )


def user_is_supervisor(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff and (
        user.is_superuser or user.has_perm("tickets.view_all_tickets")))


def _agent_scope(user, *, teams_inline: bool = False) -> Q | None:
    """The tickets ``user`` handles as an agent (None: every ticket), or an empty Q when
    ``user`` is no agent at all. ``teams_inline``: the user's teams are read at once (one
    query) and their ids written into the condition instead of a subquery. PostgreSQL can
    then estimate how many tickets the condition keeps (with the statistics of migration
    0002) and answer it from indexes: an agent's list filtered down to a few tickets (another
    team's category) is read from them instead of through every ticket."""
    if user_is_supervisor(user):
        return None
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return Q(pk__in=[])
    teams = SupportTeam.objects.filter(members=user).values("pk")
    if teams_inline:
        teams = [team["pk"] for team in teams]
    return Q(team__in=teams) | Q(assignee=user)


def tickets_visible(*, user) -> QuerySet[Ticket]:
    """The tickets ``user`` may see: their own; as an agent, their teams' tickets and those
    assigned to them; as a supervisor, all."""
    if not user.is_authenticated or not user.is_active:
        return Ticket.objects.none()
    scope = _agent_scope(user)
    if scope is None:
        return Ticket.objects.all()
    return Ticket.objects.filter(Q(requester=user) | scope)


def tickets_handled(*, user) -> QuerySet[Ticket]:
    """The tickets ``user`` sees as an agent (the admin's list): not their own requests. An
    agent's teams are read when this is called (one query), for the planner's sake."""
    scope = _agent_scope(user, teams_inline=True)
    return Ticket.objects.all() if scope is None else Ticket.objects.filter(scope)


def user_sees_internal(*, user, ticket: Ticket) -> bool:
    """Internal notes are for the agents who handle ``ticket``, never for its requester."""
    scope = _agent_scope(user)
    if scope is None:
        return True
    return user.is_staff and Ticket.objects.filter(scope, pk=ticket.pk).exists()


def ticket_get(*, user, reference: str) -> Ticket:
    """The ticket ``reference`` if ``user`` may see it, else Http404 (never a 403: whether
    another user's ticket exists is not to be learnt)."""
    pk = pk_from_reference(reference)
    return get_object_or_404(
        tickets_visible(user=user).select_related("category", "assignee", "merged_into"),
        pk=pk or 0)


def my_tickets(*, user, status: str = "") -> QuerySet[Ticket]:
    """The tickets ``user`` asked for, newest first. ``status``: "open", "waiting",
    "resolved" (or closed), or everything."""
    tickets = tickets_visible(user=user).filter(requester=user)
    if status == "open":
        tickets = tickets.filter(status__in=OPEN_STATUSES)
    elif status == "waiting":
        tickets = tickets.filter(status=Ticket.Status.WAITING)
    elif status == "resolved":
        tickets = tickets.filter(status__in=DONE_STATUSES)
    # The requester's "last update" is the latest message or timeline event they can see.
    last_message = Message.objects.filter(ticket=OuterRef("pk"), is_internal=False) \
        .order_by("-id").values("created_at")[:1]
    last_event = Event.objects.filter(ticket=OuterRef("pk"), is_public=True) \
        .order_by("-id").values("created_at")[:1]
    return tickets.select_related("category").prefetch_related("category__translations") \
        .annotate(last_activity=Greatest(
            "created_at", Coalesce(Subquery(last_message), "created_at"),
            Coalesce(Subquery(last_event), "created_at"))) \
        .order_by("-created_at", "-id")


def ticket_messages(*, user, ticket: Ticket, after_id: int = 0) -> QuerySet[Message]:
    """The conversation as ``user`` may read it (no internal notes for the requester), with
    authors and attachments in two more queries whatever its length."""
    messages = Message.objects.filter(ticket=ticket, pk__gt=after_id)
    if not user_sees_internal(user=user, ticket=ticket):
        messages = messages.filter(is_internal=False)
    return messages.select_related("author", "merged_from").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("id"))
    ).order_by("created_at", "id")


def ticket_timeline(*, ticket: Ticket, public_only: bool = True) -> QuerySet[Event]:
    events = Event.objects.filter(ticket=ticket).select_related("actor")
    return events.filter(is_public=True) if public_only else events


def attachment_get(*, user, reference: str, pk: int) -> Attachment:
    """An attachment of a ticket ``user`` may see, on a message they may read; else Http404."""
    ticket = ticket_get(user=user, reference=reference)
    attachments = Attachment.objects.filter(message__ticket=ticket)
    if not user_sees_internal(user=user, ticket=ticket):
        attachments = attachments.filter(message__is_internal=False)
    return get_object_or_404(attachments.select_related("message"), pk=pk)


def categories() -> QuerySet[Category]:
    return Category.objects.prefetch_related("translations")


def canned_responses() -> QuerySet[CannedResponse]:
    return CannedResponse.objects.prefetch_related("translations")


def waiting_chats(*, user, limit: int = 20) -> QuerySet[Ticket]:
    """Live chats no agent has answered yet, oldest first: the admin shows them on top."""
    return tickets_handled(user=user).filter(WAITING_CHATS).select_related("requester") \
        .order_by("created_at")[:limit]


@dataclass(frozen=True)
class Suggestion:
    title: str
    url: str
    kind: str


# Where help for a subject may already be written, in the order offered among titles sharing
# as many words: the blog's guides, questions answered on the forum, ideas on the board (a
# missing feature is better voted for there).
HELP_KINDS = {"article": _("Help article"), "topic": _("Solved forum topic"),
              "feedback": _("Feedback idea")}


def help_suggestions(*, user, text: str, limit: int = 5) -> list[Suggestion]:
    """Help articles (in the active language), solved forum topics and known ideas whose
    titles share the most words with ``text``, the subject being typed: one search of the
    index, none for text without a whole word (see ``search.selectors.similar_titles``)."""
    order = list(HELP_KINDS)
    # Enough of every kind for an article to pass newer topics sharing as many words.
    found = similar_titles(user=user, text=text, kinds=order,
                           language=translation.get_language(), solved_only=True,
                           limit=limit * len(order))
    found.sort(key=lambda similar: (-similar.shared, order.index(similar.kind)))
    return [Suggestion(title=similar.title, url=similar.url, kind=str(HELP_KINDS[similar.kind]))
            for similar in found[:limit]]


@dataclass(frozen=True)
class SLAState:
    """Where a ticket stands against its SLA: ``state`` is "paused" (waiting on the customer),
    "due" or "overdue" (``due``: the next deadline), "breached" or "met" (finished), or ""
    (no targets)."""

    state: str
    due: datetime | None = None


def ticket_sla_state(ticket: Ticket, *, now=None) -> SLAState:
    """Where ``ticket`` stands against its SLA at ``now``, as the admin's list and ticket page
    show it."""
    if ticket.sla_paused_at and ticket.is_open:
        return SLAState("paused")
    due = ticket.sla_due
    if due:
        return SLAState("overdue" if due < (now or timezone.now()) else "due", due)
    if ticket.first_response_breached_at or ticket.resolution_breached_at:
        return SLAState("breached")
    if not ticket.is_open and (ticket.first_response_due or ticket.resolution_due):
        return SLAState("met")
    return SLAState("")


def tickets_overdue(*, tickets: QuerySet[Ticket], now=None) -> QuerySet[Ticket]:
    """Of ``tickets``, those past an SLA deadline still to meet while their clock runs
    (waiting on the customer pauses it), whether or not the beat task has marked it yet."""
    now = now or timezone.now()
    return tickets.filter(SLA_RUNNING).filter(
        Q(first_response_at__isnull=True, first_response_due__lt=now)
        | Q(resolution_due__lt=now))


# A word found in at most SEARCH_RARE_LIMIT places is searched through the indexes alone and
# its tickets' ids written into the list's query; in at most SEARCH_INDEXED_LIMIT, through the
# indexes still, as a subquery (too many ids to send). A commoner word is matched row by row,
# which finds a page of the newest tickets soon, but reads the more rows to count the list
# the rarer the word. Measured on a million tickets (bench/tickets_admin.py), SQL time of the
# list: a word in 1,029 places 2.8 s row by row, 0.04 s through the indexes; in 10,016 places
# 0.28 s and 0.17 s; "withdrawal" (~250,000) 0.04 s row by row.
SEARCH_RARE_LIMIT = 1000
SEARCH_INDEXED_LIMIT = 15_000


def _search_words(text: str) -> list[str]:
    words = []
    for word in smart_split(text or ""):
        if word[0] in "\"'" and word[-1] == word[0] and len(word) > 1:
            word = unescape_string_literal(word)
        if word.strip():
            words.append(word)
    return words


def tickets_search(*, tickets: QuerySet[Ticket], text: str) -> QuerySet[Ticket]:
    """Of ``tickets``: the one whose reference is ``text`` (``T-000123`` or ``123``); else
    those where every word (or "quoted phrase") of ``text`` is in the subject, the requester's
    email or username, or a message (a ticket is listed once, without DISTINCT).

    A rare word (a TxID, an email) is looked up in each place through its index (trigram
    indexes on PostgreSQL) and gives a list of tickets; a common one is matched row by row
    instead, which stops as soon as a page of the newest tickets is found. Reads up to
    ``SEARCH_RARE_LIMIT`` ids per word, and counts up to ``SEARCH_INDEXED_LIMIT`` beyond, to
    tell them apart."""
    pk = pk_from_reference(text)
    if pk is not None:
        return tickets.filter(pk=pk)
    for n, word in enumerate(_search_words(text)):
        requesters = get_user_model().objects.filter(
            Q(email__icontains=word) | Q(username__icontains=word)).order_by().values("pk")
        # Read once rather than scanned again by each query of the list, when they are few.
        listed = [user["pk"] for user in requesters[:SEARCH_RARE_LIMIT + 1]]
        if len(listed) <= SEARCH_RARE_LIMIT:
            requesters = listed
        messages = Message.objects.filter(body__icontains=word).order_by()
        found = Ticket.objects.filter(subject__icontains=word).order_by().values_list("pk").union(
            Ticket.objects.filter(requester__in=requesters).order_by().values_list("pk"),
            messages.values_list("ticket_id"), all=True)
        rows = list(found[:SEARCH_RARE_LIMIT + 1])
        if len(rows) <= SEARCH_RARE_LIMIT:  # all of them, a ticket maybe more than once
            tickets = tickets.filter(pk__in={pk for (pk,) in rows})
            continue
        if found[:SEARCH_INDEXED_LIMIT + 1].count() <= SEARCH_INDEXED_LIMIT:
            tickets = tickets.filter(pk__in=found)
            continue
        # One of the ticket's messages, looked up per row through the ticket's index: under
        # OR, PostgreSQL would answer an EXISTS by hashing every message with the word first.
        message = f"message_{n}"
        tickets = tickets.alias(**{message: Subquery(
            messages.filter(ticket=OuterRef("pk")).values("pk")[:1])}).filter(
            Q(subject__icontains=word) | Q(requester__in=requesters)
            | Q(**{f"{message}__isnull": False}))
    return tickets


def agents(*, text: str = "") -> QuerySet:
    """The people tickets may be assigned to (active staff), by name; ``text`` narrows them
    to those whose username, display name or email contains it."""
    users = get_user_model().objects.filter(is_staff=True, is_active=True)
    text = (text or "").strip()
    if text:
        users = users.filter(Q(username__icontains=text) | Q(display_name__icontains=text)
                             | Q(email__icontains=text))
    return users.order_by("display_name", "username", "pk")


def suggestion_pending(ticket: Ticket) -> bool:
    """Whether accepting the ticket's suggestion would change it: ``SUGGESTION_PENDING`` for
    one ticket in hand."""
    return bool(
        ticket.suggested_category_id and ticket.category_id != ticket.suggested_category_id
        or ticket.suggested_priority and ticket.priority != ticket.suggested_priority)


# Tickets whose suggestion, accepted, would change them.
SUGGESTION_PENDING = (
    Q(suggested_category__isnull=False) & ~Q(category=F("suggested_category"))
    | ~Q(suggested_priority="") & ~Q(priority=F("suggested_priority")))
