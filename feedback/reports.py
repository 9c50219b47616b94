"""Reads for analysts and staff: the filtered feedback behind the CSV export and the dashboard.

``ReportFilters`` is what the filter form cleans into; ``report_items`` turns it into a queryset;
``export_rows`` streams that queryset as CSV rows with two queries per 10,000 rows;
``dashboard_summary`` aggregates it with a fixed number of queries, whatever the row count.
"""

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import TruncWeek
from django.urls import reverse
from django.utils import timezone

from feedback.models import (
    Delivery,
    FeedbackItem,
    ItemTag,
    ProductArea,
    Tag,
    Team,
    title_slug,
)

EXPORT_PERMISSION = "feedback.export_feedback"
EXPORT_CHUNK = 2000  # rows per fetch from the database cursor
EXPORT_BATCH = 10_000  # rows whose tags and teams are read in one query each
DASHBOARD_WEEKS = 12
TOP_TAGS = 10
UNCLASSIFIED = ""  # the sentiment of an item not classified yet

EXPORT_COLUMNS = (
    "id", "created_at", "title", "body", "source", "source_ref", "language", "product_area",
    "product_area_name", "tags", "teams", "status", "sentiment", "votes", "comments", "author",
    "link",
)
# The columns that may hold text from users or staff; the others (numbers, ISO times, coded
# choices, our own links) cannot start a spreadsheet formula.
EXPORT_TEXT_COLUMNS = tuple(EXPORT_COLUMNS.index(name) for name in (
    "title", "body", "source_ref", "product_area", "product_area_name", "tags", "teams",
    "author"))


# --- Who may ----------------------------------------------------------------------------------

def user_can_export(user) -> bool:
    """Analysts (permission ``feedback.export_feedback``) download feedback as CSV."""
    return user.is_authenticated and user.has_perm(EXPORT_PERMISSION)


def user_can_view_dashboard(user) -> bool:
    return user.is_authenticated and user.is_staff


# --- Filters ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReportFilters:
    """Which feedback a report covers; empty values do not filter. Dates are inclusive days in
    the current time zone."""

    date_from: date | None = None
    date_to: date | None = None
    team: Team | None = None
    product_area: ProductArea | None = None
    tags: tuple[Tag, ...] = ()
    status: str = ""
    source: str = ""
    language: str = ""
    sentiment: str = ""


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def report_items(*, user, filters: ReportFilters) -> QuerySet[FeedbackItem]:
    """Every item matching ``filters`` (public or not: reports are for staff and analysts),
    newest first, without duplicates."""
    if not (user_can_export(user) or user_can_view_dashboard(user)):
        raise PermissionDenied
    items = FeedbackItem.objects.all()
    if filters.date_from:
        items = items.filter(created_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        items = items.filter(created_at__lt=_day_start(filters.date_to + timedelta(days=1)))
    if filters.team:
        items = items.filter(Exists(Delivery.objects.filter(item=OuterRef("pk"),
                                                            team=filters.team)))
    if filters.product_area:
        items = items.filter(product_area=filters.product_area)
    if filters.tags:
        items = items.filter(Exists(ItemTag.objects.filter(
            item=OuterRef("pk"), tag__in=[tag.pk for tag in filters.tags])))
    for name in ("status", "source", "language", "sentiment"):
        if value := getattr(filters, name):
            items = items.filter(**{name: value})
    return items.order_by("-created_at", "-id")


# --- CSV export -------------------------------------------------------------------------------

class _ItemLinks:
    """``SITE_URL + item.get_absolute_url()`` for many items: one ``reverse()`` in all."""

    PK, SLUG = 987654321, "slug-placeholder"

    def __init__(self) -> None:
        sample = reverse("feedback:detail", kwargs={"pk": self.PK, "slug": self.SLUG})
        prefix, rest = sample.split(str(self.PK), 1)
        self.prefix = settings.SITE_URL + prefix
        self.middle, self.suffix = rest.split(self.SLUG, 1)

    def __call__(self, pk: int, title: str) -> str:
        # The same path as FeedbackItem.get_absolute_url, with the one reverse() done above.
        return f"{self.prefix}{pk}{self.middle}{title_slug(title)}{self.suffix}"


class _IdIn(Func):
    """``column IN (ids)`` with the ids bound as ONE parameter: an array on PostgreSQL, JSON on
    SQLite. The ORM's ``__in`` prepares and quotes each id in Python, which for 2,000 ids costs
    more than running the query."""

    output_field = BooleanField()

    def __init__(self, column: str, ids: list[int]) -> None:
        super().__init__(F(column))
        self.ids = ids

    def as_sql(self, compiler, connection, **extra):  # any other database: a plain IN list
        column, params = compiler.compile(self.source_expressions[0])
        return f"{column} IN ({', '.join(['%s'] * len(self.ids))})", (*params, *self.ids)

    def as_postgresql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        # An array literal made by str.join: psycopg would adapt a list id by id in Python.
        return f"{column} = ANY(%s::bigint[])", (*params, "{" + ",".join(map(str, self.ids)) + "}")

    def as_sqlite(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        sql = f"{column} IN (SELECT value FROM json_each(%s))"  # noqa: S608 - a parameter
        return sql, (*params, json.dumps(self.ids))


class _UtcIso(Func):
    """A datetime column as ISO 8601 text in UTC, "2025-01-31T09:30:00+00:00", made by the
    database: Django's time-zone-aware loading costs more per row than all the rest of it."""

    output_field = CharField()
    template = "%(expressions)s"  # elsewhere: the datetime itself, formatted in Python

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template=(
            "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"')"),
            **extra)

    def as_sqlite(self, compiler, connection, **extra):
        # Django stores UTC "YYYY-MM-DD HH:MM:SS[.ffffff]"; %%%% is one % once all is formatted.
        return self.as_sql(compiler, connection, template=(
            "strftime('%%%%Y-%%%%m-%%%%dT%%%%H:%%%%M:%%%%S+00:00', %(expressions)s)"), **extra)


# What export_rows reads per item: plain tuples, never model instances (a million of those
# would cost more than the rest of the export together).
_EXPORT_FIELDS = ("id", _UtcIso("created_at"), "title", "body", "source", "source_ref",
                  "language", "product_area_id", "status", "sentiment", "vote_count",
                  "comment_count", "author__username")


def _batch_filter(ids: list[int]) -> Q | _IdIn:
    """Rows of a relation that belong to the items ``ids``, read in one index pass.

    Items are numbered as they arrive and exported newest first, so a batch's ids are usually
    nearly consecutive: then a range is read (a few rows of neighbours come along and are never
    looked up), which the database does ~40 times faster than a lookup of 10,000 listed ids.
    Sparse batches (narrow filters) use the list."""
    low, high = min(ids), max(ids)
    if high - low < 2 * len(ids):
        return Q(item_id__gte=low, item_id__lte=high)
    return _IdIn("item_id", ids)


def _slugs_by_item(pairs: Iterable[tuple[int, int]], slugs: dict[int, str]) -> dict[int, str]:
    found: dict[int, list[str]] = defaultdict(list)
    for item_id, other_id in pairs:
        found[item_id].append(slugs[other_id])
    return {item_id: ";".join(sorted(names)) for item_id, names in found.items()}


def export_rows(*, items: QuerySet[FeedbackItem], batch_size: int = EXPORT_BATCH,
                ) -> Iterator[tuple]:
    """One tuple per item, in ``EXPORT_COLUMNS`` order, streamed from a server-side cursor
    (fetched ``EXPORT_CHUNK`` rows at a time).

    Three queries up front (areas with their names, tags, teams), then per ``batch_size``
    items two queries (their tags, their teams): memory stays flat and the query count never
    depends on a row's relations. Product area names are in English, whatever the reader's
    language, so exports compare across analysts.
    """
    areas = {area.pk: (area.slug, area.safe_translation_getter(
        "name", language_code=settings.LANGUAGE_CODE, any_language=True) or "")
        for area in ProductArea.objects.prefetch_related("translations")}
    tag_slugs = dict(Tag.objects.values_list("pk", "slug"))
    team_slugs = dict(Team.objects.values_list("pk", "slug"))
    link = _ItemLinks()
    blank_area = ("", "")
    rows = items.prefetch_related(None).values_list(*_EXPORT_FIELDS).iterator(
        chunk_size=EXPORT_CHUNK)
    while chunk := list(islice(rows, batch_size)):
        related = _batch_filter([row[0] for row in chunk])
        tags = _slugs_by_item(ItemTag.objects.filter(related).order_by()
                              .values_list("item_id", "tag_id"), tag_slugs)
        teams = _slugs_by_item(Delivery.objects.filter(related).order_by()
                               .values_list("item_id", "team_id"), team_slugs)
        for (pk, created_at, title, body, source, source_ref, language, area_id, status,
             sentiment, votes, comments, author) in chunk:
            area_slug, area_name = areas.get(area_id, blank_area)
            if created_at.__class__ is not str:  # a database without _UtcIso's SQL
                created_at = created_at.astimezone(UTC).isoformat(timespec="seconds")
            yield (pk, created_at, title, body,
                   source, source_ref, language, area_slug, area_name, tags.get(pk, ""),
                   teams.get(pk, ""), status, sentiment, votes, comments, author or "",
                   link(pk, title))


# --- Dashboard --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Tally:
    """One labelled number of a chart: a team, a product area or a tag."""

    key: str
    label: str
    value: int


@dataclass(frozen=True)
class Week:
    start: date
    by_sentiment: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_sentiment.values())


@dataclass(frozen=True)
class DashboardSummary:
    total: int
    votes: int
    by_sentiment: dict[str, int]
    unrouted: int
    no_area: int
    weeks: list[Week]
    teams: list[Tally] = field(default_factory=list)
    areas: list[Tally] = field(default_factory=list)
    tags: list[Tally] = field(default_factory=list)


SENTIMENTS = (*FeedbackItem.Sentiment.values, UNCLASSIFIED)


def dashboard_weeks(*, last: date, count: int = DASHBOARD_WEEKS) -> list[date]:
    """The Mondays of the ``count`` weeks ending with the week of ``last``, oldest first."""
    monday = last - timedelta(days=last.weekday())
    return [monday - timedelta(weeks=n) for n in range(count - 1, -1, -1)]


def _ranked(objects: Iterable, counts: dict, *, label=str) -> list[Tally]:
    """A ``Tally`` per object (zero when it has no count), most first, then by label."""
    tallies = [Tally(key=obj.slug, label=label(obj), value=counts.get(obj.pk, 0))
               for obj in objects]
    return sorted(tallies, key=lambda tally: (-tally.value, tally.label))


def dashboard_summary(*, user, filters: ReportFilters) -> DashboardSummary:
    """The numbers behind the dashboard, in eleven queries whatever the number of items:
    totals, unrouted items, weeks, counts per team, area and tag, and the teams, areas and top
    tags with their names.

    Every count groups rows of one table; the filtered items are joined in only when there are
    filters (a semi-join in WHERE, which the database hashes once, never a subquery per row).
    """
    if not user_can_view_dashboard(user):
        raise PermissionDenied
    items = report_items(user=user, filters=filters).order_by()

    def of_selected(relation: QuerySet) -> QuerySet:
        relation = relation.order_by()
        return relation if filters == ReportFilters() else relation.filter(
            item__in=items.values("pk"))

    totals = items.aggregate(
        total=Count("pk"), votes=Sum("vote_count"),
        **{f"sentiment_{value or 'none'}": Count("pk", filter=Q(sentiment=value))
           for value in SENTIMENTS})
    # Its own query: in WHERE the database runs NOT EXISTS as one anti-join; inside the
    # aggregate above it would probe the deliveries once per item.
    unrouted = items.filter(~Exists(Delivery.objects.filter(item=OuterRef("pk")))).count()

    weeks = dashboard_weeks(last=filters.date_to or timezone.localdate())
    per_week: dict[date, dict[str, int]] = {week: dict.fromkeys(SENTIMENTS, 0)
                                            for week in weeks}
    weekly = (items.filter(created_at__gte=_day_start(weeks[0]),
                           created_at__lt=_day_start(weeks[-1] + timedelta(weeks=1)))
              .annotate(week=TruncWeek("created_at")).values_list("week", "sentiment")
              .annotate(n=Count("pk")))
    for week, sentiment, count in weekly:
        week = timezone.localtime(week).date() if isinstance(week, datetime) else week
        if week in per_week:
            per_week[week][sentiment] += count

    per_team = dict(of_selected(Delivery.objects).values_list("team").annotate(n=Count("pk")))
    per_area = dict(items.values_list("product_area").annotate(n=Count("pk")))
    top_tags = dict(of_selected(ItemTag.objects).values_list("tag").annotate(n=Count("pk"))
                    .order_by("-n", "tag")[:TOP_TAGS])
    return DashboardSummary(
        total=totals["total"], votes=totals["votes"] or 0, unrouted=unrouted,
        no_area=per_area.get(None, 0),
        by_sentiment={value: totals[f"sentiment_{value or 'none'}"] for value in SENTIMENTS},
        weeks=[Week(start=week, by_sentiment=per_week[week]) for week in weeks],
        teams=_ranked(Team.objects.all(), per_team, label=lambda team: team.name),
        areas=_ranked(ProductArea.objects.prefetch_related("translations"), per_area),
        tags=_ranked(Tag.objects.filter(pk__in=top_tags).prefetch_related("translations"),
                     top_tags),
    )
