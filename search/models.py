from django.db import models
from django.utils.translation import gettext_lazy as _


class TokenVectorField(models.TextField):
    """The document's tokens with their positions and weights: a ``tsvector`` column on
    PostgreSQL, written from a literal made by ``search.backends.postgres``. Other databases
    keep their tokens elsewhere (SQLite: an FTS5 table) and leave this empty."""

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"

    def get_placeholder(self, value, compiler, connection):
        return "%s::tsvector" if connection.vendor == "postgresql" else "%s"


class Document(models.Model):
    """One searchable object in one language, as the search page shows and filters it. Only
    what anyone may read is indexed; ``visible_from`` holds back scheduled content."""

    class Kind(models.TextChoices):
        TOPIC = "topic", _("Forum topic")
        POST = "post", _("Forum reply")
        ARTICLE = "article", _("Article")
        FEEDBACK = "feedback", _("Feedback idea")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("object id"))
    language = models.CharField(_("language"), max_length=10)
    # The owning object's family (a topic and its replies): unindexed and reindexed together.
    group = models.CharField(_("group"), max_length=60, db_index=True)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)  # plain text, for snippets
    url = models.CharField(_("address"), max_length=300)
    category = models.CharField(_("category key"), max_length=120, blank=True, db_index=True)
    category_name = models.CharField(_("category"), max_length=120, blank=True)
    author_name = models.CharField(_("author"), max_length=150, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created"), db_index=True)
    visible_from = models.DateTimeField(_("visible from"), null=True, blank=True)
    staff = models.BooleanField(_("by staff"), default=False)
    # An accepted answer, or a topic that has one (solved): both get the ranking's boost.
    accepted = models.BooleanField(_("accepted answer"), default=False)
    vector = TokenVectorField(_("tokens"), blank=True, editable=False)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id", "language"],
                                               name="search_document_once")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"

    def get_absolute_url(self):
        return self.url


class RebuildCheckpoint(models.Model):
    """How far ``rebuild_search_index`` got through one source: a resumed rebuild starts
    after ``last_pk``."""

    source = models.CharField(_("source"), max_length=60, unique=True)
    last_pk = models.PositiveBigIntegerField(_("last primary key"), default=0)
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        verbose_name = _("rebuild checkpoint")
        verbose_name_plural = _("rebuild checkpoints")

    def __str__(self):
        return f"{self.source}: {self.last_pk}"


class SearchQuery(models.Model):
    """A search someone ran: what was asked (normalised, no user data) and how much it found."""

    text = models.CharField(_("query"), max_length=200)
    language = models.CharField(_("language"), max_length=10)
    results = models.PositiveIntegerField(_("results"))
    created_at = models.DateTimeField(_("searched"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("search query")
        verbose_name_plural = _("search queries")
        indexes = [models.Index(fields=["language", "text"], name="search_query_text_idx")]

    def __str__(self):
        return self.text
