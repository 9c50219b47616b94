import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from parler.models import TranslatableModel, TranslatedFields

from core.storage import private_storage

REFERENCE_PREFIX = "T-"


def reference_for(pk: int) -> str:
    return f"{REFERENCE_PREFIX}{pk:06d}"


def pk_from_reference(reference: str) -> int | None:
    """``T-000123`` (any case, zeros optional, or the bare number) -> 123; None if it is not a
    ticket reference."""
    text = (reference or "").strip().upper().removeprefix(REFERENCE_PREFIX)
    if not text.isascii() or not text.isdigit() or len(text) > 12:
        return None
    return int(text) or None




class Priority(models.TextChoices):
    LOW = "low", _("low")
    NORMAL = "normal", _("normal")
    HIGH = "high", _("high")
    URGENT = "urgent", _("urgent")


class SupportTeam(models.Model):
    """Agents who answer a set of tickets. A team sees its own tickets; supervisors (the
    ``tickets.view_all_tickets`` permission) see all."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=80)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="support_teams",
        verbose_name=_("agents"), limit_choices_to={"is_staff": True},
    )
    is_default = models.BooleanField(
        _("default team"), default=False,
        help_text=_("Receives new tickets whose category names no team (live chats too)."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("support team")
        verbose_name_plural = _("support teams")
        constraints = [models.UniqueConstraint(fields=["is_default"], condition=models.Q(
            is_default=True), name="tickets_one_default_team")]

    def __str__(self):
        return self.name


class Category(TranslatableModel):
    slug = models.SlugField(_("slug"), unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    team = models.ForeignKey(
        SupportTeam, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("support team"), help_text=_("New tickets in this category go to it."),
    )
    translations = TranslatedFields(name=models.CharField(_("name"), max_length=80))

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.safe_translation_getter("name", any_language=True) or self.slug


class Tag(models.Model):
    name = models.SlugField(_("name"), max_length=50, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name


class SLAPolicy(models.Model):
    """How soon a ticket of this priority gets its first answer and its resolution."""

    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices,
                                unique=True)
    first_response_minutes = models.PositiveIntegerField(_("first response within (minutes)"))
    resolution_minutes = models.PositiveIntegerField(_("resolution within (minutes)"))

    class Meta:
        ordering = ["first_response_minutes"]
        verbose_name = _("SLA target")
        verbose_name_plural = _("SLA targets")

    def __str__(self):
        return str(Priority(self.priority).label)


class ClassificationRule(models.Model):
    """Suggests a category and/or priority for a new ticket whose subject or first message
    matches ``pattern``. The first matching rule (by position) wins."""

    class Kind(models.TextChoices):
        KEYWORD = "keyword", _("keyword")
        REGEX = "regex", _("regular expression")

    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.KEYWORD)
    pattern = models.CharField(
        _("pattern"), max_length=200,
        help_text=_("A word or phrase in any language, or a regular expression. Matching "
                    "ignores letter case and full-width/half-width differences."),
    )
    category = models.ForeignKey(Category, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="+", verbose_name=_("category"))
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices,
                                blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("classification rule")
        verbose_name_plural = _("classification rules")

    def __str__(self):
        return self.pattern


class CannedResponse(TranslatableModel):
    """A reply agents insert with one click. ``{{ user.display_name }}``, ``{{ user.username }}``,
    ``{{ ticket.reference }}``, ``{{ ticket.subject }}`` and ``{{ agent.display_name }}`` are
    filled in for the ticket at hand."""

    slug = models.SlugField(_("slug"), unique=True)
    translations = TranslatedFields(
        title=models.CharField(_("title"), max_length=120),
        body=models.TextField(_("text"), help_text=_(
            "Markdown. Placeholders: {{ user.display_name }}, {{ user.username }}, "
            "{{ ticket.reference }}, {{ ticket.subject }}, {{ agent.display_name }}.")),
    )

    class Meta:
        ordering = ["slug"]
        verbose_name = _("canned response")
        verbose_name_plural = _("canned responses")

    def __str__(self):
        return self.safe_translation_getter("title", any_language=True) or self.slug


class Ticket(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("new")
        OPEN = "open", _("open")
        WAITING = "waiting", _("waiting on customer")
        ON_HOLD = "on_hold", _("on hold")
        RESOLVED = "resolved", _("resolved")
        CLOSED = "closed", _("closed")

    class Channel(models.TextChoices):
        WEB = "web", _("web")
        CHAT = "chat", _("chat")
        EMAIL = "email", _("email")

    Priority = Priority

    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="tickets", verbose_name=_("requester"))
    subject = models.CharField(_("subject"), max_length=200)
    category = models.ForeignKey(Category, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("category"))
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices,
                                default=Priority.NORMAL)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.NEW)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices,
                               default=Channel.WEB)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES,
                                default=settings.LANGUAGE_CODE)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="assigned_tickets", verbose_name=_("assignee"),
        limit_choices_to={"is_staff": True},
    )
    team = models.ForeignKey(SupportTeam, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="tickets", verbose_name=_("support team"))
    tags = models.ManyToManyField(Tag, blank=True, related_name="tickets",
                                  verbose_name=_("tags"))

    created_at = models.DateTimeField(pgettext_lazy("ticket date", "created"), auto_now_add=True,
                                      db_index=True)
    first_response_at = models.DateTimeField(pgettext_lazy("ticket date", "first response"),
                                             null=True, blank=True)
    resolved_at = models.DateTimeField(pgettext_lazy("ticket date", "resolved"), null=True,
                                       blank=True)
    last_customer_reply_at = models.DateTimeField(_("last customer reply"), null=True,
                                                  blank=True)

    # SLA: due times move forward while the clock is paused (waiting on the customer).
    first_response_due = models.DateTimeField(_("first response due"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True)
    sla_paused_at = models.DateTimeField(_("SLA paused since"), null=True, blank=True)
    first_response_breached_at = models.DateTimeField(_("first response breached"), null=True,
                                                      blank=True)
    resolution_breached_at = models.DateTimeField(_("resolution breached"), null=True,
                                                  blank=True)

    # Auto-classification: a suggestion staff may accept, and the rule that made it.
    suggested_category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("suggested category"))
    suggested_priority = models.CharField(_("suggested priority"), max_length=10,
                                          choices=Priority.choices, blank=True)
    classification_rule = models.ForeignKey(
        ClassificationRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("classification rule"))
    classification_pattern = models.CharField(_("matched pattern"), max_length=200, blank=True)

    csat_score = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True, blank=True)
    csat_comment = models.TextField(_("satisfaction comment"), blank=True)
    csat_at = models.DateTimeField(_("rated"), null=True, blank=True)

    # A live chat nobody answered in time becomes a ticket answered by email.
    chat_escalated_at = models.DateTimeField(_("chat turned into a ticket"), null=True,
                                             blank=True)
    merged_into = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="merged_tickets", verbose_name=_("merged into"))
    feedback_ref = models.CharField(_("feedback item"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        permissions = [("view_all_tickets", _("Can see every team's tickets (supervisor)"))]
        # Measured on a million tickets by bench/tickets_admin.py. Partial indexes hold the
        # few tickets the desk works from (the backlog, the unassigned, waiting chats, SLA
        # deadlines not yet judged), so the admin's filters and the beat tasks read those, not
        # the two-year archive around them. On PostgreSQL, migration 0002 adds trigram
        # indexes for substring search of subjects and messages, and the statistics that
        # let the planner see how category, team and assignee go together.
        indexes = [
            models.Index(fields=["requester", "-created_at"], name="tickets_requester_idx"),
            models.Index(fields=["assignee", "-created_at"], name="tickets_assignee_idx"),
            models.Index(fields=["team", "-created_at"], name="tickets_team_idx"),
            # An agent's list is "team IN (theirs) OR assignee = them". Filtered on a category
            # or a team it may hold a handful of tickets (another team's: only those assigned
            # to them) among hundreds of thousands; these two answer each side of the OR in a
            # short read instead (with the statistics of migration 0002 telling the planner).
            models.Index(fields=["category", "team"], name="tickets_category_team_idx"),
            models.Index(fields=["assignee", "team", "category"],
                         name="tickets_assignee_team_idx"),
            models.Index(fields=["status", "-created_at"], name="tickets_status_idx"),
            models.Index(fields=["-created_at"], name="tickets_open_idx", condition=models.Q(
                status__in=["new", "open", "waiting", "on_hold"])),
            models.Index(fields=["-created_at"], name="tickets_unassigned_idx",
                         condition=models.Q(assignee__isnull=True)),
            models.Index(fields=["created_at"], name="tickets_waiting_chat_idx",
                         condition=models.Q(channel="chat", first_response_at__isnull=True,
                                            chat_escalated_at__isnull=True,
                                            status__in=["new", "open"])),
            # sla_breaches_mark: the running tickets whose deadline is still to be judged. Not
            # the admin's "overdue" queue, which keeps the breached ones: it reads the open
            # backlog by tickets_open_idx, in the list's order (measured: adding the breached
            # to these made the beat task 4-45 times slower and the queue no faster).
            models.Index(fields=["first_response_due"], name="tickets_first_response_due_idx",
                         condition=models.Q(status__in=["new", "open", "on_hold"],
                                            sla_paused_at__isnull=True,
                                            first_response_at__isnull=True,
                                            first_response_breached_at__isnull=True)),
            models.Index(fields=["resolution_due"], name="tickets_resolution_due_idx",
                         condition=models.Q(status__in=["new", "open", "on_hold"],
                                            sla_paused_at__isnull=True,
                                            resolution_breached_at__isnull=True)),
        ]

    def __str__(self):
        return f"{self.reference} {self.subject}"

    def get_absolute_url(self):
        return reverse("tickets:detail", kwargs={"reference": self.reference})

    @property
    def reference(self) -> str:
        return reference_for(self.pk) if self.pk else ""

    @property
    def is_open(self) -> bool:
        return self.status not in (self.Status.RESOLVED, self.Status.CLOSED)

    @property
    def sla_due(self):
        """The next SLA deadline still to meet: the first response, then the resolution."""
        if not self.is_open:
            return None
        if self.first_response_at is None and self.first_response_due:
            return self.first_response_due
        return self.resolution_due


# What the requester reads; staff keep the model's own labels ("waiting on customer"...).
CUSTOMER_STATUS_LABELS = {
    Ticket.Status.NEW: pgettext_lazy("ticket status", "Received"),
    Ticket.Status.OPEN: pgettext_lazy("ticket status", "Open"),
    Ticket.Status.WAITING: pgettext_lazy("ticket status", "Waiting on you"),
    Ticket.Status.ON_HOLD: pgettext_lazy("ticket status", "On hold"),
    Ticket.Status.RESOLVED: pgettext_lazy("ticket status", "Resolved"),
    Ticket.Status.CLOSED: pgettext_lazy("ticket status", "Closed"),
}


class Message(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages",
                               verbose_name=_("ticket"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+", verbose_name=_("author"))
    body = models.TextField(_("message"))
    # Rendered once, when written. The database default serves rows inserted in bulk (the
    # benchmark's generator), which then show no text.
    body_html = models.TextField(_("rendered message"), editable=False, db_default="")
    is_internal = models.BooleanField(
        _("internal note"), default=False,
        help_text=_("Seen by agents only, never by the customer."))
    is_staff_reply = models.BooleanField(_("from support"), default=False)
    merged_from = models.ForeignKey(Ticket, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("merged from"))
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["ticket", "id"], name="tickets_message_ticket_idx")]

    def __str__(self):
        return f"{self.ticket.reference} #{self.pk}"


def _attachment_path(instance, filename: str) -> str:
    return f"tickets/{uuid.uuid4().hex[:2]}/{filename}"


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments",
                                verbose_name=_("message"))
    file = models.FileField(_("file"), storage=private_storage, upload_to=_attachment_path,
                            max_length=200)
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size"))
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("tickets:attachment", kwargs={
            "reference": self.message.ticket.reference, "pk": self.pk})


class SLADeadline(models.TextChoices):
    """The deadline an SLA breach event names (by the field that records the breach)."""

    FIRST_RESPONSE = "first_response_breached_at", _("first response")
    RESOLUTION = "resolution_breached_at", _("resolution")


class Event(models.Model):
    """The audit trail: every change to a ticket, who made it and when. Public events (status
    changes) also form the status timeline the customer sees."""

    class Kind(models.TextChoices):
        CREATED = "created", _("created")
        STATUS = "status", _("status")
        PRIORITY = "priority", _("priority")
        CATEGORY = "category", _("category")
        ASSIGNEE = "assignee", _("assignee")
        TEAM = "team", _("team")
        TAGS = "tags", _("tags")
        MERGED = "merged", _("merged")
        CSAT = "csat", _("satisfaction rating")
        SLA_BREACH = "sla_breach", _("SLA breached")
        CHAT_ESCALATED = "chat_escalated", _("chat turned into a ticket")
        FEEDBACK = "feedback", _("sent to feedback")
        CLASSIFIED = "classified", _("classification suggested")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events",
                               verbose_name=_("ticket"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+", verbose_name=_("by"))
    kind = models.CharField(_("change"), max_length=20, choices=Kind.choices)
    old_value = models.CharField(_("from"), max_length=200, blank=True)
    new_value = models.CharField(_("to"), max_length=200, blank=True)
    is_public = models.BooleanField(_("shown to the customer"), default=False)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.old_label} → {self.new_label}"

    @property
    def old_label(self) -> str:
        return self._label(self.old_value)

    @property
    def new_label(self) -> str:
        return self._label(self.new_value)

    def _label(self, value: str) -> str:
        """A stored status, priority, channel or SLA deadline in the reader's language."""
        labels = {
            self.Kind.STATUS: Ticket.Status, self.Kind.PRIORITY: Priority,
            self.Kind.CREATED: Ticket.Channel, self.Kind.SLA_BREACH: SLADeadline,
        }.get(self.kind)
        if labels is None:
            return value
        return str(dict(labels.choices).get(value, value))
