"""Safe CSV for spreadsheets, streamed.

Any app may use it (it imports no local app). Three guarantees:

* **No formula injection.** A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return would run as a formula in Excel, LibreOffice or Google Sheets
  (``=HYPERLINK("http://evil", "click")``); such cells get a leading apostrophe, which the
  spreadsheet shows as text. Numbers (``int``, ``float``, ``Decimal``) are written as they are:
  they cannot carry a formula.
* **Excel reads UTF-8.** Output is UTF-8 with a byte-order mark by default, so Excel shows
  Chinese instead of mojibake; ``bom=False`` for tools that dislike it.
* **Quoting.** The standard ``csv`` module quotes commas, quotes and line breaks (RFC 4180,
  CRLF line ends).

``csv_stream`` yields encoded chunks of many rows (not one per row: a million tiny chunks would
cost more than the rows), so a ``StreamingHttpResponse`` over it keeps memory flat.
"""

import csv
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from decimal import Decimal
from itertools import islice

from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
ROWS_PER_CHUNK = 1000
NUMBER_TYPES = (int, float, Decimal)


def escape_cell(value) -> str | int | float | Decimal:
    """``value`` as a spreadsheet may safely show it: text that would start a formula gets a
    leading apostrophe; ``None`` becomes an empty cell; numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, NUMBER_TYPES) and not isinstance(value, bool):
        return value
    text = value if isinstance(value, str) else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def escape_row(row: Iterable) -> list:
    """``escape_cell`` on every value, with the common cases (text, whole numbers) inline: this
    runs once per cell of a million-row export."""
    return [("'" + value if value.startswith(FORMULA_PREFIXES) else value)
            if (kind := value.__class__) is str else value if kind is int else escape_cell(value)
            for value in row]


def column_escaper(columns: Collection[int]) -> Callable[[Sequence], list]:
    """Like ``escape_row``, for rows whose other columns cannot start a formula (numbers, ISO
    dates, code-defined choices, the site's own URLs): it checks only ``columns``."""
    columns = tuple(columns)

    def escape(row: Sequence) -> list:
        cells = list(row)
        for index in columns:
            value = cells[index]
            if value.__class__ is not str:
                cells[index] = escape_cell(value)
            elif value.startswith(FORMULA_PREFIXES):
                cells[index] = "'" + value
        return cells

    return escape


class _Buffer:
    """What ``csv.writer`` writes into: it keeps the pieces until the chunk is taken."""

    __slots__ = ("parts",)

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def take(self) -> str:
        text = "".join(self.parts)
        self.parts.clear()
        return text


def csv_stream(*, header: Sequence[str], rows: Iterable[Sequence], bom: bool = True,
               escape_columns: Collection[int] | None = None,
               rows_per_chunk: int = ROWS_PER_CHUNK) -> Iterator[bytes]:
    """Yield the CSV of ``header`` and ``rows`` as UTF-8 byte chunks, cells escaped.

    Every cell is escaped, unless ``escape_columns`` names the only columns that may hold
    outside text (see ``column_escaper``): a million-row export then runs noticeably faster.
    The first chunk holds the byte-order mark (unless ``bom=False``) and the header row; each
    following chunk holds up to ``rows_per_chunk`` rows. ``rows`` is consumed lazily.
    """
    escape = escape_row if escape_columns is None else column_escaper(escape_columns)
    buffer = _Buffer()
    writer = csv.writer(buffer)
    writer.writerow(escape_row(header))
    yield ((BOM if bom else "") + buffer.take()).encode()
    rows = iter(rows)
    while batch := list(islice(rows, rows_per_chunk)):
        writer.writerows([escape(row) for row in batch])
        yield buffer.take().encode()


def csv_response(*, filename: str, header: Sequence[str], rows: Iterable[Sequence],
                 bom: bool = True,
                 escape_columns: Collection[int] | None = None) -> StreamingHttpResponse:
    """A download of ``rows`` as ``filename``, streamed as it is produced."""
    response = StreamingHttpResponse(
        csv_stream(header=header, rows=rows, bom=bom, escape_columns=escape_columns),
        content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    # Proxies must not buffer or cache a personal export.
    response["Cache-Control"] = "private, no-store"
    response["X-Accel-Buffering"] = "no"
    return response
