"""Keyword and regular-expression rules over user text, in any language.

Text is normalised with NFKC (full-width ＵＳＤＴ becomes USDT, half-width katakana joins up)
and case-folded, so rules match whatever width or case a user typed. Feedback auto-tagging and
ticket classification both match their admin-managed rules this way.
"""

import re
import unicodedata
from functools import lru_cache

LATIN = re.compile(r"^[\w\s'-]+$", re.ASCII)
# A backslash escape in a regular expression: \S, \D, \W, \B, \A, \Z must keep their case.
_ESCAPE = re.compile(r"(\\.)", re.DOTALL)


def normalize(text: str) -> str:
    # NFKC leaves typographic apostrophes alone; phone keyboards type "don’t".
    return unicodedata.normalize("NFKC", text or "").casefold().replace("\u2019", "'")


def _normalize_regex(pattern: str) -> str:
    r"""Fold a rule's regular expression like the text, except its escapes (\S is not \s)."""
    return "".join(part if part.startswith("\\") else normalize(part)
                   for part in _ESCAPE.split(unicodedata.normalize("NFKC", pattern)))


@lru_cache(maxsize=4096)
def compile_pattern(kind: str, pattern: str) -> re.Pattern | None:
    """The compiled form of a rule (``kind`` "keyword" or "regex") to search normalised text
    with, or None when the pattern is empty or not a valid regular expression."""
    if kind == "regex":
        pattern = _normalize_regex(pattern).strip()
        if not pattern:
            return None
        try:
            return re.compile(pattern, re.IGNORECASE)
        except (re.error, RecursionError, OverflowError):
            return None  # a staff typo must not stop the other rules (or the pipeline)
    pattern = normalize(pattern).strip()
    if not pattern:
        return None
    # A phrase matches whatever whitespace the user typed between its words.
    escaped = r"\s+".join(re.escape(word) for word in pattern.split())
    if LATIN.match(pattern):
        # Latin words match whole words: "fee" must not fire on "feel".
        return re.compile(rf"(?<![a-z0-9]){escaped}(?![a-z0-9])")
    return re.compile(escaped)
