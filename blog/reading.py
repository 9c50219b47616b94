"""Reading time and the source fingerprint of an article's translation."""

import hashlib
import math
import re

LATIN_WORDS_PER_MINUTE = 230
CJK_CHARACTERS_PER_MINUTE = 400
# Han ideographs, kana and hangul: read character by character, written without spaces.
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def reading_minutes(text: str) -> int:
    """Minutes to read ``text``: words of space-separated scripts at 230 a minute, CJK
    characters at 400 a minute; at least one."""
    characters = len(CJK.findall(text))
    words = len(WORD.findall(CJK.sub(" ", text)))
    return max(1, math.ceil(words / LATIN_WORDS_PER_MINUTE
                            + characters / CJK_CHARACTERS_PER_MINUTE))


def source_hash(*, title: str, summary: str, body: str) -> str:
    """A fingerprint of the text translators translate: it changes when any of it does."""
    text = "\x1f".join((title.strip(), summary.strip(), body.strip()))
    return hashlib.sha256(text.encode()).hexdigest()
