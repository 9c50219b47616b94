"""The one tokenizer of the search index: documents and queries go through it on both backends,
so PostgreSQL and SQLite FTS5 see exactly the same tokens at the same positions.

Text is NFKC-normalised (full-width letters and digits become ASCII) and lowercased. Runs of
letters and digits are words, stemmed as English ("withdrawals" -> "withdraw"). Runs of Chinese,
Japanese or Korean characters have no spaces to split on and no dictionary is shipped, so each
character position holds the overlapping bigram starting there, and the last character of a run
holds itself: "提现失败" -> 提现 现失 失败 败. Then a two-character query is one token, a longer
one is the phrase of its bigrams, and a one-character query is a prefix match (every character
starts some token), on both backends.
"""

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

# Han (with extensions and compatibility ideographs), kana, Hangul syllables.
_CJK = ("\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
        "\U00020000-\U0002fa1f")
_TOKEN_RE = re.compile(rf"([{_CJK}]+)|([^\W_{_CJK}]+)")
# Longer "words" are hashes, addresses or keyboard mashing: never worth a lexeme.
MAX_WORD = 40
_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word) if word.isascii() and word.isalpha() else word


def normalise(text: str) -> str:
    return text.lower() if text.isascii() else unicodedata.normalize("NFKC", text).lower()


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int  # offsets in the text given
    end: int
    cjk: bool


def _normalised_with_offsets(text: str) -> tuple[str, list[int]]:
    """``text`` normalised character by character, and for each normalised character the
    offset of the character it came from (NFKC may turn one character into several)."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    parts, origins = [], []
    for offset, char in enumerate(text):
        folded = normalise(char)
        parts.append(folded)
        origins.extend([offset] * len(folded))
    return "".join(parts), origins


def tokens(text: str) -> Iterator[Token]:
    """The index tokens of ``text`` in order, one per position, with their offsets in
    ``text`` (for highlighting)."""
    normalised, origins = _normalised_with_offsets(text)
    origins.append(len(text))
    for match in _TOKEN_RE.finditer(normalised):
        run, start = match.group(), match.start()
        if match.group(1):
            for i in range(len(run) - 1):
                yield Token(run[i:i + 2], origins[start + i], origins[start + i + 2], True)
            end = start + len(run)
            yield Token(run[-1], origins[end - 1], origins[end], True)
        elif len(run) <= MAX_WORD:
            yield Token(stem(run), origins[start], origins[match.end()], False)


def token_texts(text: str) -> list[str]:
    """The index tokens of ``text`` in order: what both backends store."""
    found: list[str] = []
    for cjk, word in _TOKEN_RE.findall(normalise(text)):
        if cjk:
            found.extend([cjk[i:i + 2] for i in range(len(cjk) - 1)])
            found.append(cjk[-1])
        elif len(word) <= MAX_WORD:
            found.append(stem(word))
    return found


@dataclass(frozen=True, slots=True)
class QueryToken:
    text: str
    prefix: bool = False  # matches any token starting with ``text``


def query_tokens(text: str) -> list[QueryToken]:
    """The tokens a query word or phrase must match at consecutive positions. A CJK run is the
    chain of its bigrams; its trailing single character only when more follows in the phrase
    (in a document a run ends there too, so that position holds the character); a lone CJK
    character at the end is a prefix, as it starts the bigram at its position."""
    found: list[QueryToken] = []
    matches = list(_TOKEN_RE.finditer(normalise(text)))
    for index, match in enumerate(matches):
        run, last = match.group(), index == len(matches) - 1
        if match.group(1):
            found.extend(QueryToken(run[i:i + 2]) for i in range(len(run) - 1))
            if len(run) == 1:
                found.append(QueryToken(run, prefix=last))
            elif not last:
                found.append(QueryToken(run[-1]))
        elif len(run) <= MAX_WORD:
            found.append(QueryToken(stem(run)))
    return found
