"""Every write to events: questions, votes and answers of AMA sessions; RSVPs, the waitlist,
reminders, photos and the end of meetups; saving what staff write in the admin.

Refusals are ValidationErrors with a translated message (PermissionDenied for someone who may
not moderate), and nothing is changed then."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from accounts.selectors import user_is_staff
from core.images import image_verify_and_encode
from core.markdown import render_markdown
from events import selectors
from events.models import AmaQuestion, AmaSession, AmaVote, Meetup, MeetupPhoto, Rsvp
from feedback.services import feedback_submit
from notifications.services import notify
from programs.services import points_award

QUESTION_MAX_CHARS = 2000
ANSWER_MAX_CHARS = 10_000
REMINDER_AHEAD = timedelta(days=1)
PHOTO_MAX_SIDE = 2400
FEEDBACK_TITLE_CHARS = 80


def _title_in_reader_language(event) -> str:
    """The event's title in the language active when the string is rendered: ``notify``
    renders it in the recipient's language."""
    return event.safe_translation_getter("title", language_code=get_language(),
                                         any_language=True) or event.slug


def _event_notify(*, recipient, event, message, actor=None, description: str = "",
                  target_url: str = "") -> None:
    """Notify ``recipient`` about ``event``; ``message`` is a lazy translation with
    ``%(title)s``, rendered and filled in the recipient's language."""
    notify(recipient=recipient, actor=actor,
           verb=lazy(lambda: str(message) % {"title": _title_in_reader_language(event)}, str)(),
           description=description, target_url=target_url or event.get_absolute_url())


def _text(value: str, *, max_chars: int, empty: str, too_long: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(empty, code="empty")
    if len(value) > max_chars:
        raise ValidationError(too_long % {"max": max_chars}, code="too_long")
    return value


# AMA sessions ---------------------------------------------------------------------------


@transaction.atomic
def ama_session_save(*, session: AmaSession, language: str) -> AmaSession:
    """Save ``session`` as staff wrote it in ``language``, its description rendered once.
    Precondition: that translation is set on ``session`` (the admin form did it)."""
    if session.ends_at <= session.starts_at:
        raise ValidationError(_("A session must end after it starts."), code="times")
    row = session.get_translation(language)
    row.description_html = render_markdown(row.description)
    session.save()
    return session


def _ama_open_check(session: AmaSession) -> None:
    if not selectors.ama_is_open(session):
        raise ValidationError(_("This AMA session has ended: it no longer takes questions or "
                                "votes."), code="ended")


@transaction.atomic
def ama_question_ask(*, session: AmaSession, author, body: str,
                     language: str = settings.LANGUAGE_CODE) -> AmaQuestion:
    """Ask ``body`` (Markdown, written in ``language``) in ``session`` as ``author``, who is
    signed in. Refused once the session has ended, and for an empty or too long question."""
    _ama_open_check(session)
    body = _text(body, max_chars=QUESTION_MAX_CHARS, empty=_("Write your question first."),
                 too_long=_("A question can be at most %(max)s characters long."))
    return AmaQuestion.objects.create(session=session, author=author, body=body,
                                      body_html=render_markdown(body), language=language)


@transaction.atomic
def ama_vote_toggle(*, question: AmaQuestion, user) -> bool:
    """Give ``user``'s vote to ``question``, or take it back. Returns whether the user now
    votes for it; ``question.vote_count`` is refreshed.

    Preconditions: ``user`` is signed in and ``question`` was found in a session they may
    see. One vote per user and question is enforced by a unique constraint; the question's
    row is locked so concurrent votes take turns and the count stays exact."""
    _ama_open_check(question.session)
    if question.is_hidden:
        raise ValidationError(_("This question is hidden."), code="hidden")
    AmaQuestion.objects.select_for_update().filter(pk=question.pk).values_list("pk").get()
    deleted, _by_model = AmaVote.objects.filter(question=question, user=user).delete()
    if not deleted:
        AmaVote.objects.create(question=question, user=user)
    question.vote_count = AmaVote.objects.filter(question=question).count()
    AmaQuestion.objects.filter(pk=question.pk).update(vote_count=question.vote_count)
    return not deleted


def _moderator_check(*, session: AmaSession, user) -> None:
    if not selectors.user_may_host(user=user, session=session):
        raise PermissionDenied


@transaction.atomic
def ama_question_answer(*, question: AmaQuestion, by, answer: str) -> AmaQuestion:
    """Answer (or re-word the answer to) ``question`` as ``by``, a host of its session or
    staff; the asker is notified the first time. Allowed after the session ended too: the
    archive keeps growing with late answers."""
    session = question.session
    _moderator_check(session=session, user=by)
    answer = _text(answer, max_chars=ANSWER_MAX_CHARS, empty=_("Write the answer first."),
                   too_long=_("An answer can be at most %(max)s characters long."))
    first = question.answered_at is None
    question.answer, question.answer_html = answer, render_markdown(answer)
    question.answered_by, question.answered_at = by, question.answered_at or timezone.now()
    question.save(update_fields=["answer", "answer_html", "answered_by", "answered_at"])
    if first and question.author_id and question.author_id != by.pk:
        _event_notify(recipient=question.author, event=session, actor=by,
                      message=gettext_lazy("Your question in “%(title)s” was answered"),
                      description=Truncator(answer).chars(200),
                      target_url=question.get_absolute_url())
    return question


@transaction.atomic
def ama_question_hide(*, question: AmaQuestion, by, hidden: bool) -> AmaQuestion:
    """Hide ``question`` from the session's page (or show it again): its hosts and staff."""
    _moderator_check(session=question.session, user=by)
    question.is_hidden = hidden
    question.save(update_fields=["is_hidden"])
    return question


@transaction.atomic
def ama_question_to_feedback(*, question: AmaQuestion, by) -> int:
    """Send a valuable question (and its answer, if any) to the feedback pipeline, once.
    Staff only. Returns the feedback item's id."""
    if not selectors.user_may_send_to_feedback(by):
        raise PermissionDenied
    question = AmaQuestion.objects.select_for_update().get(pk=question.pk)
    if question.feedback_item_id:
        return question.feedback_item_id
    session = question.session
    context = f"AMA: {_title_in_reader_language(session)} — {question.get_absolute_url()}"
    body = question.body + (f"\n\n{question.answer}" if question.answer else "")
    item = feedback_submit(
        source="events.ama", source_ref=f"events.ama:{session.slug}:{question.pk}",
        author=question.author, title=Truncator(question.body).chars(FEEDBACK_TITLE_CHARS),
        body=f"{body}\n\n{context}", language=question.language)
    question.feedback_item_id = item.pk
    question.save(update_fields=["feedback_item_id"])
    return item.pk


# Meetups --------------------------------------------------------------------------------


def _promote(*, meetup: Meetup) -> list[Rsvp]:
    """Move the longest waiting RSVPs into the free seats and tell them. Precondition: the
    meetup's row is locked (``select_for_update``) by the caller's transaction."""
    going = meetup.rsvps.filter(status=Rsvp.Status.GOING).count()
    free = meetup.capacity - going
    if free <= 0:
        return []
    promoted = list(meetup.rsvps.filter(status=Rsvp.Status.WAITLIST)
                    .select_related("user").order_by("queued_at", "pk")[:free])
    for rsvp in promoted:
        rsvp.status = Rsvp.Status.GOING
        rsvp.save(update_fields=["status"])
        _event_notify(recipient=rsvp.user, event=meetup,
                      message=gettext_lazy("A seat freed up: you are now attending “%(title)s”"))
    return promoted


def _locked(meetup: Meetup) -> Meetup:
    """Lock the meetup's row for the transaction: RSVPs and cancellations take turns."""
    Meetup.objects.select_for_update().filter(pk=meetup.pk).values_list("pk").get()
    return meetup


@transaction.atomic
def meetup_save(*, meetup: Meetup, language: str) -> Meetup:
    """Save ``meetup`` as staff wrote it in ``language``, its agenda rendered once; more
    seats promote people from the waitlist. Precondition: that translation is set."""
    if meetup.ends_at <= meetup.starts_at:
        raise ValidationError(_("A meetup must end after it starts."), code="times")
    row = meetup.get_translation(language)
    row.agenda_html = render_markdown(row.agenda)
    meetup.save()
    _promote(meetup=_locked(meetup))
    return meetup


def _rsvp_open_check(meetup: Meetup) -> None:
    if not selectors.meetup_is_open(meetup):
        raise ValidationError(_("This meetup has started: RSVPs are closed."), code="closed")


@transaction.atomic
def meetup_rsvp(*, meetup: Meetup, user) -> Rsvp:
    """RSVP ``user`` to ``meetup``: attending while seats are left, else on the waitlist.
    Answering twice changes nothing; after a cancellation the user queues again."""
    _rsvp_open_check(meetup)
    _locked(meetup)
    rsvp = Rsvp.objects.filter(meetup=meetup, user=user).first()
    if rsvp is not None and rsvp.status != Rsvp.Status.CANCELLED:
        return rsvp
    full = meetup.rsvps.filter(status=Rsvp.Status.GOING).count() >= meetup.capacity
    status = Rsvp.Status.WAITLIST if full else Rsvp.Status.GOING
    if rsvp is None:
        return Rsvp.objects.create(meetup=meetup, user=user, status=status,
                                   queued_at=timezone.now())
    rsvp.status, rsvp.queued_at, rsvp.reminded_at = status, timezone.now(), None
    rsvp.save(update_fields=["status", "queued_at", "reminded_at"])
    return rsvp


@transaction.atomic
def meetup_rsvp_cancel(*, meetup: Meetup, user) -> Rsvp | None:
    """Cancel ``user``'s RSVP; a freed seat goes to the first on the waitlist, who is
    notified. Returns the cancelled RSVP (None if there was nothing to cancel)."""
    _rsvp_open_check(meetup)
    _locked(meetup)
    rsvp = Rsvp.objects.filter(meetup=meetup, user=user).exclude(
        status=Rsvp.Status.CANCELLED).first()
    if rsvp is None:
        return None
    rsvp.status = Rsvp.Status.CANCELLED
    rsvp.save(update_fields=["status"])
    _promote(meetup=meetup)
    return rsvp


def meetup_reminders_send(*, now: datetime | None = None) -> int:
    """Remind everyone attending a meetup that starts within a day, once per RSVP (its
    ``reminded_at``), so running it again, or twice at once, sends nothing more. Returns
    how many were reminded."""
    now = now or timezone.now()
    due = Rsvp.objects.filter(
        status=Rsvp.Status.GOING, reminded_at__isnull=True, meetup__held_at__isnull=True,
        meetup__is_published=True, meetup__starts_at__gt=now,
        meetup__starts_at__lte=now + REMINDER_AHEAD).values_list("pk", flat=True)
    sent = 0
    for rsvp_id in list(due):
        with transaction.atomic():
            rsvp = (Rsvp.objects.select_for_update(skip_locked=True)
                    .filter(pk=rsvp_id, reminded_at__isnull=True, status=Rsvp.Status.GOING)
                    .select_related("meetup", "user").first())
            if rsvp is None:
                continue
            rsvp.reminded_at = now
            rsvp.save(update_fields=["reminded_at"])
            _event_notify(recipient=rsvp.user, event=rsvp.meetup,
                          message=gettext_lazy("Reminder: “%(title)s” starts within a day"))
            sent += 1
    return sent


@transaction.atomic
def meetup_mark_held(*, meetup: Meetup, by) -> Meetup:
    """Record that ``meetup`` took place (staff only, once it started); its organiser earns
    their ambassador points, once whatever the number of calls."""
    if not user_is_staff(by):
        raise PermissionDenied
    if timezone.now() < meetup.starts_at:
        raise ValidationError(_("A meetup can only be marked as held once it has started."),
                              code="not_started")
    if meetup.held_at is None:
        meetup.held_at = timezone.now()
        meetup.save(update_fields=["held_at"])
    if meetup.organiser is not None:
        # Idempotent per (activity, ref); only a current ambassador earns points.
        points_award(user=meetup.organiser, activity="event_organised",
                     ref=f"meetup:{meetup.pk}")
    return meetup


@transaction.atomic
def meetup_photo_add(*, meetup: Meetup, by, upload, caption: str = "") -> MeetupPhoto:
    """Add a photo to a meetup that has started: staff or its organiser. The file must be a
    JPEG, PNG or WebP image by its content; it is stored re-encoded, without metadata."""
    if not selectors.user_may_add_photos(user=by, meetup=meetup):
        raise PermissionDenied
    if timezone.now() < meetup.starts_at:
        raise ValidationError(_("Photos can be added once the meetup has started."),
                              code="not_started")
    image = image_verify_and_encode(upload=upload, max_bytes=settings.IMAGE_UPLOAD_MAX_BYTES,
                                    max_side=PHOTO_MAX_SIDE)
    return MeetupPhoto.objects.create(meetup=meetup, image=image, caption=caption.strip()[:200],
                                      uploaded_by=by)
