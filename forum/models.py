from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from parler.models import TranslatableModel, TranslatedFields

from core import flags
from core.flags import FlagBase


class Category(TranslatableModel):
    """A forum category, nested one level: sections (no parent) hold categories."""

    class Starters(models.TextChoices):
        EVERYONE = "everyone", _("everyone")
        STAFF = "staff", _("staff only")

    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="children", verbose_name=_("section"),
                               limit_choices_to={"parent__isnull": True})
    slug = models.SlugField(_("slug"), unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    color = models.CharField(_("colour"), max_length=7, default="#3b82f6",
                             help_text=_("A hex colour such as #3b82f6."))
    icon = models.CharField(_("icon"), max_length=8, blank=True,
                            help_text=_("An emoji shown beside the name."))
    who_can_start = models.CharField(_("who may start topics"), max_length=10,
                                     choices=Starters.choices, default=Starters.EVERYONE)
    is_qa = models.BooleanField(_("questions and answers"), default=False,
                                help_text=_("Topics are questions; one reply can be accepted."))
    topic_count = models.PositiveIntegerField(_("topics"), default=0, editable=False)
    post_count = models.PositiveIntegerField(_("posts"), default=0, editable=False)
    translations = TranslatedFields(
        name=models.CharField(_("name"), max_length=80),
        description=models.CharField(_("description"), max_length=300, blank=True),
    )

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.safe_translation_getter("name", any_language=True) or self.slug

    def get_absolute_url(self):
        return reverse("forum:category", kwargs={"slug": self.slug})


class Topic(models.Model):
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="topics",
                                 verbose_name=_("category"))
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, allow_unicode=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="forum_topics", verbose_name=_("author"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES,
                                default=settings.LANGUAGE_CODE)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_posted_at = models.DateTimeField(_("last post"), null=True, blank=True)
    last_poster = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("last poster"))
    # Posts are numbered 1, 2, 3... in the topic; this is the highest number given so far.
    last_post_number = models.PositiveIntegerField(_("posts"), default=0)
    is_pinned = models.BooleanField(_("pinned in its category"), default=False)
    is_pinned_globally = models.BooleanField(_("pinned everywhere"), default=False)
    is_locked = models.BooleanField(_("locked"), default=False,
                                    help_text=_("Nobody but staff can reply."))
    is_hidden = models.BooleanField(_("hidden"), default=False)
    accepted_post = models.ForeignKey("Post", on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+", verbose_name=_("accepted answer"))
    is_feedback = models.BooleanField(_("feedback"), default=False,
                                      help_text=_("The author marked this topic as feedback."))
    # Set when staff merge this topic into another: its posts went there, and its address
    # redirects there.
    merged_into = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("merged into"))
    # Raised by every change to how the topic's posts look (an edit, a hidden post, a reaction,
    # a move): the page members share is keyed by it rather than by each post (forum.views).
    posts_version = models.PositiveIntegerField(_("posts version"), default=0, editable=False)

    class Meta:
        ordering = ["-last_posted_at"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        indexes = [
            models.Index(fields=["category", "-last_posted_at"], name="forum_topic_category_idx"),
            models.Index(fields=["-last_posted_at"], name="forum_topic_latest_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("forum:topic", kwargs={"slug": self.slug, "pk": self.pk})

    @property
    def reply_count(self) -> int:
        """Every post but the first (numbers have no gaps; hidden replies count too)."""
        return max(self.last_post_number - 1, 0)

    @property
    def is_solved(self) -> bool:
        return self.accepted_post_id is not None


class Post(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts",
                              verbose_name=_("topic"))
    number = models.PositiveIntegerField(_("number"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="forum_posts", verbose_name=_("author"))
    body = models.TextField(_("message"))
    # Rendered and sanitised once, when written: pages never render Markdown.
    body_html = models.TextField(_("rendered message"), editable=False)
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    edit_count = models.PositiveIntegerField(_("edits"), default=0)
    reply_to = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("in reply to"))
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+",
                                  verbose_name=_("hidden by"))
    is_official = models.BooleanField(_("official response"), default=False)
    # {"like": 3, "heart": 1}: the counts shown under the post, kept with each reaction.
    reaction_counts = models.JSONField(_("reactions"), default=dict, blank=True)
    feedback_ref = models.CharField(_("feedback item"), max_length=200, blank=True,
                                    editable=False)

    class Meta:
        ordering = ["topic", "number"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [models.UniqueConstraint(fields=["topic", "number"],
                                               name="forum_post_number_unique")]
        indexes = [models.Index(fields=["author", "-created_at"], name="forum_post_author_idx")]

    def __str__(self):
        return f"{self.topic} #{self.number}"

    def get_absolute_url(self):
        return reverse("forum:post", kwargs={"pk": self.pk})


class PostRevision(models.Model):
    """A post's text before an edit: the history users can read as diffs."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions",
                             verbose_name=_("post"))
    body = models.TextField(_("previous text"))
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+", verbose_name=_("edited by"))
    created_at = models.DateTimeField(_("edited"), auto_now_add=True)

    class Meta:
        ordering = ["post", "created_at", "id"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")

    def __str__(self):
        return f"{self.post} ({self.created_at:%Y-%m-%d %H:%M})"


class Reaction(models.Model):
    class Kind(models.TextChoices):
        LIKE = "like", _("Like")
        HEART = "heart", _("Love")
        LAUGH = "laugh", _("Funny")
        WOW = "wow", _("Wow")
        ROCKET = "rocket", _("To the moon")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions",
                             verbose_name=_("post"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("user"))
    kind = models.CharField(_("reaction"), max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        constraints = [models.UniqueConstraint(fields=["post", "user", "kind"],
                                               name="forum_reaction_unique")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.post}"


class TopicRead(models.Model):
    """How far a user has read a topic (Discourse's per-topic row): unread counts are
    ``topic.last_post_number - last_read_number``, read with the topic list in one join."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("user"))
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="reads",
                              verbose_name=_("topic"))
    last_read_number = models.PositiveIntegerField(_("last post read"), default=0)
    updated_at = models.DateTimeField(_("read"), auto_now=True)

    class Meta:
        verbose_name = _("read state")
        verbose_name_plural = _("read states")
        constraints = [models.UniqueConstraint(fields=["user", "topic"],
                                               name="forum_topicread_unique")]

    def __str__(self):
        return f"{self.user} · {self.topic}: {self.last_read_number}"


class Flag(FlagBase):
    """A user's report of a post. Pending flags form the moderation queue in the admin."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("spam")
        ABUSE = "abuse", _("abusive or harmful")
        OFF_TOPIC = "off_topic", _("off-topic")
        OTHER = "other", _("something else")

    class Status(models.TextChoices):
        PENDING = flags.PENDING, _("waiting for review")
        UPHELD = flags.UPHELD, _("upheld: post hidden")
        DISMISSED = flags.DISMISSED, _("dismissed: post kept")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags",
                             verbose_name=_("post"))
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PENDING)

    class Meta(FlagBase.Meta):
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [models.UniqueConstraint(fields=["post", "user"],
                                               name="forum_flag_once_per_user")]
        indexes = [models.Index(fields=["status", "-created_at"], name="forum_flag_status_idx")]

    def __str__(self):
        return f"{self.get_reason_display()} · {self.post}"


class Sanction(models.Model):
    """A moderator's silence (may read, may not post) or ban (may not sign in) until a time."""

    class Kind(models.TextChoices):
        SILENCE = "silence", _("silenced")
        BAN = "ban", _("banned")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="forum_sanctions", verbose_name=_("user"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    until = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=500)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           related_name="+", verbose_name=_("by"))
    created_at = models.DateTimeField(pgettext_lazy("sanction start", "from"), auto_now_add=True)

    class Meta:
        ordering = ["-until"]
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
        indexes = [models.Index(fields=["user", "-until"], name="forum_sanction_user_idx")]

    def __str__(self):
        return f"{self.user} {self.get_kind_display()}"


class Watch(models.Model):
    """How closely a user follows a topic or a whole category (Discourse's levels).

    Watching: told of every new post. Tracking: unread counts only, told when mentioned or
    quoted. Muted: never told, and hidden from their latest list. Without a row, a topic's
    author and repliers track it."""

    class Level(models.TextChoices):
        WATCHING = "watching", _("watching")
        TRACKING = "tracking", _("tracking")
        MUTED = "muted", _("muted")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("user"))
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="watches", verbose_name=_("topic"))
    category = models.ForeignKey(Category, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="watches", verbose_name=_("category"))
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)

    class Meta:
        verbose_name = _("watch")
        verbose_name_plural = _("watches")
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="forum_watch_topic_once"),
            models.UniqueConstraint(fields=["user", "category"],
                                    name="forum_watch_category_once"),
            models.CheckConstraint(
                condition=models.Q(topic__isnull=True) ^ models.Q(category__isnull=True),
                name="forum_watch_topic_xor_category"),
        ]

    def __str__(self):
        return f"{self.user} · {self.topic or self.category}: {self.get_level_display()}"


class Digest(models.Model):
    """A member's summary email of forum activity (Discourse's "activity summary")."""

    class Frequency(models.TextChoices):
        NEVER = "never", _("never")
        DAILY = "daily", _("daily")
        WEEKLY = "weekly", _("weekly")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="forum_digest", verbose_name=_("user"))
    frequency = models.CharField(_("how often"), max_length=10, choices=Frequency.choices,
                                 default=Frequency.NEVER)
    # The next digest covers what happened since then.
    last_sent_at = models.DateTimeField(_("last sent"))

    class Meta:
        verbose_name = _("digest subscription")
        verbose_name_plural = _("digest subscriptions")
        indexes = [models.Index(fields=["frequency", "last_sent_at"],
                                name="forum_digest_due_idx")]

    def __str__(self):
        return f"{self.user}: {self.get_frequency_display()}"

    def get_absolute_url(self):
        return reverse("forum:digest")
