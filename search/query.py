"""The query language, parsed once and rendered for either backend.

Words must all match; ``"exact phrase"``; ``-word`` or ``-"phrase"`` excludes; ``OR`` between
two items makes either do. Every word goes through ``search.tokenizer.query_tokens``, so a word
that the tokenizer splits (a CJK run, "USDT提现") is matched as a phrase of its tokens.
"""

import re
from dataclasses import dataclass, field

from search.tokenizer import QueryToken, query_tokens

MAX_LENGTH = 200
MAX_UNITS = 10
# Bare English words that match nearly every document: dropped unless nothing else is left
# (inside quotes they count).
STOPWORDS = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "how", "i", "in", "is",
    "it", "of", "on", "or", "that", "the", "this", "to", "was", "what", "when", "where",
    "which", "who", "why", "will", "with"))
_ITEM_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')

Unit = tuple[QueryToken, ...]  # tokens at consecutive positions


@dataclass
class Query:
    groups: list[list[Unit]] = field(default_factory=list)  # all groups; any unit of each
    excluded: list[Unit] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)  # the positive words, as typed
    # The single words in their order, matched as one phrase to rank exact matches first.
    phrase: Unit = ()

    def __bool__(self) -> bool:
        return bool(self.groups)

    def positive_tokens(self) -> list[QueryToken]:
        return [token for group in self.groups for unit in group for token in unit]


def parse(text: str, *, drop_stopwords: bool = True) -> Query:
    """The query in ``text`` (at most MAX_LENGTH characters, MAX_UNITS items). Empty when
    nothing positive is left: no words, only exclusions or only punctuation."""
    query = Query()
    items: list[tuple[bool, bool, str]] = []  # (excluded, quoted, text)
    for match in _ITEM_RE.finditer((text or "")[:MAX_LENGTH]):
        minus, quoted, word = match.group(1), match.group(2), match.group(3)
        if quoted is not None:
            items.append((bool(minus), True, quoted))
        elif word.startswith("-") and len(word) > 1:
            items.append((True, False, word[1:]))
        else:
            items.append((False, False, word))
    either = False
    single_words: list[str] = []
    droppable: list[int] = []
    for excluded, quoted, raw in items:
        if not quoted and not excluded and raw == "OR":
            either = bool(query.groups)
            continue
        unit = tuple(query_tokens(raw))
        if not unit:
            either = False
            continue
        if excluded:
            query.excluded.append(unit)
        elif either:
            query.groups[-1].append(unit)
            query.terms.append(raw)
        else:
            if drop_stopwords and not quoted and len(unit) == 1 and raw.lower() in STOPWORDS:
                droppable.append(len(query.groups))
            query.groups.append([unit])
            query.terms.append(raw)
            if not quoted:
                single_words.append(raw)
        either = False
        if len(query.groups) + len(query.excluded) >= MAX_UNITS:
            break
    if len(droppable) < len(query.groups):
        query.groups = [group for index, group in enumerate(query.groups)
                        if index not in droppable]
    # "ton -ton" can match nothing, and finding that out would make the database check
    # every document holding the word.
    if any(group == [unit] for group in query.groups for unit in query.excluded):
        return Query(terms=query.terms)
    if len(single_words) > 1 and all(len(group) == 1 for group in query.groups):
        query.phrase = tuple(query_tokens(" ".join(single_words)))
    return query


def prefix_query(text: str) -> Query:
    """What suggestions match for ``text`` being typed: its words, the last as a prefix."""
    query = parse(text, drop_stopwords=False)
    if not query or text[-1:].isspace():
        return query
    last = query.groups[-1][-1]
    query.groups[-1][-1] = last[:-1] + (QueryToken(last[-1].text, prefix=True),)
    return query


def token_matches(query: Query):
    """A predicate telling whether an index token matches one of ``query``'s positive tokens
    (for highlighting)."""
    exact = {token.text for token in query.positive_tokens() if not token.prefix}
    prefixes = tuple(token.text for token in query.positive_tokens() if token.prefix)
    return lambda text: text in exact or (bool(prefixes) and text.startswith(prefixes))


# PostgreSQL tsquery syntax.

def _ts_token(token: QueryToken) -> str:
    quoted = "'" + token.text.replace("\\", "\\\\").replace("'", "''") + "'"
    return quoted + ":*" if token.prefix else quoted


def _ts_unit(unit: Unit) -> str:
    return "(" + " <-> ".join(_ts_token(token) for token in unit) + ")"


def to_tsquery(query: Query) -> str:
    parts = ["(" + " | ".join(_ts_unit(unit) for unit in group) + ")" for group in query.groups]
    parts += ["!" + _ts_unit(unit) for unit in query.excluded]
    return " & ".join(parts)


def phrase_tsquery(query: Query) -> str:
    return _ts_unit(query.phrase) if query.phrase else ""


# SQLite FTS5 MATCH syntax.

def _fts_unit(unit: Unit) -> str:
    return "(" + " + ".join('"' + token.text.replace('"', '""') + '"'
                            + ("*" if token.prefix else "") for token in unit) + ")"


def to_fts(query: Query, *, column: str = "") -> str:
    parts = ["(" + " OR ".join(_fts_unit(unit) for unit in group) + ")"
             for group in query.groups]
    match = " AND ".join(parts)
    if column:
        match = f"{{{column}}} : ({match})"
    for unit in query.excluded:
        match = f"({match}) NOT {_fts_unit(unit)}"
    return match


def phrase_fts(query: Query) -> str:
    return _fts_unit(query.phrase) if query.phrase else ""
