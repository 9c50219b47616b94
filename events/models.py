"""Events: AMA sessions (members ask, vote, hosts answer) and meetups (RSVP with a waitlist,
reminders, photos and a recap afterwards).

Staff write what an event is about in English and Chinese (django-parler); what members write
(questions, answers) is plain rows in the language they chose, with its Markdown rendered once,
when written. Times are stored in UTC and shown in the viewer's time zone.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from parler.models import TranslatableModel, TranslatedFields


class AmaSession(TranslatableModel):
    """An "ask me anything" session. Members ask and vote from its publication until
    ``ends_at``; afterwards its page is an archive of the questions and answers."""

    slug = models.SlugField(_("slug"), unique=True)
    hosts = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="ama_sessions_hosted",
                                   verbose_name=_("hosts"),
                                   help_text=_("They answer the questions, with staff."))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    is_published = models.BooleanField(
        _("published"), default=True,
        help_text=_("Unpublished sessions are only visible to staff."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    translations = TranslatedFields(
        title=models.CharField(_("title"), max_length=200),
        description=models.TextField(_("description"), blank=True,
                                     help_text=_("Markdown.")),
        description_html=models.TextField(_("rendered description"), blank=True,
                                          editable=False),
    )

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("AMA session")
        verbose_name_plural = _("AMA sessions")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="events_ama_ends_after_start"),
        ]

    def __str__(self):
        return self.safe_translation_getter("title", any_language=True) or self.slug

    def get_absolute_url(self):
        return reverse("events:ama", kwargs={"slug": self.slug})


class AmaQuestion(models.Model):
    """A member's question. ``vote_count`` mirrors the vote rows, recounted on each vote, so
    the page orders by it without counting."""

    session = models.ForeignKey(AmaSession, on_delete=models.CASCADE, related_name="questions",
                                verbose_name=_("AMA session"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="ama_questions", verbose_name=_("asked by"))
    body = models.TextField(_("question"))
    body_html = models.TextField(_("rendered question"), editable=False)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES,
                                default=settings.LANGUAGE_CODE)
    vote_count = models.PositiveIntegerField(_("votes"), default=0, editable=False)
    answer = models.TextField(_("answer"), blank=True)
    answer_html = models.TextField(_("rendered answer"), blank=True, editable=False)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("answered by"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    feedback_item_id = models.PositiveBigIntegerField(
        _("feedback item"), null=True, blank=True, editable=False,
        help_text=_("Set once the question was sent to the feedback pipeline."))
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)

    class Meta:
        ordering = ["-vote_count", "created_at", "pk"]
        verbose_name = _("AMA question")
        verbose_name_plural = _("AMA questions")
        indexes = [models.Index(fields=["session", "-vote_count"], name="events_q_votes_idx")]

    def __str__(self):
        return self.body[:80]

    def get_absolute_url(self):
        return f"{self.session.get_absolute_url()}#question-{self.pk}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class AmaVote(models.Model):
    question = models.ForeignKey(AmaQuestion, on_delete=models.CASCADE, related_name="votes",
                                 verbose_name=_("question"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("user"))
    created_at = models.DateTimeField(_("voted"), auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["question", "user"], name="events_one_vote_per_user"),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.question_id}"


class Meetup(TranslatableModel):
    """A meetup in a city. Members RSVP until it starts; past ``capacity`` they join the
    waitlist, which moves up, first come first served, when someone cancels."""

    slug = models.SlugField(_("slug"), unique=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(_("seats"))
    speakers = models.TextField(_("speakers"), blank=True, help_text=_("One name per line."))
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="meetups_organised", verbose_name=_("organiser"),
        help_text=_("Earns ambassador points when the meetup is marked as held."))
    is_published = models.BooleanField(
        _("published"), default=True,
        help_text=_("Unpublished meetups are only visible to staff."))
    held_at = models.DateTimeField(_("marked as held"), null=True, blank=True, editable=False)
    recap_url = models.URLField(_("recap article"), blank=True,
                                help_text=_("The blog article about the meetup, once written."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    translations = TranslatedFields(
        title=models.CharField(_("title"), max_length=200),
        city=models.CharField(_("city"), max_length=100),
        venue=models.CharField(_("venue"), max_length=300,
                               help_text=_("The place and its address.")),
        agenda=models.TextField(_("agenda"), blank=True, help_text=_("Markdown.")),
        agenda_html=models.TextField(_("rendered agenda"), blank=True, editable=False),
    )

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("meetup")
        verbose_name_plural = _("meetups")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="events_meetup_ends_after_start"),
        ]

    def __str__(self):
        return self.safe_translation_getter("title", any_language=True) or self.slug

    def get_absolute_url(self):
        return reverse("events:meetup", kwargs={"slug": self.slug})

    @property
    def speaker_names(self) -> list[str]:
        return [name.strip() for name in self.speakers.splitlines() if name.strip()]


class Rsvp(models.Model):
    """One member's answer to a meetup. A cancelled RSVP keeps its row: answering again
    reuses it, at the end of the queue (``queued_at``)."""

    class Status(models.TextChoices):
        GOING = "going", _("attending")
        WAITLIST = "waitlist", _("on the waitlist")
        CANCELLED = "cancelled", _("cancelled")

    meetup = models.ForeignKey(Meetup, on_delete=models.CASCADE, related_name="rsvps",
                               verbose_name=_("meetup"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="meetup_rsvps", verbose_name=_("member"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    queued_at = models.DateTimeField(_("answered"))
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)

    class Meta:
        ordering = ["queued_at", "pk"]
        verbose_name = _("RSVP")
        verbose_name_plural = _("RSVPs")
        constraints = [
            models.UniqueConstraint(fields=["meetup", "user"], name="events_one_rsvp_per_user"),
        ]
        indexes = [models.Index(fields=["meetup", "status", "queued_at"],
                                name="events_rsvp_queue_idx")]

    def __str__(self):
        return f"{self.user} · {self.get_status_display()}"


class MeetupPhoto(models.Model):
    """A photo of a past meetup, verified and re-encoded by ``core.images`` on upload."""

    meetup = models.ForeignKey(Meetup, on_delete=models.CASCADE, related_name="photos",
                               verbose_name=_("meetup"))
    image = models.ImageField(_("photo"), upload_to="events/photos/%Y/%m/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+", verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("meetup photo")
        verbose_name_plural = _("meetup photos")

    def __str__(self):
        return self.caption or self.image.name
