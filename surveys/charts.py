"""Lay out the results page's SVG charts: bar lengths, positions and the text on each bar.
Templates only draw what these return. Widths are percentages, so charts stretch with the
page; heights are pixels, so text keeps its size."""

from dataclasses import dataclass
from datetime import date

from django.utils import formats
from django.utils.translation import gettext as _

from surveys.models import MATRIX_SCALE, Question
from surveys.results import QuestionResult

ROW_HEIGHT = 36  # px per bar
PLOT_HEIGHT = 160  # px of the columns' plot area
AXIS_HEIGHT = 22  # px under the columns for the dates
DAY_LABELS = 7  # at most this many dates under the columns


@dataclass(frozen=True)
class Bar:
    label: str
    text: str  # the figure written at the bar's end
    width: float  # percent of the chart's width
    top: int  # px

    @property
    def text_y(self) -> int:
        return self.top + 13

    @property
    def bar_y(self) -> int:
        return self.top + 19


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]

    @property
    def height(self) -> int:
        return max(1, len(self.bars)) * ROW_HEIGHT


def question_chart(result: QuestionResult) -> BarChart | None:
    """One bar per option or score, as long as its share of those who answered, or per matrix
    row, as long as its average on the 1–5 scale; None for written answers."""
    question = result.question
    if question.kind == Question.Kind.MATRIX:
        high = MATRIX_SCALE[1]
        bars = [(tally.label, tally.share / high * 100,
                 _("average %(average)s (%(count)s)") % {"average": tally.share,
                                                         "count": tally.count})
                for tally in result.tallies]
    else:
        bars = [(tally.label, tally.share,
                 f"{tally.count} ({formats.number_format(tally.share, 1)}%)")
                for tally in result.tallies]
    if not bars:
        return None
    return BarChart(title=str(question), bars=[
        Bar(label=label, text=text, width=round(width, 2), top=n * ROW_HEIGHT)
        for n, (label, width, text) in enumerate(bars)])


@dataclass(frozen=True)
class Column:
    day: date
    count: int
    x: float  # percent
    width: float  # percent
    y: int  # px
    height: int  # px
    label: str  # the date under it, on some columns only


@dataclass(frozen=True)
class ColumnChart:
    title: str
    columns: list[Column]

    plot_height = PLOT_HEIGHT

    @property
    def height(self) -> int:
        return PLOT_HEIGHT + AXIS_HEIGHT

    @property
    def label_y(self) -> int:
        return PLOT_HEIGHT + 16


def per_day_chart(per_day: list[tuple[date, int]]) -> ColumnChart:
    """One column per day, the tallest as high as the plot; a few dates written under."""
    most = max((n for _day, n in per_day), default=0)
    slot = 100 / len(per_day) if per_day else 0
    every = max(1, -(-len(per_day) // DAY_LABELS))
    columns = []
    for index, (day, n) in enumerate(per_day):
        height = round(PLOT_HEIGHT * n / most) if most else 0
        columns.append(Column(
            day=day, count=n, x=round(index * slot + slot * 0.15, 3), width=round(slot * 0.7, 3),
            y=PLOT_HEIGHT - height, height=height,
            label=formats.date_format(day, "M j") if index % every == 0 else ""))
    return ColumnChart(title=_("Responses per day"), columns=columns)
