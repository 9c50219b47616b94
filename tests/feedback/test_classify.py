"""Auto-tag rules and sentiment: pure functions over text, English and Chinese."""

import pytest

from feedback.classify import Rule, matching_tags, normalize, sentiment

WITHDRAWAL, FEES, LOGIN, DARK, SECURITY = 1, 2, 3, 4, 5


def kw(tag_id: int, pattern: str) -> Rule:
    return Rule(tag_id=tag_id, kind="keyword", pattern=pattern)


def rx(tag_id: int, pattern: str) -> Rule:
    return Rule(tag_id=tag_id, kind="regex", pattern=pattern)


# --- keywords ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["USDT withdrawal", "usdt withdrawal", "ＵＳＤＴ withdrawal",
                                  "Usdt 提现", "ｕｓｄｔ"])
def test_keywords_ignore_case_and_width(text):
    assert matching_tags(text, [kw(WITHDRAWAL, "USDT")]) == {WITHDRAWAL}


@pytest.mark.parametrize("pattern", ["usdt", "USDT", "ＵＳＤＴ"])
def test_a_full_width_or_upper_case_rule_matches_plain_text(pattern):
    assert matching_tags("my usdt is late", [kw(WITHDRAWAL, pattern)]) == {WITHDRAWAL}


@pytest.mark.parametrize(("text", "fires"), [
    ("the fee is too high", True),
    ("Fee: 0.1%", True),
    ("FEE!", True),
    ("手续费fee太高", True),       # Chinese around a Latin word is still a word boundary
    ("I feel the app is slow", False),
    ("coffee break", False),
    ("feedback please", False),
    ("fees", False),  # a different word; the rule set lists "fees" separately
])
def test_latin_keywords_match_whole_words_only(text, fires):
    assert (matching_tags(text, [kw(FEES, "fee")]) == {FEES}) is fires


def test_latin_phrases_match_across_any_whitespace():
    rule = [kw(LOGIN, "log in")]
    assert matching_tags("I cannot log in", rule) == {LOGIN}
    assert matching_tags("I cannot LOG  IN since Monday", rule) == {LOGIN}
    assert matching_tags("I cannot log\nin", rule) == {LOGIN}
    assert matching_tags("the catalog index", rule) == set()


@pytest.mark.parametrize("text", ["提现失败怎么办", "请问提现多久到", "USDT提现"])
def test_chinese_keywords_match_inside_text(text):
    assert matching_tags(text, [kw(WITHDRAWAL, "提现")]) == {WITHDRAWAL}


def test_chinese_keyword_absent():
    assert matching_tags("充值失败怎么办", [kw(WITHDRAWAL, "提现")]) == set()


def test_several_tags_and_rules():
    rules = [kw(WITHDRAWAL, "withdraw"), kw(WITHDRAWAL, "提现"), kw(FEES, "手续费"),
             kw(DARK, "dark mode"), kw(SECURITY, "2fa")]
    text = "提现手续费太高 and please add Dark Mode"
    assert matching_tags(text, rules) == {WITHDRAWAL, FEES, DARK}


def test_empty_and_blank_patterns_never_match():
    assert matching_tags("anything at all", [kw(FEES, ""), kw(FEES, "   "), rx(FEES, "")]) \
        == set()
    assert matching_tags("", [kw(FEES, "fee")]) == set()


# --- regular expressions ----------------------------------------------------------------------

def test_regex_rules_match_normalised_text():
    rules = [rx(WITHDRAWAL, r"usdt.{0,20}(trc|erc)-?20")]
    assert matching_tags("USDT 提现一直没到账，TRC-20 网络", rules) == {WITHDRAWAL}
    assert matching_tags("ＵＳＤＴ via ＥＲＣ20", rules) == {WITHDRAWAL}
    assert matching_tags("USDT on Solana", rules) == set()


def test_regex_rules_ignore_case_of_the_pattern():
    assert matching_tags("order 123 failed", [rx(FEES, r"ORDER \d+ FAILED")]) == {FEES}


def test_regex_escapes_keep_their_meaning():
    """Upper-case escapes are not case-folded into their opposites (\\S is not \\s)."""
    assert matching_tags("trc-20", [rx(WITHDRAWAL, r"trc\S20")]) == {WITHDRAWAL}
    assert matching_tags("trc 20", [rx(WITHDRAWAL, r"trc\S20")]) == set()
    assert matching_tags("code A7", [rx(FEES, r"code \D\d")]) == {FEES}
    assert matching_tags("a withdraw", [rx(WITHDRAWAL, r"\Aa withdraw\Z")]) == {WITHDRAWAL}


@pytest.mark.parametrize("bad", [r"usdt(", r"[a-", r"*fee", r"(?P<x", "\\"])
def test_a_bad_regex_is_ignored_and_the_others_still_apply(bad):
    rules = [rx(FEES, bad), kw(WITHDRAWAL, "提现"), rx(LOGIN, r"log ?in")]
    assert matching_tags("提现后无法 login，*fee usdt(", rules) == {WITHDRAWAL, LOGIN}


def test_normalize_folds_width_case_and_typographic_apostrophes():
    assert normalize("ＵＳＤＴ Ｆｅｅ") == "usdt fee"
    assert normalize("Don’t") == "don't"
    assert normalize(None) == ""


# --- sentiment --------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "I love the new grid bot, great job",
    "Fast and easy withdrawals, thanks!",
    "The app is not bad at all",
    "很好用，谢谢",
    "界面很好用",
    "新版本流畅多了，很满意",
    "提现没问题，速度很快",
])
def test_positive(text):
    assert sentiment(text) == "positive"


@pytest.mark.parametrize("text", [
    "The app crashes every time I open it",
    "withdrawal failed and support is slow",
    "This is not good",
    "It is not very good",
    "The new chart isn’t helpful",  # typographic apostrophe from a phone keyboard
    "Don't like the new layout",
    "不好用",
    "新版不太好用",
    "这个功能不是很好用",
    "提现失败怎么办",
    "USDT 提现一直没到账，TRC-20 网络",
    "我不喜欢新界面",
    "对客服很不满意",
])
def test_negative(text):
    assert sentiment(text) == "negative"


@pytest.mark.parametrize("text", [
    "How do I change my nickname?",
    "请问怎么修改昵称",
    "Please add a BTC-EUR pair",
    "",
    "12345",
])
def test_neutral(text):
    assert sentiment(text) == "neutral"


def test_sentiment_ignores_width_and_case():
    assert sentiment("ＧＲＥＡＴ APP") == "positive"
    assert sentiment("NOT GOOD") == "negative"
