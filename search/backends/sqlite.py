"""SQLite: an FTS5 table ``search_document_fts`` (rowid = the document's id) holding the
shared tokenizer's tokens joined by spaces, one column per field. Its "ascii" tokenizer
splits on ASCII spaces and punctuation only, which our tokens never contain, so FTS5 stores
them as they are; bm25() weighs title over tags over body."""

# SQL is assembled from this module's constants and the selectors' conditions, whose values
# are always parameters.
# ruff: noqa: S608

from datetime import UTC, datetime

from django.db import connection
from django.utils.dateparse import parse_datetime

from search.backends import Candidate
from search.query import Query, phrase_fts, to_fts

SCHEMA = ["CREATE VIRTUAL TABLE search_document_fts USING fts5(title, tags, body, "
          "tokenize = 'ascii')"]
BM25 = "bm25(search_document_fts, 10.0, 4.0, 1.0)"


def vector(*, title: list[str], tags: list[str], body: list[str], created_at: datetime) -> str:
    """Nothing is kept on the document row: ``write`` fills the FTS5 table."""
    return ""


def rebuild_begin() -> None:
    """Nothing to prepare: FTS5 merges its segments as it goes."""


def rebuild_end() -> None:
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO search_document_fts (search_document_fts) VALUES "
                       "('optimize')")


def write(rows) -> None:
    """Store ``rows`` of (document id, title tokens, tags tokens, body tokens)."""
    rows = [(pk, " ".join(title), " ".join(tags), " ".join(body))
            for pk, title, tags, body in rows]
    with connection.cursor() as cursor:
        cursor.executemany("INSERT INTO search_document_fts (rowid, title, tags, body) "
                           "VALUES (%s, %s, %s, %s)", rows)


def delete(ids) -> None:
    ids = list(ids)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            cursor.execute("DELETE FROM search_document_fts WHERE rowid IN "
                           f"({', '.join(['%s'] * len(chunk))})", chunk)


def clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_document_fts")


def _aware(value) -> datetime:
    """A stored datetime (UTC, naive; text when the column's type is not declared)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    return value.replace(tzinfo=UTC)


def candidates(*, query: Query, where: str, params: list, limit: int) -> list[Candidate]:
    phrase = phrase_fts(query)
    phrase_sql = ("search_document.id IN (SELECT rowid FROM search_document_fts "
                  "WHERE search_document_fts MATCH %s)") if phrase else "0"
    sql = f"""
        SELECT search_document.id, kind, object_id, language, created_at, staff, accepted,
               -{BM25}, {phrase_sql}
        FROM search_document_fts JOIN search_document
             ON search_document.id = search_document_fts.rowid
        WHERE search_document_fts MATCH %s AND {where}
        ORDER BY created_at DESC LIMIT %s"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [*([phrase] if phrase else []), to_fts(query), *params, limit])
        return [Candidate(*row[:4], _aware(row[4]), bool(row[5]), bool(row[6]), row[7],
                          bool(row[8]))
                for row in cursor.fetchall()]


def kind_counts(*, query: Query, where: str, params: list, limit: int) -> dict[str, int]:
    sql = f"""
        SELECT kind, count(*) FROM (
            SELECT kind FROM search_document_fts JOIN search_document
                 ON search_document.id = search_document_fts.rowid
            WHERE search_document_fts MATCH %s AND {where}
            ORDER BY created_at DESC LIMIT %s)
        GROUP BY kind"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [to_fts(query), *params, limit])
        return dict(cursor.fetchall())


def title_matches(*, query: Query, where: str, params: list, limit: int) -> list[tuple]:
    sql = f"""
        SELECT kind, object_id, search_document.title, url, language, accepted
        FROM search_document_fts JOIN search_document
             ON search_document.id = search_document_fts.rowid
        WHERE search_document_fts MATCH %s AND kind <> 'post' AND {where}
        ORDER BY created_at DESC LIMIT %s"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [to_fts(query, column="title"), *params, limit])
        return cursor.fetchall()


def raw_match(*, query: Query, limit: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rowid FROM search_document_fts WHERE search_document_fts "
                       "MATCH %s LIMIT %s", [to_fts(query), limit])
        return [row[0] for row in cursor.fetchall()]
