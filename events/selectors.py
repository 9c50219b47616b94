"""Every non-trivial read of events. Who may see, ask, vote, answer and RSVP is decided here,
the same way for the index and the event pages."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.selectors import user_is_staff
from events.models import AmaQuestion, AmaSession, AmaVote, Meetup, MeetupPhoto, Rsvp


def ama_is_open(session: AmaSession, *, now: datetime | None = None) -> bool:
    """Questions and votes are taken until the session ends; then it is an archive."""
    return (now or timezone.now()) < session.ends_at


def ama_is_live(session: AmaSession, *, now: datetime | None = None) -> bool:
    """The hosts are answering now."""
    return session.starts_at <= (now or timezone.now()) < session.ends_at


def meetup_is_open(meetup: Meetup, *, now: datetime | None = None) -> bool:
    """RSVPs are taken, and cancelled, until the meetup starts."""
    return (now or timezone.now()) < meetup.starts_at and meetup.held_at is None


def user_may_host(*, user, session: AmaSession) -> bool:
    """Answering and hiding questions: the session's hosts and staff.
    Precondition: ``session.hosts`` is prefetched (``ama_get``) or a query is acceptable."""
    if user_is_staff(user):
        return True
    return user.is_authenticated and any(host.pk == user.pk for host in session.hosts.all())


def user_may_send_to_feedback(user) -> bool:
    """Handing an AMA question to the feedback pipeline: staff only (not hosts)."""
    return user_is_staff(user)


def user_may_add_photos(*, user, meetup: Meetup) -> bool:
    """Adding photos to a meetup: staff and its organiser."""
    return user_is_staff(user) or (user.is_authenticated and user.pk == meetup.organiser_id)


def photo_form_shown(*, user, meetup: Meetup, now: datetime | None = None) -> bool:
    """The meetup page offers the upload form to those who may add photos, once it started
    (the service refuses earlier)."""
    started = (now or timezone.now()) >= meetup.starts_at
    return started and user_may_add_photos(user=user, meetup=meetup)


def _visible(queryset: QuerySet, user) -> QuerySet:
    return queryset if user_is_staff(user) else queryset.filter(is_published=True)


def ama_get(*, slug: str, user) -> AmaSession:
    """A session ``user`` may see, with its translations and hosts, else Http404."""
    session = _visible(AmaSession.objects, user).filter(slug=slug) \
        .prefetch_related("translations", "hosts").first()
    if session is None:
        raise Http404
    return session


def ama_questions(*, session: AmaSession, user, for_host: bool = False) -> list[AmaQuestion]:
    """The session's questions in one query, each with ``voted`` (whether ``user`` voted for
    it). On the public page: answered ones first, each group by votes, then oldest first;
    hidden ones left out. For the host view (``for_host``): all of them, by votes."""
    questions = session.questions.select_related("author", "answered_by")
    if user.is_authenticated:
        questions = questions.annotate(voted=Exists(
            AmaVote.objects.filter(question=OuterRef("pk"), user=user)))
    if for_host:
        return list(questions.order_by("-vote_count", "created_at", "pk"))
    unanswered = ExpressionWrapper(Q(answered_at__isnull=True), output_field=BooleanField())
    return list(questions.filter(is_hidden=False)
                .order_by(unanswered.asc(), "-vote_count", "created_at", "pk"))


def ama_question_get(*, session: AmaSession, pk: int) -> AmaQuestion:
    """One question of ``session`` (hidden or not: callers check what may be done), else 404."""
    question = session.questions.filter(pk=pk).select_related("author").first()
    if question is None:
        raise Http404
    return question


def meetup_get(*, slug: str, user) -> Meetup:
    """A meetup ``user`` may see, with its translations and organiser, else Http404."""
    meetups = _visible(Meetup.objects, user).filter(slug=slug)
    meetup = meetups.select_related("organiser").prefetch_related("translations").first()
    if meetup is None:
        raise Http404
    return meetup


@dataclass(frozen=True)
class MeetupPage:
    attendees: list[Rsvp]
    waitlist_count: int
    mine: Rsvp | None
    waitlist_position: int | None
    seats_left: int
    photos: list[MeetupPhoto]


def meetup_page(*, meetup: Meetup, user) -> MeetupPage:
    """Who is attending (with their user), how many wait, ``user``'s own RSVP and place in the
    queue, and the photos: three queries whatever the number of RSVPs."""
    rsvps = list(meetup.rsvps.exclude(status=Rsvp.Status.CANCELLED).select_related("user")
                 .order_by("queued_at", "pk"))
    attendees = [rsvp for rsvp in rsvps if rsvp.status == Rsvp.Status.GOING]
    waiting = [rsvp for rsvp in rsvps if rsvp.status == Rsvp.Status.WAITLIST]
    mine = None
    if user.is_authenticated:
        mine = next((rsvp for rsvp in rsvps if rsvp.user_id == user.pk), None)
    position = waiting.index(mine) + 1 if mine is not None and mine in waiting else None
    return MeetupPage(attendees=attendees, waitlist_count=len(waiting), mine=mine,
                      waitlist_position=position,
                      seats_left=max(meetup.capacity - len(attendees), 0),
                      photos=list(meetup.photos.all()))


@dataclass(frozen=True)
class EventsIndex:
    upcoming: list
    past: list


def events_index(*, user, now: datetime | None = None) -> EventsIndex:
    """AMAs and meetups ``user`` may see, each with ``kind`` ("ama" or "meetup"): upcoming
    and running ones, soonest first, then past ones, latest first. Four queries (each kind's
    rows and translations); meetups carry ``going_count``."""
    now = now or timezone.now()
    sessions = list(_visible(AmaSession.objects, user).prefetch_related("translations"))
    meetups = list(_visible(Meetup.objects, user).prefetch_related("translations").annotate(
        going_count=Count("rsvps", filter=Q(rsvps__status=Rsvp.Status.GOING))))
    for session in sessions:
        session.kind = "ama"
    for meetup in meetups:
        meetup.kind = "meetup"
    events = sessions + meetups
    upcoming = sorted((event for event in events if event.ends_at > now),
                      key=lambda event: event.starts_at)
    past = sorted((event for event in events if event.ends_at <= now),
                  key=lambda event: event.starts_at, reverse=True)
    return EventsIndex(upcoming=upcoming, past=past)
