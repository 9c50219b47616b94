"""PostgreSQL: ``search_document.vector`` is a tsvector literal built here from the shared
tokenizer (title weight A, tags B, body C, explicit positions), queried with tsquery literals
(``%s::tsquery``, not ``to_tsquery``) so PostgreSQL's own parser and stemmer never touch
the text: both sides hold exactly the tokenizer's tokens.

Ranking every match of a common word is what makes full-text search slow, so candidates are
the ``limit`` most recent matches, found period by period (``_recent_first``); only those
are ranked."""

# SQL is assembled from this module's constants and the selectors' conditions, whose values
# are always parameters.
# ruff: noqa: S608

from collections import defaultdict
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.utils import timezone

from search.backends import Candidate
from search.query import Query, phrase_tsquery, to_tsquery

TITLE_INDEX_WHERE = "kind <> 'post'"

SCHEMA = [
    "CREATE INDEX IF NOT EXISTS search_document_vector_idx ON search_document "
    "USING gin (vector)",
    # Suggestions look at titles only, and replies have none of their own.
    "CREATE INDEX IF NOT EXISTS search_document_title_idx ON search_document "
    f"USING gin (ts_filter(vector, '{{a}}')) WHERE {TITLE_INDEX_WHERE}",
]

# Each vector also holds its document's day, week and month as lexemes the tokenizer never
# makes (it keeps no underscores), at the last position: the GIN index narrows a search to a
# period by itself (``_recent_first``). ts_rank never sees them: they are not in its query.
BUCKET_POSITION = 16383


def _day(when: datetime) -> str:
    return f"_d{when:%Y%m%d}"


def _week(when: datetime) -> str:
    year, week, _day = when.isocalendar()
    return f"_w{year}{week:02d}"


def _month(year: int, month: int) -> str:
    return f"_m{year}{month:02d}"


def _buckets(when: datetime) -> list[str]:
    when = when.astimezone(UTC)
    return [_day(when), _week(when), _month(when.year, when.month)]


def vector(*, title: list[str], tags: list[str], body: list[str], created_at: datetime) -> str:
    """The tsvector literal of a document's tokens: positions run on across the fields, with
    a gap between them so no phrase spans two fields. (PostgreSQL itself drops positions
    past 16383 and past 256 per lexeme.) The rebuild makes a million of these: kept lean."""
    positions: dict[str, list[str]] = defaultdict(list)
    start = 1
    for weight, field in (("A", title), ("B", tags), ("C", body)):
        for position, token in enumerate(field, start):
            positions[token].append(f"{position}{weight}")
        start += len(field) + 1
    literal = " ".join([f"'{token}':{','.join(found)}" for token, found in positions.items()]
                       + [f"'{bucket}':{BUCKET_POSITION}A" for bucket in _buckets(created_at)])
    if "\\" in literal or literal.count("'") != 2 * (len(positions) + 3):
        # The tokenizer's tokens are letters and digits only; never trust that blindly.
        literal = " ".join([
            "'" + token.replace("\\", "\\\\").replace("'", "''") + "':" + ",".join(found)
            for token, found in positions.items()]
            + [f"'{bucket}':{BUCKET_POSITION}A" for bucket in _buckets(created_at)])
    return literal


def rebuild_begin() -> None:
    """Drop the GIN indexes: building them once at the end is many times faster than
    updating them row by row."""
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS search_document_vector_idx")
        cursor.execute("DROP INDEX IF EXISTS search_document_title_idx")


def rebuild_end() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for statement in SCHEMA:
            cursor.execute(statement)
        cursor.execute("RESET maintenance_work_mem")
        cursor.execute("ANALYZE search_document")


def write(rows) -> None:
    """Nothing to do: the vector was saved with the document row."""


def delete(ids) -> None:
    """Nothing to do: the vector goes with the document row."""


def clear() -> None:
    """Nothing to do: the vectors go with the document rows."""


def _months_back(year: int, month: int, count: int) -> list[tuple[int, int]]:
    """(year, month) of this month and the ``count - 1`` before it, newest first."""
    months = [(year, month)]
    while len(months) < count:
        year, month = months[-1]
        months.append((year - 1, 12) if month == 1 else (year, month - 1))
    return months


def _windows(now: datetime) -> list[tuple[list[str], datetime | None, datetime | None]]:
    """The periods a search walks back through, newest first, as (bucket lexemes, exclusive
    end, start): today and yesterday, this and last week, the three latest months, the nine
    months before, then everything older (no bucket). The bounds keep the periods apart;
    each is larger than the one before, so a common word stops early and a rare one costs
    a few small scans."""
    now = now.astimezone(UTC)
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    yesterday = today - timedelta(days=1)
    last_week = today - timedelta(days=today.weekday() + 7)
    months = _months_back(now.year, now.month, 12)
    quarter = datetime(*months[2], 1, tzinfo=UTC)
    year = datetime(*months[-1], 1, tzinfo=UTC)
    return [([_day(now), _day(yesterday)], None, yesterday),
            ([_week(now), _week(last_week)], yesterday, last_week),
            ([_month(*month) for month in months[:3]], last_week, quarter),
            ([_month(*month) for month in months[3:]], quarter, year),
            ([], year, None)]


# Newest first, by an expression no index has: otherwise, for a word it guesses common, the
# planner walks the date index backwards testing each row, which reads a whole period
# when the word is in fact rare there. The GIN bitmap (and the date range) are always cheap.
_NEWEST = "created_at + interval '0 seconds' DESC"


def _recent_first(*, columns: str, match: str, tsquery: str, where: str, params: list,
                  limit: int) -> tuple[str, list]:
    """SQL for the ``limit`` most recent documents whose ``match`` (a condition on one
    tsquery parameter) holds for ``tsquery`` and ``where`` holds (with ``params``), newest
    first, and its parameters.

    The planner estimates an AND of lexemes as if they were independent, but a word's
    bigrams always come together: it then fetches every match of a common word from the
    heap to sort them by date. Instead the search walks back through ``_windows``, each a
    GIN scan narrowed by the period's bucket lexemes, and stops as soon as the recent ones
    have found enough (Append runs its branches one after the other, under the LIMIT)."""
    branches, values = [], []
    for buckets, before, since in _windows(timezone.now()):
        period = " | ".join(f"'{bucket}'" for bucket in buckets)
        branches.append(f"(SELECT {columns} FROM search_document WHERE {match} AND {where}"
                        f"{' AND created_at < %s' if before else ''}"
                        f"{' AND created_at >= %s' if since else ''} "
                        f"ORDER BY {_NEWEST} LIMIT %s)")
        values += [f"({tsquery}) & ({period})" if buckets else tsquery, *params,
                   *([before] if before else []), *([since] if since else []), limit]
    return (f"SELECT * FROM ({' UNION ALL '.join(branches)}) AS recent LIMIT %s",
            [*values, limit])


_MATCH = "vector @@ %s::tsquery"


def candidates(*, query: Query, where: str, params: list, limit: int) -> list[Candidate]:
    """The ``limit`` most recent documents matching ``query`` and the SQL condition ``where``
    (on search_document's columns, with ``params``), with their text rank."""
    tsquery, phrase = to_tsquery(query), phrase_tsquery(query)
    recent, values = _recent_first(
        columns="id, kind, object_id, language, created_at, staff, accepted, vector",
        match=_MATCH, tsquery=tsquery, where=where, params=params, limit=limit)
    phrase_sql = "vector @@ %s::tsquery" if phrase else "false"
    # ts_rank's weights for D, C (body), B (tags), A (title); 1: divided by 1 + log(length).
    sql = f"""
        SELECT id, kind, object_id, language, created_at, staff, accepted,
               ts_rank('{{0.1, 0.2, 0.4, 1.0}}', vector, %s::tsquery, 1),
               {phrase_sql}
        FROM ({recent}) AS matching"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [tsquery, *([phrase] if phrase else []), *values])
        return [Candidate(*row) for row in cursor.fetchall()]


def kind_counts(*, query: Query, where: str, params: list, limit: int) -> dict[str, int]:
    """How many of the ``limit`` most recent matches are of each kind."""
    recent, values = _recent_first(columns="kind, created_at", match=_MATCH,
                                   tsquery=to_tsquery(query), where=where, params=params,
                                   limit=limit)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT kind, count(*) FROM ({recent}) AS matching GROUP BY kind",
                       values)
        return dict(cursor.fetchall())


def title_matches(*, query: Query, where: str, params: list, limit: int) -> list[tuple]:
    """(kind, object_id, title, url, language, accepted) of the ``limit`` most recent
    documents, replies aside, whose title matches, newest first."""
    recent, values = _recent_first(
        columns="kind, object_id, title, url, language, accepted, created_at",
        match="ts_filter(vector, '{a}') @@ %s::tsquery",
        tsquery=to_tsquery(query), where=f"{TITLE_INDEX_WHERE} AND {where}", params=params,
        limit=limit)
    with connection.cursor() as cursor:
        cursor.execute("SELECT kind, object_id, title, url, language, accepted "
                       f"FROM ({recent}) AS matching", values)
        return cursor.fetchall()


def raw_match(*, query: Query, limit: int) -> list[int]:
    """The bare GIN match, for the benchmark's comparison."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM search_document WHERE vector @@ %s::tsquery "
                       "LIMIT %s", [to_tsquery(query), limit])
        return [row[0] for row in cursor.fetchall()]
