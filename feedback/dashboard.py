"""The staff dashboard: the export's filters, a few numbers and four server-rendered SVG charts.

The view asks ``feedback.reports`` for the numbers; the helpers below only lay them out (bar
lengths, axis ticks, positions) so the templates draw without deciding anything. Charts use
percentages across and pixels down, so they stretch with the page while text keeps its size.
"""

import math
from dataclasses import dataclass
from datetime import date

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from feedback import reports
from feedback.export import bind_filters, report_access
from feedback.models import FeedbackItem

ROW_HEIGHT = 40  # px per bar in a horizontal bar chart
PLOT_HEIGHT = 200  # px of the weekly chart's plot area
PLOT_TOP = 10
AXIS_HEIGHT = 26  # px under the plot for the week labels
COLUMN_FILL = 0.62  # share of a week's slot its column takes

# Bottom to top in the weekly columns; the legend uses the same order.
SENTIMENT_SERIES = (
    (FeedbackItem.Sentiment.NEGATIVE, FeedbackItem.Sentiment.NEGATIVE.label),
    (FeedbackItem.Sentiment.NEUTRAL, FeedbackItem.Sentiment.NEUTRAL.label),
    (FeedbackItem.Sentiment.POSITIVE, FeedbackItem.Sentiment.POSITIVE.label),
    (reports.UNCLASSIFIED, _("Not classified yet")),
)


def percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


@dataclass(frozen=True)
class BarRow:
    key: str
    label: str
    value: int
    share: float  # percent of all items in the report
    width: float  # percent of the chart width
    top: int  # px
    muted: bool = False

    @property
    def text_y(self) -> int:
        return self.top + 14

    @property
    def bar_y(self) -> int:
        return self.top + 21


@dataclass(frozen=True)
class BarChart:
    slug: str
    title: str
    description: str
    rows: list[BarRow]

    @property
    def height(self) -> int:
        return max(1, len(self.rows)) * ROW_HEIGHT

    @property
    def empty(self) -> bool:
        return not any(row.value for row in self.rows)


def bar_chart(*, slug: str, title: str, description: str, tallies: list[reports.Tally],
              total: int, extra: tuple[tuple[str, int], ...] = ()) -> BarChart:
    """Horizontal bars, longest first; ``extra`` (label, value) rows come last, muted, when not
    zero ("No product area", "Not routed yet")."""
    entries = [(t.key, t.label, t.value, False) for t in tallies]
    entries += [("", str(label), value, True) for label, value in extra if value]
    longest = max((value for _key, _label, value, _muted in entries), default=0)
    return BarChart(slug=slug, title=str(title), description=str(description), rows=[
        BarRow(key=key, label=label, value=value, share=percent(value, total),
               width=percent(value, longest), top=index * ROW_HEIGHT, muted=muted)
        for index, (key, label, value, muted) in enumerate(entries)])


@dataclass(frozen=True)
class Segment:
    sentiment: str
    label: str
    value: int
    y: float
    height: float


@dataclass(frozen=True)
class Column:
    start: date
    total: int
    x: float  # percent
    width: float  # percent
    center: float  # percent
    segments: list[Segment]
    values: tuple[int, ...]  # per sentiment, in SENTIMENT_SERIES order (the table's columns)


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class WeekChart:
    columns: list[Column]
    ticks: list[Tick]
    series: tuple[tuple[str, str], ...]
    height: int = PLOT_TOP + PLOT_HEIGHT + AXIS_HEIGHT
    baseline: int = PLOT_TOP + PLOT_HEIGHT
    label_y: int = PLOT_TOP + PLOT_HEIGHT + 18

    @property
    def empty(self) -> bool:
        return not any(column.total for column in self.columns)


def nice_step(largest: int, *, steps: int = 4) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50... such that ``steps`` of it reach ``largest``."""
    raw = max(largest, 1) / steps
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return max(1, factor * magnitude)
    return 10 * magnitude


def week_chart(*, weeks: list[reports.Week]) -> WeekChart:
    step = nice_step(max((week.total for week in weeks), default=0))
    top_value = step * 4
    scale = PLOT_HEIGHT / top_value
    slot = 100 / max(1, len(weeks))
    columns = []
    for index, week in enumerate(weeks):
        y = PLOT_TOP + PLOT_HEIGHT
        segments = []
        for sentiment, label in SENTIMENT_SERIES:
            value = week.by_sentiment.get(sentiment, 0)
            if value:
                height = round(value * scale, 2)
                y -= height
                segments.append(Segment(sentiment=sentiment or "none", label=str(label),
                                        value=value, y=round(y, 2), height=height))
        columns.append(Column(
            start=week.start, total=week.total, segments=segments,
            values=tuple(week.by_sentiment.get(key, 0) for key, _label in SENTIMENT_SERIES),
            x=round(slot * index + slot * (1 - COLUMN_FILL) / 2, 3),
            width=round(slot * COLUMN_FILL, 3), center=round(slot * (index + 0.5), 3)))
    ticks = [Tick(value=step * n, y=round(PLOT_TOP + PLOT_HEIGHT - step * n * scale, 2))
             for n in range(5)]
    return WeekChart(columns=columns, ticks=ticks, series=tuple(
        (sentiment or "none", str(label)) for sentiment, label in SENTIMENT_SERIES))


@dataclass(frozen=True)
class SentimentCard:
    key: str
    label: str
    value: int
    share: float


def sentiment_cards(*, summary: reports.DashboardSummary) -> list[SentimentCard]:
    return [SentimentCard(key=key or "none", label=str(label), value=summary.by_sentiment[key],
                          share=percent(summary.by_sentiment[key], summary.total))
            for key, label in SENTIMENT_SERIES]


def bar_charts(*, summary: reports.DashboardSummary) -> list[BarChart]:
    total = summary.total
    return [
        bar_chart(slug="teams", title=_("Feedback per team"), tallies=summary.teams,
                  total=total, extra=((_("Not routed yet"), summary.unrouted),),
                  description=_("Items delivered to each product team; an item can reach "
                                "more than one team.")),
        bar_chart(slug="areas", title=_("Feedback per product area"), tallies=summary.areas,
                  total=total, extra=((_("No product area"), summary.no_area),),
                  description=_("Items in each product area.")),
        bar_chart(slug="tags", title=_("Top tags"), tallies=summary.tags, total=total,
                  description=_("The ten tags most often on these items.")),
    ]


@require_GET
@report_access(reports.user_can_view_dashboard)
def dashboard(request):
    form, filters = bind_filters(request)
    context = {"form": form, "can_export": reports.user_can_export(request.user),
               "query": request.GET.urlencode()}
    if filters is None:
        return render(request, "feedback/dashboard.html", context, status=400)
    summary = reports.dashboard_summary(user=request.user, filters=filters)
    context.update(summary=summary, weeks=week_chart(weeks=summary.weeks),
                   sentiments=sentiment_cards(summary=summary),
                   bar_charts=bar_charts(summary=summary))
    return render(request, "feedback/dashboard.html", context)
