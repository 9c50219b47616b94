"""Auto-tagging and sentiment: pure functions over text, in English and Chinese.

Text is normalised with NFKC (full-width ＵＳＤＴ becomes USDT, half-width katakana joins up)
and case-folded, so rules match whatever width or case a user typed.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

NEGATIONS_EN = {"not", "no", "never", "don't", "doesn't", "didn't", "isn't", "wasn't", "can't",
                "cannot", "won't"}
NEGATIONS_ZH = ("不", "没", "没有", "别", "未")

POSITIVE_EN = {"love", "great", "good", "excellent", "awesome", "amazing", "helpful", "fast",
               "easy", "smooth", "thanks", "thank", "like", "nice", "perfect", "best",
               "improved", "useful", "happy", "intuitive", "reliable", "clear"}
NEGATIVE_EN = {"bad", "terrible", "awful", "slow", "bug", "buggy", "broken", "crash", "crashes",
               "crashed", "error", "fail", "failed", "fails", "stuck", "confusing", "hate",
               "worst", "annoying", "lost", "missing", "scam", "frozen", "delay", "delayed",
               "problem", "issue", "useless", "laggy", "lag", "unable", "wrong", "poor",
               "expensive", "hacked", "stolen"}
POSITIVE_ZH = ("喜欢", "很好", "不错", "好用", "方便", "流畅", "感谢", "谢谢", "满意", "优秀",
               "快速", "简单", "清晰", "赞", "棒", "完美", "实用", "稳定", "改进")
NEGATIVE_ZH = ("失败", "错误", "卡顿", "闪退", "崩溃", "太慢", "很慢", "变慢", "问题", "无法",
               "不能", "垃圾", "很差", "太差", "难用", "麻烦", "延迟", "丢失", "被盗", "冻结",
               "诈骗", "骗子", "投诉", "失望", "卡住", "不到账", "没到账")

WORD = re.compile(r"[a-z0-9']+")
LATIN = re.compile(r"^[\w\s'-]+$", re.ASCII)


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").casefold()


@dataclass(frozen=True)
class Rule:
    tag_id: int
    kind: str  # "keyword" or "regex"
    pattern: str


@lru_cache(maxsize=4096)
def _compile(kind: str, pattern: str) -> re.Pattern | None:
    pattern = normalize(pattern).strip()
    if not pattern:
        return None
    if kind == "regex":
        try:
            return re.compile(pattern, re.IGNORECASE)
        except re.error:
            return None
    if LATIN.match(pattern):
        # Latin words match whole words: "fee" must not fire on "feel".
        return re.compile(rf"(?<![a-z0-9]){re.escape(pattern)}(?![a-z0-9])")
    return re.compile(re.escape(pattern))


def matching_tags(text: str, rules: Iterable[Rule]) -> set[int]:
    """The ids of the tags whose rules match ``text``."""
    normalized = normalize(text)
    found = set()
    for rule in rules:
        if rule.tag_id in found:
            continue
        compiled = _compile(rule.kind, rule.pattern)
        if compiled is not None and compiled.search(normalized):
            found.add(rule.tag_id)
    return found


def sentiment(text: str) -> str:
    """"positive", "neutral" or "negative" from a small lexicon in English and Chinese.

    A negation right before a word flips it ("not good", "不好用").
    """
    normalized = normalize(text)
    score = 0
    words = WORD.findall(normalized)
    for index, word in enumerate(words):
        polarity = (word in POSITIVE_EN) - (word in NEGATIVE_EN)
        if polarity and index and words[index - 1] in NEGATIONS_EN:
            polarity = -polarity
        score += polarity
    for lexicon, polarity in ((POSITIVE_ZH, 1), (NEGATIVE_ZH, -1)):
        for term in lexicon:
            for match in re.finditer(re.escape(term), normalized):
                negated = normalized[max(0, match.start() - 2):match.start()].endswith(
                    NEGATIONS_ZH)
                # "不能"/"无法" already carry their own negation.
                score += -polarity if negated and polarity > 0 else polarity
    if score > 0:
        return "positive"
    if score < 0:
        return "negative"
    return "neutral"
