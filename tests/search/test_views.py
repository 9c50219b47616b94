"""The search page and the suggestions endpoint, through the test client: what readers see
(results of every kind, tabs, filters, pages, the no-results help), that nothing private leaks,
that no parameter can break the page, and fixed query counts. The engine's own behaviour
(stemming, Chinese, ranking) is tested with the selectors; the forum and blog fixtures come
from tests/search/conftest.py."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from blog.models import Article
from forum.services import post_hide
from search import selectors, views
from search.models import SearchQuery
from tests.factories import UserFactory
from tests.feedback.ideas import make_area, make_idea

pytestmark = pytest.mark.django_db

SEARCH = "/en/search/"
SUGGEST = "/en/search/suggest/"
# The page: the filter's categories (forum, blog and feedback: 2 queries each), the search
# (candidates and the page's documents) and its log entry. A signed-in reader adds the user
# and, on their first page, the bell's unread count (the session comes from the cache); a tab
# adds the tabs' counts.
PAGE_QUERIES = {"anonymous": 3, "user": 5}
TAB_QUERIES = PAGE_QUERIES["anonymous"]  # one count more, no log entry
# The category filter's choices, from every app, read once and then kept in the cache.
CATEGORY_QUERIES = 6


@pytest.fixture
def content(make_topic, make_reply, make_article, forum_member):
    """Something about withdrawals of each kind: a topic, a reply, an article, an idea."""
    topic = make_topic(title="Withdrawal stuck for two hours",
                       body="My USDT withdrawal has been pending since this morning.")
    reply = make_reply(topic=topic, body="Check the network: a TRC20 withdrawal is faster.")
    article = make_article(title="How withdrawals work", body="Every withdrawal is checked.")
    idea = make_idea(title="Faster withdrawal to bank cards", area=make_area("wallet"))
    return {"topic": topic, "reply": reply, "article": article, "idea": idea}


def hits(response) -> list[tuple[str, str]]:
    return [(hit.kind, hit.title) for hit, _label in response.context["hits"]]


def tab_counts(response) -> dict[str, int]:
    return {tab.key: tab.count for tab in response.context["tabs"]}


# --- Results, tabs and filters ------------------------------------------------------------

def test_without_a_query_the_page_offers_the_form_and_is_not_indexed(client):
    response = client.get(SEARCH)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<meta name="robots" content="noindex">' in html
    assert 'name="q"' in html and response.context["results"] is None
    assert not SearchQuery.objects.exists()


def test_results_of_every_kind_with_tabs_counts_and_highlighted_snippets(client, content):
    response = client.get(SEARCH, {"q": "withdrawal"})
    html = response.content.decode()
    assert response.status_code == 200
    assert {kind for kind, _title in hits(response)} == {"topic", "post", "article",
                                                         "feedback"}
    assert tab_counts(response) == {"": 4, "forum": 2, "blog": 1, "feedback": 1}
    assert "<mark>withdrawal</mark>" in html.lower()
    assert 'href="/en/search/?q=withdrawal&amp;kind=forum"' in html
    for label in ("Forum topic", "Forum reply", "Article", "Feedback idea"):
        assert label in html


def test_the_forum_tab_shows_topics_and_replies_and_keeps_every_tabs_count(client, content):
    response = client.get(SEARCH, {"q": "withdrawal", "kind": "forum"})
    assert sorted(hits(response)) == [("post", "Withdrawal stuck for two hours"),
                                      ("topic", "Withdrawal stuck for two hours")]
    assert tab_counts(response) == {"": 4, "forum": 2, "blog": 1, "feedback": 1}
    current = [tab.key for tab in response.context["tabs"] if tab.current]
    assert current == ["forum"]


def test_filters_narrow_the_results(client, content, forum_member):
    by_author = client.get(SEARCH, {"q": "withdrawal", "author": forum_member.username})
    assert {kind for kind, _title in hits(by_author)} == {"topic", "post"}
    by_category = client.get(SEARCH, {"q": "withdrawal", "category": "feedback:wallet"})
    assert hits(by_category) == [("feedback", "Faster withdrawal to bank cards")]
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert client.get(SEARCH, {"q": "withdrawal", "since": tomorrow}).context[
        "results"].count == 0


def test_newest_sort_lists_the_latest_first(client, make_topic):
    for n in range(3):
        make_topic(title=f"Grid bot question {n}", body="grid bot settings")
    response = client.get(SEARCH, {"q": "grid", "sort": "newest"})
    assert [title for _kind, title in hits(response)] == [
        "Grid bot question 2", "Grid bot question 1", "Grid bot question 0"]


def test_a_common_word_says_there_are_more_results_than_counted(client, make_topic,
                                                                monkeypatch):
    monkeypatch.setattr(selectors, "CANDIDATES", 3)  # only the latest matches are ranked
    for n in range(4):
        make_topic(title=f"Spot trading tip {n}", body="spot")
    assert "More than 3 results" in client.get(SEARCH, {"q": "spot"}).content.decode()


def test_pages_keep_every_filter_in_their_links(client, make_topic, forum_category):
    for n in range(views.PER_PAGE + 3):
        make_topic(title=f"Margin call number {n}", body="margin call explained")
    params = {"q": "margin", "kind": "forum", "category": "forum:general", "sort": "newest"}
    first = client.get(SEARCH, params)
    assert len(first.context["hits"]) == views.PER_PAGE
    assert first.context["previous_url"] == ""
    assert first.context["next_url"] == (
        "/en/search/?q=margin&kind=forum&category=forum%3Ageneral&sort=newest&page=2")
    assert "Page 1 of 2" in first.content.decode()
    second = client.get(first.context["next_url"])
    assert len(second.context["hits"]) == 3
    assert second.context["next_url"] == ""
    assert second.context["previous_url"] == (
        "/en/search/?q=margin&kind=forum&category=forum%3Ageneral&sort=newest&page=1")


def test_articles_in_another_language_are_marked(client, make_article):
    make_article(title="Staking rewards explained", body="Staking pays daily.")
    make_article(title="Staking for beginners", zh_title="质押入门", zh_body="质押每天发放收益。",
                 body="Staking basics.")
    response = client.get("/zh-hans/search/", {"q": "staking"})
    found = {hit.title: hit for hit, _label in response.context["hits"]}
    assert found["Staking rewards explained"].other_language
    assert "英语" in response.content.decode()  # "In English", in Chinese
    chinese = client.get("/zh-hans/search/", {"q": "质押"})
    assert [(hit.title, hit.other_language) for hit, _label in chinese.context["hits"]] == [
        ("质押入门", False)]
    only_chinese = client.get("/zh-hans/search/", {"q": "staking", "language": "zh-hans"})
    assert only_chinese.context["results"].count == 0


# --- Nothing private leaks ------------------------------------------------------------------

@pytest.fixture
def private_content(make_topic, make_reply, make_article, forum_member):
    """The word "zebracorn" only in places nobody but their owners or staff may read."""
    staff = UserFactory(is_staff=True)
    hidden_topic = make_topic(title="Zebracorn hidden topic", body="zebracorn")
    post_hide(post=hidden_topic.posts.get(number=1), by=staff, hidden=True)
    visible = make_topic(title="A visible topic", body="nothing to see")
    hidden_reply = make_reply(topic=visible, body="zebracorn in a hidden reply")
    post_hide(post=hidden_reply, by=staff, hidden=True)
    make_article(title="Zebracorn draft", status=Article.Status.DRAFT)
    make_article(title="Zebracorn scheduled", published_at=timezone.now() + timedelta(days=2))
    make_idea(title="Zebracorn from a ticket", source="tickets.ticket")
    return staff


@pytest.mark.parametrize("who", ["anonymous", "member", "staff"])
def test_hidden_draft_scheduled_and_private_content_never_shows(client, private_content, who):
    if who != "anonymous":
        client.force_login(private_content if who == "staff" else UserFactory())
    page = client.get(SEARCH, {"q": "zebracorn"})
    assert page.status_code == 200 and page.context["results"].count == 0
    assert "Zebracorn" not in page.content.decode()
    suggest = client.get(SUGGEST, {"q": "zebrac"})
    assert suggest.json() == {"results": []}


def test_what_people_wrote_is_shown_as_text_never_as_html(client, make_topic):
    make_topic(title="Withdrawal <script>alert(1)</script>",
               body="A withdrawal `<img src=x onerror=alert(2)>` question")
    html = client.get(SEARCH, {"q": "withdrawal"}).content.decode()
    assert "Withdrawal &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html and "<img src=x" not in html


# --- Bad input ------------------------------------------------------------------------------

@pytest.mark.parametrize("params", [
    {"q": "withdrawal", "kind": "tickets"},
    {"q": "withdrawal", "sort": "'; DROP TABLE search_document; --"},
    {"q": "withdrawal", "page": "abc"},
    {"q": "withdrawal", "page": "-3"},
    {"q": "withdrawal", "page": "99999999999999999999"},
    {"q": "withdrawal", "page": "0"},
    {"q": '"""', "kind": ["forum", "blog"]},
    {"q": "-withdrawal"},
    {"q": "OR OR OR"},
    {"q": "\x00<script>alert(1)</script>"},
    {"q": "withdrawal", "kind": "\x00", "sort": "\x00", "author": "\x00", "since": "\x00"},
])
def test_garbage_parameters_are_ignored(client, content, params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.content.decode()


@pytest.mark.parametrize(("params", "message"), [
    ({"since": "yesterday"}, "Enter a date like 2026-01-31."),
    ({"until": "2026-13-45"}, "Enter a date like 2026-01-31."),
    ({"since": "2026-03-01", "until": "2026-02-01"}, "The end comes before the start."),
    ({"until": "9999-12-31"}, "Choose a date between 2000 and 2100."),
    ({"since": "0001-01-01"}, "Choose a date between 2000 and 2100."),
    ({"category": "forum:nowhere"}, "Choose a category from the list."),
    ({"language": "xx"}, "Choose a language from the list."),
    ({"author": "a" * 500}, "Ensure this value has at most 150 characters"),
])
def test_bad_filters_are_shown_as_errors_and_left_out(client, content, params, message):
    response = client.get(SEARCH, {"q": "withdrawal", **params})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["results"].count == 4  # the search ran without the bad filter


def test_an_overlong_query_is_refused_with_a_message(client, content):
    response = client.get(SEARCH, {"q": "withdrawal " * 40})
    assert response.status_code == 200
    assert "Keep the search under 200 characters." in response.content.decode()
    assert response.context["results"] is None


def test_a_page_past_the_end_shows_the_last_page(client, content):
    response = client.get(SEARCH, {"q": "withdrawal", "page": "7"})
    assert response.status_code == 200 and len(response.context["hits"]) == 4


# --- No results -----------------------------------------------------------------------------

def test_no_results_offers_fewer_words_other_languages_and_the_forum(client, content):
    response = client.get(SEARCH, {"q": "withdrawal zebracorn", "language": "zh-hans"})
    html = response.content.decode()
    assert response.context["results"].count == 0
    alternatives = response.context["alternatives"]
    assert alternatives["all_languages"].count == 0  # both words are nowhere together
    assert alternatives["fewer_words"] == []  # "withdrawal" alone finds nothing in Chinese
    everywhere = client.get(SEARCH, {"q": "withdrawal zebracorn"})
    fewer = everywhere.context["alternatives"]["fewer_words"]
    assert [(alt.text, alt.count) for alt in fewer] == [("withdrawal", 4)]
    assert 'href="/en/search/?q=withdrawal"' in everywhere.content.decode()
    assert 'href="/en/forum/"' in html and "Ask in the forum" in html


@pytest.mark.parametrize(("query", "offered"), [
    ("withdrawal withdrawal zebracorn", ["withdrawal withdrawal"]),  # each shorter text once
    ('"usdt withdrawal" zebracorn', ['"usdt withdrawal"']),  # phrases stay phrases
    ("zebracorn OR unicornish", []),  # either word already: nothing to drop
])
def test_fewer_words_are_offered_once_each_and_keep_phrases(client, content, query, offered):
    response = client.get(SEARCH, {"q": query})
    assert [alt.text for alt in response.context["alternatives"]["fewer_words"]] == offered


def test_no_results_in_one_language_links_to_every_language(client, content):
    response = client.get(SEARCH, {"q": "withdrawal", "language": "zh-hans", "kind": "forum"})
    alternatives = response.context["alternatives"]
    assert alternatives["all_languages"].count == 2
    assert alternatives["all_languages"].url == "/en/search/?q=withdrawal&kind=forum"
    assert alternatives["unfiltered"].count == 4
    assert alternatives["unfiltered"].url == "/en/search/?q=withdrawal"
    assert "The same search in every language: 2 results" in response.content.decode()


# --- Query counts ---------------------------------------------------------------------------

@pytest.mark.parametrize("size", [1, 3])
def test_the_page_runs_a_fixed_number_of_queries(client, make_topic, size, blog_category,
                                                 django_assert_num_queries):
    make_area("wallet")  # categories of every app to choose from
    for n in range(size * 5):
        make_topic(title=f"Funding rate {n}", body="funding rate history")
    with django_assert_num_queries(CATEGORY_QUERIES + PAGE_QUERIES["anonymous"]):
        assert client.get(SEARCH, {"q": "funding"}).status_code == 200
    with django_assert_num_queries(PAGE_QUERIES["anonymous"]):
        assert client.get(SEARCH, {"q": "funding"}).status_code == 200
    with django_assert_num_queries(TAB_QUERIES):
        assert client.get(SEARCH, {"q": "funding", "kind": "forum", "page": "2"}) \
            .status_code == 200
    client.force_login(UserFactory())
    with django_assert_num_queries(PAGE_QUERIES["user"]):
        assert client.get(SEARCH, {"q": "funding"}).status_code == 200


def test_no_results_costs_one_search_per_alternative(client, content,
                                                     django_assert_num_queries):
    # The search finds nothing, so loads nothing (one query less), then each word alone is
    # tried: "zebracorn" finds nothing (1 query), "withdrawal" finds and loads its first (2).
    with django_assert_num_queries(CATEGORY_QUERIES + PAGE_QUERIES["anonymous"] - 1 + 1 + 2):
        client.get(SEARCH, {"q": "withdrawal zebracorn"})


# --- Suggestions ----------------------------------------------------------------------------

def test_suggestions_are_titles_for_a_prefix_as_json(client, content):
    response = client.get(SUGGEST, {"q": "withdr"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    results = response.json()["results"]
    assert {result["kind"] for result in results} == {"topic", "article", "feedback"}
    topic = content["topic"]
    assert {"kind": "topic", "kind_label": "Forum topic", "title": topic.title,
            "url": topic.get_absolute_url()} in results


def test_suggestions_keep_to_the_kinds_asked_for(client, content):
    results = client.get(SUGGEST, {"q": "withdr", "kinds": "feedback,nonsense"}).json()
    assert [result["title"] for result in results["results"]] == [
        "Faster withdrawal to bank cards"]
    everything = client.get(SUGGEST, {"q": "withdr", "kinds": "nonsense"}).json()
    assert len(everything["results"]) == 3


@pytest.mark.parametrize("query", ["", "   ", "\x00", "wi\x00th", "-", '"', "x" * 5000])
def test_suggestions_for_nothing_useful_are_empty(client, content, query):
    response = client.get(SUGGEST, {"q": query})
    assert response.status_code == 200 and response.json() == {"results": []}


def test_suggestions_follow_the_readers_language(client, content):
    response = client.get("/zh-hans/search/suggest/", {"q": "withdr"})
    found = response.json()["results"]
    assert {result["kind"] for result in found} == {"topic", "feedback"}  # no English article


def test_suggestions_are_cached_briefly(client, content, make_topic,
                                        django_assert_num_queries):
    client.get(SUGGEST, {"q": "withdr"})
    with django_assert_num_queries(0):
        again = client.get(SUGGEST, {"q": "WITHDR"})
    assert len(again.json()["results"]) == 3


def test_suggestions_are_rate_limited(client, content, monkeypatch):
    monkeypatch.setattr(views, "SUGGEST_RATE", (2, 60))
    assert client.get(SUGGEST, {"q": "with"}).status_code == 200
    assert client.get(SUGGEST, {"q": "withd"}).status_code == 200
    refused = client.get(SUGGEST, {"q": "withdr"})
    assert refused.status_code == 429
    assert "Too many searches" in refused.json()["error"]
    other = UserFactory()
    client.force_login(other)
    assert client.get(SUGGEST, {"q": "withdr"}).status_code == 200  # counted per person


def test_suggestions_answer_only_get(client):
    assert client.post(SUGGEST, {"q": "with"}).status_code == 405


# --- The search log -------------------------------------------------------------------------

def test_each_search_is_logged_once_without_personal_data(client, content):
    client.force_login(UserFactory())
    client.get(SEARCH, {"q": "  Withdrawal   STUCK "})
    client.get(SEARCH, {"q": "Withdrawal stuck", "kind": "forum"})  # a tab of the same search
    client.get(SEARCH, {"q": "Withdrawal stuck", "page": "2"})
    client.get(SEARCH, {"q": "   "})
    client.get("/zh-hans/search/", {"q": "提现 alice@example.com 12345678"})
    logged = list(SearchQuery.objects.order_by("pk").values("text", "language", "results"))
    assert logged == [
        {"text": "withdrawal stuck", "language": "en", "results": 2},
        {"text": "提现 <email> <number>", "language": "zh-hans", "results": 0},
    ]
    assert {field.name for field in SearchQuery._meta.get_fields()} == {
        "id", "text", "language", "results", "created_at"}


def test_a_solved_topic_and_its_accepted_answer_are_marked(client, make_topic, make_reply,
                                                           qa_category):
    from forum.answers import answer_accept

    question = make_topic(category=qa_category, title="Walrus staking question")
    answer_accept(post=make_reply(topic=question, body="walrus rewards arrive Mondays"),
                  by=question.author)
    html = client.get(SEARCH, {"q": "walrus"}).content.decode()
    badges = {kind: re.findall(r'class="badge badge-accepted">([^<]+)<', hit)
              for kind, hit in re.findall(r'<li class="hit hit-(\w+)"(.*?)</li>', html, re.S)}
    assert badges == {"topic": ["Solved"], "post": ["Accepted answer"]}


def test_the_search_page_is_rate_limited_per_person(client, content, monkeypatch):
    monkeypatch.setattr(views, "SEARCH_RATE", (2, 60))
    assert client.get(SEARCH, {"q": "withdrawal"}).status_code == 200
    assert client.get(SEARCH, {"q": "nothingmatcheszz"}).status_code == 200
    refused = client.get(SEARCH, {"q": "withdrawal"})
    assert refused.status_code == 429
    assert "Too many searches" in refused.content.decode()
    assert "Withdrawal" not in refused.content.decode().split("</h1>", 1)[1]
    assert client.get(SEARCH).status_code == 200  # the empty form is not a search
    client.force_login(UserFactory())
    assert client.get(SEARCH, {"q": "withdrawal"}).status_code == 200  # counted per person


def test_fewer_words_drops_one_word_at_a_time_but_never_from_an_or_query():
    assert selectors.fewer_words(text="usdt withdrawal stuck", most=4,
                                 terms=["usdt", "withdrawal", "stuck"]) == [
        "withdrawal stuck", "usdt stuck", "usdt withdrawal"]
    assert selectors.fewer_words(text='"grid bot" fees', terms=["grid bot", "fees"],
                                 most=4) == ["fees", '"grid bot"']
    assert selectors.fewer_words(text="btc OR eth", terms=["btc", "eth"], most=4) == []
    assert selectors.fewer_words(text="a b c d e f", terms=list("abcdef"), most=2) == [
        "b c d e f", "a c d e f"]
