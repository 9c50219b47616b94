"""The search suite: the same tests run on whichever backend the settings give (SQLite FTS5
in the embedded run, PostgreSQL in the PG run). Content is written through the apps'
services, so these also prove the index is kept in step."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from blog.models import Article
from blog.services import article_archive, article_publish
from feedback.services import feedback_submit, item_merge
from forum.answers import answer_accept
from forum.models import Category
from forum.moderation import flags_review
from forum.move import topic_merge, topic_move, topic_split
from forum.search import topic_reindex
from forum.services import post_edit, post_hide
from forum.staff import topic_hide
from search.selectors import search_categories, search_run, suggestions_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ANONYMOUS = AnonymousUser()


def test_english_stemming(make_topic, find):
    make_topic(title="Withdrawal stuck for hours", body="It never arrived.")
    assert find("withdrawals") == ["Withdrawal stuck for hours"]
    assert find("withdrawing") == ["Withdrawal stuck for hours"]


def test_all_words_must_match(make_topic, find):
    make_topic(title="Withdrawal of USDT", body="Pending for a day.")
    make_topic(title="Withdrawal of BTC", body="Pending for a day.")
    assert find("withdrawal usdt") == ["Withdrawal of USDT"]


def test_exact_phrase(make_topic, find):
    make_topic(title="Card payment question", body="The fee was taken twice.")
    make_topic(title="Fee schedule", body="Twice a month the fee changes.")
    assert find('"fee was taken"') == ["Card payment question"]
    assert find('"taken fee"') == []


def test_exclusion(make_topic, find):
    make_topic(title="Staking rewards in ETH", body="Paid daily.")
    make_topic(title="Staking rewards in SOL", body="Paid daily.")
    assert find("staking -sol") == ["Staking rewards in ETH"]
    assert find('staking -"in sol"') == ["Staking rewards in ETH"]


def test_or(make_topic, find):
    make_topic(title="Bitcoin halving", body="Soon.")
    make_topic(title="Ethereum merge", body="Done.")
    make_topic(title="Solana outage", body="Again.")
    assert sorted(find("bitcoin OR ethereum")) == ["Bitcoin halving", "Ethereum merge"]


def test_two_character_chinese_query_finds_longer_text(make_topic, find):
    make_topic(title="提现失败怎么办", body="我的提现一直在处理中。", language="zh-hans")
    make_topic(title="充值到账很慢", body="等了两个小时。", language="zh-hans")
    assert find("提现") == ["提现失败怎么办"]
    assert find("失败") == ["提现失败怎么办"]
    assert find("提现失败") == ["提现失败怎么办"]
    assert find("现失败") == ["提现失败怎么办"]
    assert find("失败提现") == []


@pytest.mark.parametrize("character", ["提", "现", "办"])
def test_one_character_chinese_query(make_topic, find, character):
    make_topic(title="提现失败怎么办", body="请帮忙看看。", language="zh-hans")
    make_topic(title="充值到账很慢", body="等了两个小时。", language="zh-hans")
    assert find(character) == ["提现失败怎么办"]


def test_japanese_text(make_topic, find):
    make_topic(title="出金できません", body="エラーが出ます。", language="en")
    assert find("出金") == ["出金できません"]
    assert find("エラー") == ["出金できません"]


def test_mixed_queries(make_topic, find):
    make_topic(title="USDT提现失败", body="链上一直没有到账。", language="zh-hans")
    make_topic(title="BTC提现成功", body="很快。", language="zh-hans")
    make_topic(title="USDT充值", body="到账了。", language="zh-hans")
    assert find("USDT 提现") == ["USDT提现失败"]
    assert find("usdt提现") == ["USDT提现失败"]
    assert find('"USDT提现"') == ["USDT提现失败"]


def test_full_width_query_finds_ascii_text(make_topic, find):
    make_topic(title="USDT fees", body="Why so high?")
    assert find("ＵＳＤＴ") == ["USDT fees"]


def test_title_ranks_above_body(make_topic, find):
    # The title match is the older one: recency alone would put the other first.
    make_topic(title="Margin call rules", body="Explain please.")
    make_topic(title="General chat", body="Margin call rules? The margin call rules, margin.")
    assert find("margin") == ["Margin call rules", "General chat"]


def test_exact_phrase_matches_first(make_topic, find):
    # The phrase is only in an older body; the other has both words, newer and in its title.
    make_topic(title="Order types", body="A slow market order fills later.")
    make_topic(title="Market was slow today", body="My order stayed open.")
    assert find("slow market") == ["Order types", "Market was slow today"]


def test_accepted_answer_is_boosted(make_topic, make_reply, qa_category, forum_member, find):
    topic = make_topic(category=qa_category, title="Question about fees", body="Which?")
    # The answer is the older of two equal replies: only the boost can put it first.
    answer = make_reply(topic=topic, body="The maker rebate applies to VIP levels.")
    other = make_reply(topic=topic, body="The maker rebate applies to VIP levels!")
    hits = search_run(user=ANONYMOUS, text="maker rebate").hits
    assert [(hit.url.endswith(f"/forum/p/{other.pk}/"), hit.accepted_label) for hit in hits] \
        == [(True, ""), (False, "")]
    answer_accept(post=answer, by=topic.author)
    hits = search_run(user=ANONYMOUS, text="maker rebate").hits
    assert [hit.url for hit in hits][0].endswith(f"/forum/p/{answer.pk}/")
    assert hits[0].accepted_label == "Accepted answer"


def test_recent_content_preferred(make_topic, find):
    from search.models import Document

    old = make_topic(title="Airdrop schedule", body="Listed here.")
    make_topic(title="Airdrop schedule again", body="Listed here.")
    Document.objects.filter(kind="topic", object_id=old.pk).update(
        created_at=timezone.now() - timedelta(days=400))
    assert find("airdrop schedule") == ["Airdrop schedule again", "Airdrop schedule"]


def test_staff_posts_flagged_and_boosted(make_topic, make_article, find):
    staff = UserFactory(is_staff=True)
    # The staff topic is the older one: only the boost can put it first.
    make_topic(author=staff, title="Maintenance notice", body="Tonight.")
    make_topic(title="Maintenance notice", body="Tonight.")
    hits = search_run(user=ANONYMOUS, text="maintenance").hits
    assert [hit.staff for hit in hits] == [True, False]
    # Every article is by staff: a badge there would tell nothing.
    make_article(title="Maintenance report")
    (article,) = search_run(user=ANONYMOUS, text="maintenance", kinds=["article"]).hits
    assert not article.staff


def test_highlighting_escapes_html(make_topic):
    feedback_submit(source="web", author=UserFactory(), title="Script question",
                    body="Is <script>alert(1)</script> safe with USDT?", language="en")
    make_topic(title="Comparing prices", body="When a < b & c > d for <b>BTC</b>")
    (hit,) = search_run(user=ANONYMOUS, text="usdt").hits
    assert "<script>" not in hit.snippet
    assert "&lt;script&gt;" in hit.snippet
    assert "<mark>USDT</mark>" in hit.snippet
    (hit,) = search_run(user=ANONYMOUS, text="btc").hits
    assert "a &lt; b &amp; c &gt; d" in hit.snippet and "<mark>BTC</mark>" in hit.snippet


def test_highlighting_chinese_and_stems(make_topic):
    make_topic(title="提现的问题", body="昨天提现失败了, withdrawals fail", language="zh-hans")
    (hit,) = search_run(user=ANONYMOUS, text="提现 withdrawal").hits
    assert "<mark>提现</mark>" in hit.snippet
    assert "<mark>withdrawals</mark>" in hit.snippet


def test_snippet_is_around_the_first_match(make_topic):
    make_topic(title="Long one", body="filler " * 100 + "the keyword zebra here " + "x " * 200)
    (hit,) = search_run(user=ANONYMOUS, text="zebra").hits
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert "<mark>zebra</mark>" in hit.snippet and len(hit.snippet) < 300


# Never leak.

def test_hidden_reply_never_appears(make_topic, make_reply, forum_member, find):
    topic = make_topic(title="Open topic", body="Nothing here.")
    reply = make_reply(topic=topic, body="secretword in a reply")
    assert len(find("secretword")) == 1
    post_hide(post=reply, by=forum_member, hidden=True)
    assert find("secretword") == []
    post_hide(post=reply, by=forum_member, hidden=False)
    assert len(find("secretword")) == 1


def test_hidden_topic_hides_its_replies(make_topic, make_reply, forum_member, find):
    topic = make_topic(title="Hideme topic", body="secretword opening")
    make_reply(topic=topic, body="secretword reply")
    assert len(find("secretword")) == 2
    post_hide(post=topic.posts.get(number=1), by=forum_member, hidden=True)
    assert find("secretword") == [] and find("hideme") == []
    post_hide(post=topic.posts.get(number=1), by=forum_member, hidden=False)
    assert len(find("secretword")) == 2


def test_topic_hidden_by_staff_leaves_search(make_topic, make_reply, find):
    """The admin's hide action and the staff tool (forum.staff.topic_hide)."""
    topic = make_topic(title="Hideme staff topic", body="staffword opening")
    make_reply(topic=topic, body="staffword reply")
    staff = UserFactory(is_staff=True)
    topic_hide(topic=topic, by=staff, hidden=True)
    assert find("staffword") == [] and find("hideme") == []
    topic_hide(topic=topic, by=staff, hidden=False)
    assert len(find("staffword")) == 2


def test_post_hidden_by_staff_review(make_topic, make_reply, find):
    topic = make_topic(title="Review topic", body="Nothing here.")
    reply = make_reply(topic=topic, body="spamword buy now")
    flags_review(post=reply, by=UserFactory(is_staff=True), action="hide")
    assert find("spamword") == []


def test_drafts_scheduled_and_archived_articles_never_appear(make_article, find):
    make_article(title="Draft zebra", status=Article.Status.DRAFT)
    make_article(title="Scheduled zebra", published_at=timezone.now() + timedelta(days=1))
    archived = make_article(title="Archived zebra")
    article_archive(article=archived)
    make_article(title="Live zebra")
    assert find("zebra") == ["Live zebra"]


def test_scheduled_article_appears_when_its_time_comes(make_article, find, monkeypatch):
    article = make_article(title="Scheduled zebra", status=Article.Status.DRAFT)
    at = timezone.now() + timedelta(hours=1)
    article_publish(article=article, at=at)
    assert find("zebra") == []
    # The clock moves past the publishing time (which may fall on the next day, week or month).
    monkeypatch.setattr(timezone, "now", lambda: at + timedelta(seconds=1))
    assert find("zebra") == ["Scheduled zebra"]


def test_private_feedback_never_appears(find):
    author = UserFactory()
    feedback_submit(source="web", author=author, title="Dark mode zebra", body="Please.",
                    language="en")
    feedback_submit(source="tickets.ticket", author=author, title="Ticket zebra",
                    body="Private.", language="en")
    feedback_submit(source="surveys.answer", author=author, title="Survey zebra",
                    body="Private.", language="en")
    assert find("zebra") == ["Dark mode zebra"]


def test_merged_duplicate_feedback_leaves(find):
    author = UserFactory()
    first = feedback_submit(source="web", author=author, title="Zebra theme", body="",
                            language="en")
    second = feedback_submit(source="web", author=UserFactory(), title="Zebra colours",
                             body="", language="en")
    item_merge(duplicate=second, into=first, by=UserFactory(is_staff=True))
    assert find("zebra") == ["Zebra theme"]


def test_tickets_never_appear(find):
    from tickets.services import ticket_create

    ticket_create(requester=UserFactory(), subject="Zebra account locked",
                  body="My zebra account is locked.")
    assert find("zebra") == []


# Kept in step with the forum.

def test_edit_reindexes(make_topic, forum_member, find):
    topic = make_topic(title="Edited topic", body="old words")
    post_edit(post=topic.posts.get(number=1), editor=forum_member, body="new giraffe")
    assert find("giraffe") == ["Edited topic"] and find("old words") == []


def test_move_changes_category(make_topic, make_reply, forum_section, find):
    topic = make_topic(title="Moving zebra", body="Body.")
    make_reply(topic=topic, body="zebra reply")
    other = Category.objects.language("en").create(slug="trading", name="Trading",
                                                   parent=forum_section)
    topic_move(topic=topic, category=other, by=UserFactory(is_staff=True))
    assert len(find("zebra", category="forum:trading")) == 2
    assert find("zebra", category="forum:general") == []


def test_merge_and_split(make_topic, make_reply, find):
    staff = UserFactory(is_staff=True)
    topic = make_topic(title="First zebra", body="one")
    into = make_topic(title="Second topic", body="two")
    make_reply(topic=topic, body="zebra reply moves")
    topic_merge(topic=topic, into=into, by=staff)
    results = search_run(user=ANONYMOUS, text="zebra")
    assert [hit.title for hit in results.hits] == ["Second topic"]
    assert results.hits[0].kind == "post"
    new = topic_split(topic=into, numbers=[3], title="Split zebra topic", category=None,
                      by=staff)
    assert find("zebra") == [new.title]
    assert search_run(user=ANONYMOUS, text="zebra").hits[0].kind == "topic"


# Blog articles and feedback.

def test_article_in_each_language_once(make_article, find):
    make_article(title="Bitcoin zebra report", zh_title="比特币斑马报告")
    results = search_run(user=ANONYMOUS, text="斑马", reader_language="zh-hans")
    assert [(hit.title, hit.other_language) for hit in results.hits] == [("比特币斑马报告", False)]
    results = search_run(user=ANONYMOUS, text="zebra", reader_language="zh-hans")
    assert [(hit.title, hit.other_language) for hit in results.hits] == [
        ("Bitcoin zebra report", True)]


def test_article_tags_are_searchable(make_article, find):
    from tests.blog.conftest import tag_create

    make_article(title="Weekly notes", tags=[tag_create("defi", "DeFi lending", "借贷")])
    assert find("lending") == ["Weekly notes"]


def test_feedback_status_change_keeps_it_searchable(find):
    from feedback.services import item_set_status

    item = feedback_submit(source="web", author=UserFactory(), title="Zebra widgets",
                           body="", language="en")
    item_set_status(item=item, status="planned", by=UserFactory(is_staff=True))
    assert find("zebra") == ["Zebra widgets"]


# Filters, counts and pages.

def test_kinds_and_counts_by_kind(make_topic, make_reply, make_article):
    topic = make_topic(title="Zebra topic", body="x")
    make_reply(topic=topic, body="zebra reply")
    make_article(title="Zebra article")
    feedback_submit(source="web", author=UserFactory(), title="Zebra idea", body="",
                    language="en")
    results = search_run(user=ANONYMOUS, text="zebra")
    assert results.count == 4
    assert results.counts_by_kind == {"topic": 1, "post": 1, "article": 1, "feedback": 1}
    results = search_run(user=ANONYMOUS, text="zebra", kinds=["article"])
    assert [hit.title for hit in results.hits] == ["Zebra article"]
    assert results.counts_by_kind == {"topic": 1, "post": 1, "article": 1, "feedback": 1}


def test_author_language_and_date_filters(make_topic, forum_member):
    other = UserFactory(username="someoneelse", date_joined=timezone.now() - timedelta(days=9))
    make_topic(title="Zebra by member", body="x")
    make_topic(author=other, title="Zebra by other", body="x", language="zh-hans")

    def titles(**filters):
        return [hit.title for hit in search_run(user=ANONYMOUS, text="zebra", **filters).hits]

    assert titles(author="someoneelse") == ["Zebra by other"]
    assert titles(language="en") == ["Zebra by member"]
    today = timezone.localdate()
    assert len(titles(since=today, until=today)) == 2
    assert titles(until=today - timedelta(days=1)) == []
    assert titles(since=date(2100, 1, 1)) == []


def test_sort_newest_and_pages(make_topic):
    for n in range(5):
        make_topic(title=f"Zebra number {n}", body="x")
    results = search_run(user=ANONYMOUS, text="zebra", sort="newest", per_page=2, page=2)
    assert (results.count, results.pages, results.page) == (5, 3, 2)
    assert [hit.title for hit in results.hits] == ["Zebra number 2", "Zebra number 1"]
    assert search_run(user=ANONYMOUS, text="zebra", per_page=2, page=99).page == 3


def test_terms_and_bad_input(make_topic):
    make_topic(title="Zebra", body="x")
    assert search_run(user=ANONYMOUS, text="nothing matches zzz").terms == [
        "nothing", "matches", "zzz"]
    for text in ("", "-zebra", "!!!", "\x00", '"', "a" * 5000, "OR OR", ":*", "&|!()"):
        assert search_run(user=ANONYMOUS, text=text).hits == [], text


def test_query_count_is_fixed(make_topic, make_reply, django_assert_num_queries):
    for n in range(3):
        topic = make_topic(title=f"Zebra {n}", body="x")
        make_reply(topic=topic, body="zebra")
    with django_assert_num_queries(2):
        search_run(user=ANONYMOUS, text="zebra")
    with django_assert_num_queries(3):
        search_run(user=ANONYMOUS, text="zebra", kinds=["post"])
    with django_assert_num_queries(0):
        search_run(user=ANONYMOUS, text="-zebra")


# Suggestions and categories.

def test_suggestions_complete_the_last_word(make_topic, make_reply, make_article):
    topic = make_topic(title="Withdrawal limits for USDT", body="x")
    make_reply(topic=topic, body="Withdrawal limits reply")
    make_topic(title="Deposit limits", body="x")
    make_article(title="Withdrawal guide", zh_title="提现指南")
    titles = [found.title for found in suggestions_for(user=ANONYMOUS, prefix="withdr")]
    assert titles == ["Withdrawal limits for USDT", "Withdrawal guide"]
    assert [found.title for found in suggestions_for(user=ANONYMOUS, prefix="usdt withdr")] \
        == ["Withdrawal limits for USDT"]
    assert [found.title for found in suggestions_for(user=ANONYMOUS, prefix="提",
                                                     language="zh-hans")] == ["提现指南"]
    assert suggestions_for(user=ANONYMOUS, prefix="") == []
    assert suggestions_for(user=ANONYMOUS, prefix="   ") == []


def test_search_categories(forum_category, blog_category):
    keys = dict(search_categories())
    assert keys["forum:general"] == "General"
    assert keys["blog:market-analysis"] == "Market analysis"


def test_suggestions_run_one_query_and_respect_kinds(make_topic, django_assert_num_queries):
    make_topic(title="Withdrawal limits for USDT", body="x")
    with django_assert_num_queries(1):
        assert len(suggestions_for(user=ANONYMOUS, prefix="with")) == 1
    assert suggestions_for(user=ANONYMOUS, prefix="with", kinds=["article"]) == []
    assert suggestions_for(user=ANONYMOUS, prefix="with", kinds=["post"]) == []
    assert search_run(user=ANONYMOUS, text="withdrawal", kinds=["nonsense"]).hits == []


def test_urls_follow_the_reader_language(make_topic):
    from django.utils import translation

    topic = make_topic(title="Zebra topic", body="x", language="zh-hans")
    with translation.override("en"):
        (hit,) = search_run(user=ANONYMOUS, text="zebra").hits
    assert hit.url == f"/en/forum/t/zebra-topic/{topic.pk}/"
    with translation.override("zh-hans"):
        (found,) = suggestions_for(user=ANONYMOUS, prefix="zeb")
    assert found.url == f"/zh-hans/forum/t/zebra-topic/{topic.pk}/"


@pytest.mark.parametrize("ages", [(0, 1, 2, 6, 13, 20, 45, 100, 200, 300, 400, 800)])
def test_matches_of_every_age_are_found_newest_first(make_topic, ages):
    """The PostgreSQL backend looks for candidates period by period (days, weeks, months,
    older): none is skipped or found twice."""
    from forum.models import Post

    now = timezone.now()
    for age in ages:
        topic = make_topic(title=f"Zebra aged {age} days", body="x")
        Post.objects.filter(topic=topic).update(created_at=now - timedelta(days=age, hours=1))
        topic_reindex(topic=topic)
    results = search_run(user=ANONYMOUS, text="zebra", sort="newest", per_page=50)
    assert [hit.title for hit in results.hits] == [f"Zebra aged {age} days" for age in ages]


def test_search_categories_in_the_active_language(forum_category, blog_category):
    from django.utils import translation

    with translation.override("zh-hans"):
        labels = dict(search_categories())
    assert labels["blog:market-analysis"] == "市场分析"
    assert labels["forum:general"] == "General"  # no Chinese name: the English one
