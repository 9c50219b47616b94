import re
import unicodedata

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from parler.models import TranslatableModel, TranslatedFields

_NOT_SLUG = re.compile(r"[^\w\s-]")
_DASHES = re.compile(r"[-\s]+")


def title_slug(title: str) -> str:
    """The slug in a feedback item's URL: Django's ``slugify`` rules ("item" when nothing is
    left), with compiled patterns and no Unicode pass over ASCII titles, because the CSV export
    builds a million of these."""
    if not title.isascii():
        title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    return _DASHES.sub("-", _NOT_SLUG.sub("", title.lower())).strip("-_") or "item"


class ProductArea(TranslatableModel):
    slug = models.SlugField(_("slug"), unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    translations = TranslatedFields(name=models.CharField(_("name"), max_length=80))

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("product area")
        verbose_name_plural = _("product areas")

    def __str__(self):
        return self.safe_translation_getter("name", any_language=True) or self.slug


class Tag(TranslatableModel):
    slug = models.SlugField(_("slug"), unique=True)
    translations = TranslatedFields(name=models.CharField(_("name"), max_length=80))

    class Meta:
        ordering = ["slug"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.safe_translation_getter("name", any_language=True) or self.slug


class TagRule(models.Model):
    """Tags an item automatically when its title or body matches ``pattern``."""

    class Kind(models.TextChoices):
        KEYWORD = "keyword", _("keyword")
        REGEX = "regex", _("regular expression")

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="rules",
                            verbose_name=_("tag"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.KEYWORD)
    pattern = models.CharField(
        _("pattern"), max_length=200,
        help_text=_("A word or phrase in any language, or a regular expression. Matching "
                    "ignores letter case and full-width/half-width differences."),
    )

    class Meta:
        ordering = ["tag__slug", "pattern"]
        verbose_name = _("auto-tag rule")
        verbose_name_plural = _("auto-tag rules")

    def __str__(self):
        return f"{self.pattern} → {self.tag}"


class Team(models.Model):
    """A product team. Its deliveries go to the Celery queue ``team.<slug>``."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=80)
    is_triage = models.BooleanField(
        _("default triage team"), default=False,
        help_text=_("Receives feedback that no routing rule sends anywhere else."),
    )
    webhook_url = models.URLField(_("webhook URL"), blank=True)
    webhook_secret = models.CharField(
        _("webhook secret"), max_length=128, blank=True,
        help_text=_("Signs each webhook body with HMAC-SHA256 in the X-Signature header."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("product team")
        verbose_name_plural = _("product teams")
        constraints = [models.UniqueConstraint(fields=["is_triage"], condition=models.Q(
            is_triage=True), name="feedback_one_triage_team")]

    def __str__(self):
        return self.name

    @property
    def queue(self) -> str:
        return f"team.{self.slug}"


class RoutingRule(models.Model):
    """Feedback with this tag or in this product area belongs to ``team``."""

    position = models.PositiveSmallIntegerField(_("position"), default=0)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, null=True, blank=True,
                            related_name="+", verbose_name=_("tag"))
    product_area = models.ForeignKey(ProductArea, on_delete=models.CASCADE, null=True,
                                     blank=True, related_name="+",
                                     verbose_name=_("product area"))
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="routing_rules",
                             verbose_name=_("team"))

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [models.CheckConstraint(
            condition=models.Q(tag__isnull=False) | models.Q(product_area__isnull=False),
            name="feedback_rule_has_tag_or_area")]

    def __str__(self):
        return f"{self.tag or self.product_area} → {self.team}"


class FeedbackItem(models.Model):
    class Source(models.TextChoices):
        WEB = "web", _("Feedback board")
        FORUM_POST = "forum.post", _("Forum post")
        TICKET = "tickets.ticket", _("Support ticket")
        SURVEY_ANSWER = "surveys.answer", _("Survey answer")
        AMA = "events.ama", _("AMA question")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        UNDER_REVIEW = "under_review", _("Under review")
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        SHIPPED = "shipped", _("Shipped")
        DECLINED = "declined", _("Declined")
        DUPLICATE = "duplicate", _("Duplicate")

    class Sentiment(models.TextChoices):
        POSITIVE = "positive", _("Positive")
        NEUTRAL = "neutral", _("Neutral")
        NEGATIVE = "negative", _("Negative")

    source = models.CharField(_("source"), max_length=20, choices=Source.choices,
                              default=Source.WEB, db_index=True)
    source_ref = models.CharField(_("source reference"), max_length=200, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+", verbose_name=_("author"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("details"), max_length=20_000, blank=True)
    # Rendered from ``body`` once, when written (core.markdown).
    body_html = models.TextField(_("rendered details"), blank=True, editable=False)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES,
                                default=settings.LANGUAGE_CODE, db_index=True)
    product_area = models.ForeignKey(ProductArea, on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="items",
                                     verbose_name=_("product area"))
    tags = models.ManyToManyField(Tag, through="ItemTag", related_name="items", blank=True,
                                  verbose_name=_("tags"))
    sentiment = models.CharField(_("sentiment"), max_length=10, choices=Sentiment.choices,
                                 blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.OPEN, db_index=True)
    is_public = models.BooleanField(
        _("on the public board"), default=False,
        help_text=_("Ideas posted on the board are public; feedback gathered from tickets, "
                    "surveys and posts stays with the product teams."),
    )
    duplicate_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="duplicates", verbose_name=_("duplicate of"))
    # Kept in step by the vote services, so the board can sort by votes without counting.
    vote_count = models.PositiveIntegerField(_("votes"), default=0, db_index=True)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    classified_at = models.DateTimeField(_("classified"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("feedback item")
        verbose_name_plural = _("feedback items")
        permissions = [("export_feedback", _("Can export feedback as CSV")),
                       ("respond_feedback", _("Can answer feedback and change its status"))]
        indexes = [models.Index(fields=["is_public", "status", "-vote_count"],
                                name="feedback_board_top")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("feedback:detail", kwargs={"pk": self.pk,
                                                  "slug": title_slug(self.title)})


class ItemTag(models.Model):
    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE)
    auto = models.BooleanField(_("added by a rule"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "tag"], name="feedback_item_tag")]

    def __str__(self):
        return f"{self.tag_id} on {self.item_id}"


class Outbox(models.Model):
    """A submitted item waiting to be classified and routed.

    Written in the same transaction as the item and published on commit; the relay publishes
    again whatever is still unprocessed, so nothing is lost while the broker is away.
    """

    item = models.OneToOneField(FeedbackItem, on_delete=models.CASCADE, related_name="outbox")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("outbox entry")
        verbose_name_plural = _("outbox")

    def __str__(self):
        return f"outbox #{self.pk} (item {self.item_id})"


class Delivery(models.Model):
    """One item in one team's inbox; at most one per (item, team)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="deliveries",
                             verbose_name=_("feedback item"))
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="deliveries",
                             verbose_name=_("team"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=["item", "team"],
                                               name="feedback_one_delivery_per_team")]

    def __str__(self):
        return f"{self.item} → {self.team}"


class Vote(models.Model):
    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "user"],
                                               name="feedback_one_vote_per_user")]

    def __str__(self):
        return f"vote by {self.user_id} for {self.item_id}"


class Follow(models.Model):
    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "user"],
                                               name="feedback_one_follow_per_user")]

    def __str__(self):
        return f"{self.user_id} follows {self.item_id}"


class Comment(models.Model):
    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="comments",
                             verbose_name=_("feedback item"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="+", verbose_name=_("author"))
    body = models.TextField(_("comment"), max_length=5_000)
    body_html = models.TextField(_("rendered comment"), blank=True, editable=False)
    is_official = models.BooleanField(_("official response"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return f"{self.author} on {self.item}"
