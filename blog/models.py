from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from parler.models import TranslatableModel, TranslatedFields

from core import flags
from core.flags import FlagBase


class Category(TranslatableModel):
    """One of the blog's sections (market analysis, product updates, ...)."""

    slug = models.SlugField(_("slug"), unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    translations = TranslatedFields(
        name=models.CharField(_("name"), max_length=80),
        description=models.CharField(_("description"), max_length=300, blank=True),
    )

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("blog category")
        verbose_name_plural = _("blog categories")

    def __str__(self):
        return self.safe_translation_getter("name", any_language=True) or self.slug

    def get_absolute_url(self):
        return reverse("blog:category", kwargs={"slug": self.slug})


class Tag(TranslatableModel):
    slug = models.SlugField(_("slug"), unique=True)
    translations = TranslatedFields(name=models.CharField(_("name"), max_length=60))

    class Meta:
        ordering = ["slug"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.safe_translation_getter("name", any_language=True) or self.slug

    def get_absolute_url(self):
        return reverse("blog:tag", kwargs={"slug": self.slug})


class Article(TranslatableModel):
    """A blog post. Everything a reader reads is translated; who wrote it, where it is filed
    and when it appears are shared by every language.

    Visible to readers when published and ``published_at`` has come (a future time schedules
    it; nothing needs to run at that time): ``blog.selectors.articles_visible``."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        ARCHIVED = "archived", _("archived")

    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("publication time"), null=True, blank=True,
        help_text=_("A time in the future schedules the article: it appears by itself then. "
                    "Empty: now, when published."))
    is_featured = models.BooleanField(
        _("featured announcement"), default=False,
        help_text=_("Pinned at the top of the blog and on the portal's home page."))
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="articles",
                                 verbose_name=_("category"))
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles",
                                  verbose_name=_("tags"))
    authors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="blog_articles",
                                     verbose_name=_("authors"))
    cover = models.ImageField(_("cover image"), upload_to="blog/covers/%Y/%m/", blank=True,
                              help_text=_("A JPEG, PNG or WebP image, at least 1200 pixels "
                                          "wide for sharing."))
    # Renditions of ``cover`` (``blog.covers``), made from the file named in ``cover_source``.
    cover_large = models.ImageField(_("large cover"), upload_to="blog/covers/%Y/%m/",
                                    blank=True, editable=False)
    cover_small = models.ImageField(_("small cover"), upload_to="blog/covers/%Y/%m/",
                                    blank=True, editable=False)
    cover_source = models.CharField(_("renditions made from"), max_length=200, blank=True,
                                    editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    translations = TranslatedFields(
        title=models.CharField(_("title"), max_length=200),
        slug=models.SlugField(_("slug"), max_length=200, allow_unicode=True,
                              help_text=_("The address of this language's page; unique in "
                                          "the language.")),
        summary=models.TextField(_("summary"), max_length=500, blank=True),
        body=models.TextField(_("body (Markdown)")),
        body_html=models.TextField(_("rendered body"), editable=False, blank=True),
        seo_title=models.CharField(_("SEO title"), max_length=70, blank=True,
                                   help_text=_("The page title in search results; the title "
                                               "when empty.")),
        seo_description=models.CharField(
            _("SEO description"), max_length=160, blank=True,
            help_text=_("The snippet in search results; the summary when empty.")),
        cover_alt=models.CharField(_("cover image description"), max_length=200, blank=True),
        reading_minutes=models.PositiveSmallIntegerField(_("reading time (minutes)"),
                                                         default=1, editable=False),
        # The fingerprint of the English text this translation was made from: a translation
        # whose fingerprint differs from the English one's is outdated.
        source_hash=models.CharField(_("source fingerprint"), max_length=64, blank=True,
                                     editable=False),
        meta={"unique_together": [("language_code", "slug")]},
    )

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [models.Index(fields=["status", "-published_at"], name="blog_article_live_idx")]

    def __str__(self):
        return self.safe_translation_getter("title", any_language=True) or f"#{self.pk}"

    def get_absolute_url(self):
        """The page in the active language: its translation's slug, else the English one's."""
        slug = self.safe_translation_getter("slug", language_code=get_language(),
                                            any_language=True)
        return reverse("blog:article", kwargs={"slug": slug})


class Comment(models.Model):
    """A reader's comment on an article, or a reply to one (one level: replies have no
    replies of their own)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments",
                                verbose_name=_("article"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="blog_comments", verbose_name=_("author"))
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="replies", verbose_name=_("in reply to"))
    body = models.TextField(_("comment"))
    body_html = models.TextField(_("rendered comment"), editable=False)
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    # {"like": 3}: the counts shown under the comment, kept with each reaction.
    reaction_counts = models.JSONField(_("reactions"), default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["article", "created_at"], name="blog_comment_article_idx")]

    def __str__(self):
        return f"{self.author} · {self.article}"

    def get_absolute_url(self):
        return reverse("blog:comment", kwargs={"pk": self.pk})


class CommentReaction(models.Model):
    class Kind(models.TextChoices):
        LIKE = "like", _("Like")
        INSIGHTFUL = "insightful", _("Insightful")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reactions",
                                verbose_name=_("comment"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("user"))
    kind = models.CharField(_("reaction"), max_length=12, choices=Kind.choices)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment reaction")
        verbose_name_plural = _("comment reactions")
        constraints = [models.UniqueConstraint(fields=["comment", "user", "kind"],
                                               name="blog_reaction_unique")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.comment}"


class CommentFlag(FlagBase):
    """A reader's report of a comment; pending flags are the admin's moderation queue."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("spam or advertising")
        ABUSE = "abuse", _("abusive or harmful")
        SCAM = "scam", _("a scam or phishing")
        OTHER = "other", _("something else")

    class Status(models.TextChoices):
        PENDING = flags.PENDING, _("waiting for review")
        UPHELD = flags.UPHELD, _("upheld: comment hidden")
        DISMISSED = flags.DISMISSED, _("dismissed: comment kept")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="flags",
                                verbose_name=_("comment"))
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PENDING)

    class Meta(FlagBase.Meta):
        verbose_name = _("comment flag")
        verbose_name_plural = _("comment flags")
        constraints = [models.UniqueConstraint(fields=["comment", "user"],
                                               name="blog_flag_once_per_user")]
        indexes = [models.Index(fields=["status", "-created_at"], name="blog_flag_status_idx")]

    def __str__(self):
        return f"{self.get_reason_display()} · {self.comment}"
