"""The search backend of the default database: PostgreSQL full text (a weighted tsvector
with a GIN index) or SQLite FTS5. Both are fed by ``search.tokenizer`` and answer the same
``search.query.Query``; they only store tokens and find candidates, ranking is shared."""

from dataclasses import dataclass
from datetime import datetime

from django.db import connection


@dataclass(frozen=True, slots=True)
class Candidate:
    id: int
    kind: str
    object_id: int
    language: str
    created_at: datetime
    staff: bool
    accepted: bool
    text_rank: float  # the backend's own text relevance, larger is better
    phrase: bool  # the query's words appear as one phrase


def backend():
    if connection.vendor == "postgresql":
        from search.backends import postgres
        return postgres
    from search.backends import sqlite
    return sqlite
