"""The tokenizer and the query language, without a database."""

from search.query import parse, prefix_query, to_fts, to_tsquery
from search.tokenizer import QueryToken, query_tokens, token_texts, tokens


def test_english_words_are_stemmed_and_lowercased():
    assert token_texts("Withdrawals WITHDRAWING withdraw") == ["withdraw"] * 3


def test_full_width_text_is_normalised():
    assert token_texts("ＵＳＤＴ １２３") == ["usdt", "123"]


def test_cjk_runs_become_overlapping_bigrams_ending_with_the_last_character():
    assert token_texts("提现失败") == ["提现", "现失", "失败", "败"]
    assert token_texts("USDT提现") == ["usdt", "提现", "现"]
    assert token_texts("出金する") == ["出金", "金す", "する", "る"]


def test_token_offsets_point_into_the_original_text():
    text = "Ｆｕｌｌ 提现"
    assert [(t.text, text[t.start:t.end]) for t in tokens(text)] == [
        ("full", "Ｆｕｌｌ"), ("提现", "提现"), ("现", "现")]


def test_query_tokens_match_what_documents_hold():
    assert query_tokens("提现") == [QueryToken("提现")]
    assert query_tokens("提") == [QueryToken("提", prefix=True)]
    assert query_tokens("提现失败") == [QueryToken("提现"), QueryToken("现失"),
                                      QueryToken("失败")]
    # Inside a phrase the run ends where the document's run ends: its last character follows.
    assert query_tokens("提现 usdt") == [QueryToken("提现"), QueryToken("现"),
                                        QueryToken("usdt")]


def test_parse_words_phrases_exclusions_and_or():
    query = parse('fees "fast withdrawal" -spam btc OR eth')
    assert query.terms == ["fees", "fast withdrawal", "btc", "eth"]
    assert to_tsquery(query) == ("(('fee')) & (('fast' <-> 'withdraw')) & (('btc') | ('eth'))"
                                 " & !('spam')")
    assert to_fts(query) == ('((("fee")) AND (("fast" + "withdraw")) AND (("btc") OR ("eth")))'
                             ' NOT ("spam")')


def test_stopwords_are_dropped_unless_nothing_else_is_left():
    assert parse("how to withdraw").terms == ["how", "to", "withdraw"]
    assert to_tsquery(parse("how to withdraw")) == "(('withdraw'))"
    assert to_tsquery(parse("the")) == "(('the'))"


def test_empty_unparseable_and_exclusion_only_queries_are_empty():
    for text in ("", "   ", "!!! ???", "-spam", '-"bad phrase"', "OR", '""', "ton -TON"):
        assert not parse(text), text


def test_query_length_and_items_are_limited():
    query = parse(" ".join(f"word{n}" for n in range(50)))
    assert len(query.groups) == 10
    assert not parse(" " * 250 + "word")


def test_quotes_and_operators_in_text_are_only_separators():
    query = parse("it's a\\b & !c | d:*")
    assert to_tsquery(query) == "(('it' <-> 's')) & (('a' <-> 'b')) & (('c')) & (('d'))"


def test_prefix_query_completes_the_last_word():
    assert to_tsquery(prefix_query("usdt with")) == "(('usdt')) & (('with':*))"
    assert to_tsquery(prefix_query("usdt with ")) == "(('usdt')) & (('with'))"
