"""Auto-tagging and sentiment: pure functions over text, in English and Chinese.

Text is normalised by ``core.textmatch`` (NFKC and case folding), so rules match whatever
width or case a user typed.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from core.textmatch import compile_pattern, normalize

NEGATIONS_EN = {"not", "no", "never", "don't", "doesn't", "didn't", "isn't", "wasn't", "can't",
                "cannot", "won't", "aren't", "weren't", "hasn't", "haven't", "hardly",
                "couldn't", "wouldn't", "shouldn't", "nothing", "without"}
# Words that may stand between a negation and what it negates: "not very good".
INTENSIFIERS_EN = {"very", "really", "so", "too", "that", "quite", "particularly", "at", "all",
                   "even", "always"}
# A Chinese negation right before a term, or with a degree word between: 不好用, 不太好用,
# 不是很好用, 没那么好用, 没有问题.
NEGATED_ZH = re.compile(r"(?:不|没有?|别|未)(?:是|太|很|那么|怎么|够|大|算|再|是很|是太)?$")

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
               "诈骗", "骗子", "投诉", "失望", "卡住", "不到账", "没到账", "没有到账",
               "未到账")

WORD = re.compile(r"[a-z0-9']+")


@dataclass(frozen=True)
class Rule:
    tag_id: int
    kind: str  # "keyword" or "regex"
    pattern: str


def matching_tags(text: str, rules: Iterable[Rule]) -> set[int]:
    """The ids of the tags whose rules match ``text``."""
    normalized = normalize(text)
    found = set()
    for rule in rules:
        if rule.tag_id in found:
            continue
        compiled = compile_pattern(rule.kind, rule.pattern)
        if compiled is not None and compiled.search(normalized):
            found.add(rule.tag_id)
    return found


def sentiment(text: str) -> str:
    """"positive", "neutral" or "negative" from a small lexicon in English and Chinese.

    A negation right before a word flips it ("not good", "not very good", "不好用",
    "不太好用", "没问题").
    """
    normalized = normalize(text)
    score = 0
    words = WORD.findall(normalized)
    for index, word in enumerate(words):
        polarity = (word in POSITIVE_EN) - (word in NEGATIVE_EN)
        if polarity and _negated_en(words, index):
            polarity = -polarity
        score += polarity
    for lexicon, polarity in ((POSITIVE_ZH, 1), (NEGATIVE_ZH, -1)):
        for term in lexicon:
            for match in re.finditer(re.escape(term), normalized):
                # Terms such as 不能, 无法, 没到账 carry their own negation; a negation before
                # one flips it (没问题 is "no problem").
                negated = NEGATED_ZH.search(normalized, max(0, match.start() - 4), match.start())
                score += -polarity if negated else polarity
    if score > 0:
        return "positive"
    if score < 0:
        return "negative"
    return "neutral"


def _negated_en(words: list[str], index: int) -> bool:
    """Whether a negation stands before ``words[index]``, maybe with intensifiers between."""
    for before in reversed(words[max(0, index - 3):index]):
        if before in NEGATIONS_EN:
            return True
        if before not in INTENSIFIERS_EN:
            return False
    return False
