"""The public board's pages: what they show, who may do what, bad input, and fixed query
counts whatever the number of ideas, votes and comments."""

import json
import re

import pytest
from django.test import Client

from feedback.models import Comment, FeedbackItem, Follow, Vote
from feedback.services import comment_create
from feedback.views import IDEAS_PER_HOUR, PAGE_SIZE
from notifications.models import Notification
from tests.factories import UserFactory
from tests.feedback.ideas import make_area, make_idea, make_tag

pytestmark = pytest.mark.django_db

BOARD = "/en/feedback/"
CREATE = "/en/feedback/new/"
# Every page below costs this many queries, whatever the number of ideas, votes and comments
# (the user for a signed-in visitor, whose session and bell's unread count come from the cache:
# the tests open a page first).
# A regular user's item page also loads their permissions (may they respond?); staff need not.
BOARD_QUERIES = {"anonymous": 9, "user": 10}
# Staff pages read the user's and groups' permissions once (the account menu offers the export
# only to who may use it): two queries, whatever the page holds.
ITEM_QUERIES = {"anonymous": 5, "user": 8, "staff": 8}
ROADMAP_QUERIES = {"anonymous": 8, "user": 9}
CHANGELOG_QUERIES = {"anonymous": 5, "user": 6}


@pytest.fixture
def manager():
    return UserFactory(is_product_manager=True, display_name="Lin Wei")


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def area():
    return make_area("trading", en="Trading")


@pytest.fixture
def idea(area):
    return make_idea(title="Dark mode for the web trading view", area=area,
                     body="Please add **dark mode**.<script>alert(1)</script>")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def json_post(client, url, data=None):
    return client.post(url, data or {}, headers={"X-Requested-With": "XMLHttpRequest"})


# --- The board --------------------------------------------------------------------------------

def test_board_lists_public_ideas_with_votes_status_area_and_author(client, idea, area):
    manager = UserFactory(is_product_manager=True)
    ambassador = UserFactory(is_ambassador=True, display_name="Sam Okafor")
    make_idea(author=ambassador, title="Grid bot stop-loss", status="planned",
              tags=[make_tag("trading-bots", en="Trading bots")], voters=[manager])
    make_idea(source="tickets.ticket", title="My ticket: where is my deposit?")

    response = client.get(BOARD)
    html = response.content.decode()
    assert response.status_code == 200
    assert idea.title in html and "Grid bot stop-loss" in html
    assert "where is my deposit" not in html
    assert "Trading bots" in html and ">Trading<" in html
    assert "Sam Okafor" in html and "badge-ambassador" in html
    assert 'class="status-pill status-planned">Planned<' in html
    assert [i.title for i in response.context["page"].object_list] == [
        "Grid bot stop-loss", idea.title]  # two votes before one
    for link in ("/en/feedback/roadmap/", "/en/feedback/changelog/", CREATE):
        assert f'href="{link}"' in html


def test_board_leaves_out_duplicates_unless_asked_for(client, idea):
    duplicate = make_idea(title="Night theme please", status="duplicate")
    assert duplicate.title not in client.get(BOARD).content.decode()
    assert duplicate.title in client.get(f"{BOARD}?status=duplicate").content.decode()


def test_board_filters_by_status_area_and_tag(client, area):
    wallet = make_area("wallet", en="Wallet")
    fees = make_tag("fees", en="Fees")
    planned = make_idea(title="Planned trading idea", area=area, status="planned")
    tagged = make_idea(title="Cheaper withdrawal fees", area=wallet, tags=[fees])
    open_wallet = make_idea(title="Open wallet idea", area=wallet)

    def titles(query):
        return {i.title for i in client.get(BOARD + query).context["page"].object_list}

    assert titles("?status=planned") == {planned.title}
    assert titles("?area=wallet") == {tagged.title, open_wallet.title}
    assert titles("?tag=fees") == {tagged.title}
    assert titles("?area=wallet&tag=fees&status=open") == {tagged.title}


def test_board_search_matches_title_and_body(client):
    by_title = make_idea(title="Price alerts on the watchlist", body="Push notifications")
    by_body = make_idea(title="Widgets", body="Show my WATCHLIST on the home screen")
    make_idea(title="Unrelated", body="Nothing to see")
    page = client.get(BOARD, {"q": "watchlist"}).context["page"]
    assert {i.title for i in page.object_list} == {by_title.title, by_body.title}


def test_board_sorts_new_top_and_trending(client):
    voters = UserFactory.create_batch(3)
    old_popular = make_idea(title="Old popular", voters=voters)
    Vote.objects.filter(item=old_popular).update(created_at="2020-01-01T00:00:00Z")
    recent = make_idea(title="Recent", voters=voters[:1])
    newest = make_idea(title="Newest")

    def order(sort):
        return [i.title for i in client.get(BOARD, {"sort": sort}).context["page"].object_list]

    assert order("top") == [old_popular.title, recent.title, newest.title]
    assert order("new") == [newest.title, recent.title, old_popular.title]
    assert order("trending")[0] == recent.title  # two votes this fortnight beat one


def test_board_ignores_unknown_filter_values(client, idea):
    response = client.get(BOARD, {"sort": "evil", "status": "nope", "area": "x", "tag": "y",
                                  "page": "banana"})
    assert response.status_code == 200
    assert [i.title for i in response.context["page"].object_list] == [idea.title]


def test_board_paginates_and_keeps_the_filters_in_page_links(client, area):
    for number in range(PAGE_SIZE + 1):
        make_idea(title=f"Trading idea {number}", area=area)
    first = client.get(BOARD, {"area": "trading", "sort": "new"})
    assert len(first.context["page"].object_list) == PAGE_SIZE
    assert "?area=trading&amp;sort=new&amp;page=2" in first.content.decode()
    second = client.get(BOARD, {"area": "trading", "sort": "new", "page": 2})
    assert len(second.context["page"].object_list) == 1


@pytest.mark.parametrize("who", ["anonymous", "user"])
def test_board_query_count_does_not_grow_with_ideas_votes_or_comments(
        client, django_assert_num_queries, who, area):
    if who == "user":
        client.force_login(UserFactory())
        client.get(BOARD)  # from then on the bell's unread count is cached
    tags = [make_tag("fees"), make_tag("api")]
    voters = UserFactory.create_batch(3)
    for ideas in (3, 30):
        while FeedbackItem.objects.count() < ideas:
            make_idea(area=area, tags=tags, voters=voters, comments=2)
        for sort in ("top", "new", "trending"):
            with django_assert_num_queries(BOARD_QUERIES[who]):
                response = client.get(BOARD, {"sort": sort})
            assert len(response.context["page"].object_list) == min(ideas, PAGE_SIZE)
            # Filtering by tag (or area) costs two more: the form checks that it exists.
            with django_assert_num_queries(BOARD_QUERIES[who] + 2):
                client.get(BOARD, {"sort": sort, "tag": "fees", "q": "idea"})


# --- Posting an idea --------------------------------------------------------------------------

def test_create_needs_login(client):
    response = client.get(CREATE)
    assert response.status_code == 302
    assert response.url.startswith("/en/accounts/login/?next=")


def test_create_form_has_markdown_editor_and_areas(user_client, area):
    html = user_client.get(CREATE).content.decode()
    assert "markdownx" in html and "markdownx.js" in html
    assert '<option value="trading">Trading</option>' in html
    assert 'data-similar-url="/en/feedback/similar/"' in html


def test_create_posts_the_idea_in_the_page_language(client, user, area):
    client.force_login(user)
    response = client.post("/zh-hans/feedback/new/", {
        "title": "  Grid bot:   stop-loss per grid ", "body": "Like **this**.",
        "product_area": "trading"})
    item = FeedbackItem.objects.get()
    assert response.status_code == 302
    assert response.url == item.get_absolute_url().replace("/en/", "/zh-hans/")
    assert (item.title, item.body, item.source, item.language, item.product_area) == (
        "Grid bot: stop-loss per grid", "Like **this**.", "web", "zh-hans", area)
    assert item.is_public and item.author == user and item.vote_count == 1
    assert Vote.objects.filter(item=item, user=user).exists()


@pytest.mark.parametrize(("data", "error"), [
    ({"title": "", "body": "x"}, "Give your idea a title."),
    ({"title": "   ", "body": "x"}, "Give your idea a title."),
    ({"title": "x" * 201}, "Keep the title under 200 characters (it has 201)."),
    ({"title": "Fine", "body": "x" * 20_001}, "Keep the details under 20000 characters"),
    ({"title": "Fine", "product_area": "no-such-area"}, "Choose a product area from the list."),
    ({"title": "Fine", "product_area": "999"}, "Choose a product area from the list."),
])
def test_create_rejects_bad_input_and_creates_nothing(user_client, area, data, error):
    response = user_client.post(CREATE, data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert "Your idea was not posted" in " ".join(messages_of(response))
    assert not FeedbackItem.objects.exists()


def test_create_is_rate_limited_per_user(client, user, area):
    client.force_login(user)
    for number in range(IDEAS_PER_HOUR):
        assert client.post(CREATE, {"title": f"Idea {number}"}).status_code == 302
    response = client.post(CREATE, {"title": "One too many"})
    assert response.status_code == 429
    assert "Please try again later" in " ".join(messages_of(response))
    assert FeedbackItem.objects.count() == IDEAS_PER_HOUR
    # Someone else may still post.
    client.force_login(UserFactory())
    assert client.post(CREATE, {"title": "Another user's idea"}).status_code == 302


def test_invalid_posts_do_not_use_up_the_rate_limit(user_client):
    for _ in range(IDEAS_PER_HOUR + 2):
        assert user_client.post(CREATE, {"title": ""}).status_code == 400
    assert user_client.post(CREATE, {"title": "Finally right"}).status_code == 302


def test_similar_returns_matching_public_ideas_as_json(client):
    match = make_idea(title="Dark mode for the web trading view",
                      voters=UserFactory.create_batch(2))
    make_idea(title="Dark mode on mobile", source="tickets.ticket")
    make_idea(title="Cheaper fees")
    zh = make_idea(title="USDT 提现到账太慢", status="planned")

    response = client.get("/en/feedback/similar/", {"q": "web dark theme"})
    assert response.status_code == 200
    assert json.loads(response.content) == [{
        "id": match.pk, "title": match.title, "url": match.get_absolute_url(),
        "votes": 3, "status": "open", "status_label": "Open"}]
    chinese = json.loads(client.get("/en/feedback/similar/", {"q": "提现很慢"}).content)
    assert [(i["id"], i["status"]) for i in chinese] == [(zh.pk, "planned")]
    assert json.loads(client.get("/en/feedback/similar/", {"q": "the a"}).content) == []


def test_similar_runs_two_queries_whatever_the_number_found(client, django_assert_num_queries):
    make_idea(title="Dark mode for the web trading view")
    with django_assert_num_queries(2):  # the index's titles, then the ideas still open
        assert len(client.get("/en/feedback/similar/", {"q": "dark mode"}).json()) == 1
    for n in range(6):
        make_idea(title=f"Dark mode idea {n}")
    with django_assert_num_queries(2):
        assert len(client.get("/en/feedback/similar/", {"q": "dark mode"}).json()) == 5


# --- The item page ----------------------------------------------------------------------------

def test_item_page_shows_the_idea_with_sanitised_markdown(client, idea):
    html = client.get(idea.get_absolute_url()).content.decode()
    assert "<strong>dark mode</strong>" in html
    assert "<script>alert(1)" not in html
    assert 'class="status-pill status-open"' in html
    assert "Log in to comment" in html
    assert "Respond as OKX" not in html


def test_item_page_redirects_permanently_to_its_canonical_url(client, idea):
    for wrong in (f"/en/feedback/{idea.pk}/", f"/en/feedback/{idea.pk}/old-title/"):
        response = client.get(wrong)
        assert response.status_code == 301
        assert response.url == idea.get_absolute_url()
    assert client.get(idea.get_absolute_url()).status_code == 200
    assert client.get("/en/feedback/99999/whatever/").status_code == 404


def test_private_feedback_is_a_404_for_users_and_visible_to_staff(client):
    ticket = make_idea(source="tickets.ticket", title="Ticket feedback")
    url = ticket.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.post(f"/en/feedback/{ticket.pk}/comment/", {"body": "hi"}).status_code == 404
    assert client.post(f"/en/feedback/{ticket.pk}/vote/").status_code == 404
    assert client.post(f"/en/feedback/{ticket.pk}/follow/").status_code == 404
    client.force_login(UserFactory(is_staff=True))
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Only staff can see this item" in html
    assert re.search(r'<button type="submit" class="vote-button"[^>]* disabled', html)
    assert ticket.title not in client.get(BOARD).content.decode()  # never on the board


def test_official_responses_are_highlighted_with_the_badge(client, idea, manager):
    comment_create(item=idea, author=manager, body="We are **on it**.", official=True)
    comment_create(item=idea, author=UserFactory(display_name="Bob"), body="+1")
    html = client.get(idea.get_absolute_url()).content.decode()
    official = re.search(r'<li class="comment comment-official".*?</li>', html, re.S).group(0)
    assert "Lin Wei" in official and "badge-pm" in official and "Product manager" in official
    assert "Official response" in official and "<strong>on it</strong>" in official
    plain = re.search(r'<li class="comment" .*?</li>', html, re.S).group(0)
    assert "Bob" in plain and "Official response" not in plain


def test_duplicate_shows_where_it_was_merged(client, idea):
    duplicate = make_idea(title="Night mode", status="duplicate")
    FeedbackItem.objects.filter(pk=duplicate.pk).update(duplicate_of=idea)
    html = client.get(duplicate.get_absolute_url()).content.decode()
    assert "This idea was merged into another one" in html
    assert f'href="{idea.get_absolute_url()}"' in html
    assert re.search(r'<button type="submit" class="vote-button"[^>]* disabled', html)


@pytest.mark.parametrize("who", ["anonymous", "user", "staff"])
def test_item_page_query_count_does_not_grow_with_comments_or_votes(
        client, django_assert_num_queries, who, area):
    if who != "anonymous":
        client.force_login(UserFactory(is_staff=who == "staff"))
        client.get(BOARD)  # from then on the bell's unread count is cached
    tags = [make_tag("fees"), make_tag("api")]
    for n in (3, 30):
        item = make_idea(area=area, tags=tags, voters=UserFactory.create_batch(n), comments=n)
        with django_assert_num_queries(ITEM_QUERIES[who]):
            response = client.get(item.get_absolute_url())
        assert response.content.decode().count('class="comment"') == n


# --- Votes, follows and comments -------------------------------------------------------------

def test_anonymous_vote_goes_to_login_and_back_to_the_idea(client, idea):
    response = client.post(f"/en/feedback/{idea.pk}/vote/")
    assert response.status_code == 302
    assert response.url == f"/en/accounts/login/?next={idea.get_absolute_url()}"
    assert client.post(f"/en/feedback/{idea.pk}/vote/", {"next": BOARD}).url == (
        f"/en/accounts/login/?next={BOARD}")
    answer = json_post(client, f"/en/feedback/{idea.pk}/vote/")
    assert answer.status_code == 401
    assert answer.json()["login_url"].startswith("/en/accounts/login/?next=")
    assert idea.votes.count() == 1  # the author's own
    assert client.get(f"/en/feedback/{idea.pk}/vote/").status_code == 405


def test_vote_toggles_one_vote_per_user(user_client, user, idea):
    url = f"/en/feedback/{idea.pk}/vote/"
    response = user_client.post(url)
    assert response.status_code == 302 and response.url == idea.get_absolute_url()
    assert messages_of(user_client.get(response.url)) == ["Thanks for your vote."]
    idea.refresh_from_db()
    assert idea.vote_count == 2 and Vote.objects.filter(item=idea, user=user).count() == 1
    assert Follow.objects.filter(item=idea, user=user).exists()  # voters hear of changes

    user_client.post(url)
    idea.refresh_from_db()
    assert idea.vote_count == 1 and not Vote.objects.filter(item=idea, user=user).exists()


def test_vote_answers_json_for_feedback_js(user_client, idea):
    url = f"/en/feedback/{idea.pk}/vote/"
    assert json_post(user_client, url).json() == {"voted": True, "votes": 2}
    assert json_post(user_client, url).json() == {"voted": False, "votes": 1}


def test_vote_goes_back_to_the_board_but_never_off_site(user_client, idea):
    url = f"/en/feedback/{idea.pk}/vote/"
    assert user_client.post(url, {"next": f"{BOARD}?sort=new"}).url == f"{BOARD}?sort=new"
    assert user_client.post(url, {"next": "https://evil.example/"}).url == (
        idea.get_absolute_url())


def test_voting_on_a_duplicate_is_refused_with_a_message(user_client, idea):
    FeedbackItem.objects.filter(pk=idea.pk).update(status="duplicate")
    response = user_client.post(f"/en/feedback/{idea.pk}/vote/", follow=True)
    assert "Voting is closed for this item." in messages_of(response)
    assert json_post(user_client, f"/en/feedback/{idea.pk}/vote/").status_code == 400
    assert idea.votes.count() == 1


def test_follow_toggles(user_client, user, idea):
    url = f"/en/feedback/{idea.pk}/follow/"
    user_client.post(url)
    assert Follow.objects.filter(item=idea, user=user).exists()
    page = user_client.get(idea.get_absolute_url()).content.decode()
    assert 'aria-pressed="true">\n          Following' in page
    user_client.post(url)
    assert not Follow.objects.filter(item=idea, user=user).exists()


def test_comment_is_posted_and_rendered(user_client, user, idea):
    response = user_client.post(f"/en/feedback/{idea.pk}/comment/",
                                {"body": "Yes *please*"}, follow=True)
    assert "Your comment is posted." in messages_of(response)
    assert "Yes <em>please</em>" in response.content.decode()
    comment = Comment.objects.get(item=idea)
    assert (comment.author, comment.is_official) == (user, False)
    idea.refresh_from_db()
    assert idea.comment_count == 1


def test_comment_needs_login_and_text(client, idea):
    response = client.post(f"/en/feedback/{idea.pk}/comment/", {"body": "hi"})
    assert response.url == f"/en/accounts/login/?next={idea.get_absolute_url()}"
    client.force_login(UserFactory())
    response = client.post(f"/en/feedback/{idea.pk}/comment/", {"body": "   "})
    assert response.status_code == 400
    assert "Write something first." in response.content.decode()
    assert "Your comment was not posted" in " ".join(messages_of(response))
    response = client.post(f"/en/feedback/{idea.pk}/comment/", {"body": "x" * 5001})
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_comments_are_rate_limited(user_client, idea, settings, monkeypatch):
    monkeypatch.setattr("feedback.views.COMMENTS_PER_HOUR", 2)
    url = f"/en/feedback/{idea.pk}/comment/"
    assert user_client.post(url, {"body": "one"}).status_code == 302
    assert user_client.post(url, {"body": "two"}).status_code == 302
    response = user_client.post(url, {"body": "three"})
    assert response.status_code == 429
    assert "You are commenting very fast" in " ".join(messages_of(response))
    assert Comment.objects.count() == 2


# --- Official responses and merges ------------------------------------------------------------

def test_regular_users_cannot_respond_or_merge(user_client, idea):
    respond = f"/en/feedback/{idea.pk}/respond/"
    merge = f"/en/feedback/{idea.pk}/merge/"
    other = make_idea()
    anonymous = Client().post(respond, {"status": "planned"})
    assert anonymous.url == f"/en/accounts/login/?next={idea.get_absolute_url()}"
    assert user_client.post(respond, {"status": "planned",
                                      "response": "Official!"}).status_code == 403
    assert user_client.post(merge, {"into": other.pk}).status_code == 403
    idea.refresh_from_db()
    assert idea.status == "open" and not Comment.objects.exists()
    assert "Respond as OKX" not in user_client.get(idea.get_absolute_url()).content.decode()


def test_manager_responds_and_changes_status(manager_client, manager, idea):
    voter = UserFactory()
    Vote.objects.create(item=idea, user=voter)
    page = manager_client.get(idea.get_absolute_url()).content.decode()
    assert "Respond as OKX" in page
    response = manager_client.post(f"/en/feedback/{idea.pk}/respond/", {
        "status": "planned", "response": "Coming in **Q3**."}, follow=True)
    assert "Your response is published" in " ".join(messages_of(response))
    idea.refresh_from_db()
    assert idea.status == "planned"
    comment = Comment.objects.get(item=idea)
    assert comment.is_official and comment.author == manager
    html = response.content.decode()
    assert "comment comment-official" in html and "Coming in <strong>Q3</strong>" in html
    assert set(Notification.objects.values_list("recipient", flat=True)) == {
        idea.author_id, voter.pk}


@pytest.mark.parametrize(("data", "error"), [
    ({"status": "open"}, "Change the status or write a response."),
    ({"status": "bogus", "response": "x"}, "Choose a valid status."),
    ({"status": "duplicate", "response": "x"}, "Choose a valid status."),
    ({"status": "planned", "response": "x" * 5001}, "Ensure this value has at most 5000"),
])
def test_respond_rejects_bad_input(manager_client, idea, data, error):
    response = manager_client.post(f"/en/feedback/{idea.pk}/respond/", data)
    assert response.status_code == 400
    assert error in response.content.decode()
    idea.refresh_from_db()
    assert idea.status == "open" and not Comment.objects.exists()


def test_answering_a_duplicate_keeps_it_a_duplicate(manager_client, idea):
    duplicate = make_idea(status="duplicate")
    FeedbackItem.objects.filter(pk=duplicate.pk).update(duplicate_of=idea)
    page = manager_client.get(duplicate.get_absolute_url()).content.decode()
    assert '<option value="duplicate" selected>' in page
    response = manager_client.post(f"/en/feedback/{duplicate.pk}/respond/",
                                   {"status": "duplicate", "response": "See the original."})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.duplicate_of) == ("duplicate", idea)
    assert Comment.objects.get(item=duplicate).is_official


def test_staff_respond_to_private_feedback_too(client, idea):
    ticket = make_idea(source="tickets.ticket")
    client.force_login(UserFactory(is_staff=True))
    response = client.post(f"/en/feedback/{ticket.pk}/respond/", {"status": "under_review"})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "under_review"


def test_manager_merges_a_duplicate(manager_client, idea):
    duplicate = make_idea(title="Night theme", voters=[UserFactory()])
    response = manager_client.post(f"/en/feedback/{duplicate.pk}/merge/",
                                   {"into": idea.pk, "response": "Same as this one."})
    assert response.status_code == 302 and response.url == idea.get_absolute_url()
    duplicate.refresh_from_db()
    idea.refresh_from_db()
    assert (duplicate.status, duplicate.duplicate_of, duplicate.vote_count) == (
        "duplicate", idea, 0)
    assert idea.vote_count == 3 == idea.votes.count()


@pytest.mark.parametrize("into", ["self", "private", "duplicate", "missing", ""])
def test_merge_rejects_bad_targets(manager_client, idea, into):
    target = {
        "self": idea.pk,
        "private": make_idea(source="tickets.ticket").pk,
        "duplicate": make_idea(status="duplicate").pk,
        "missing": 99999,
        "": "",
    }[into]
    response = manager_client.post(f"/en/feedback/{idea.pk}/merge/", {"into": target})
    assert response.status_code == 400
    idea.refresh_from_db()
    assert idea.status == "open"


# --- Roadmap and changelog --------------------------------------------------------------------

def test_roadmap_has_three_columns(client, area):
    planned = make_idea(title="Planned one", status="planned", area=area)
    doing = make_idea(title="Being built", status="in_progress")
    shipped = make_idea(title="Shipped one", status="shipped")
    make_idea(title="Still open")
    response = client.get("/en/feedback/roadmap/")
    columns = {c.status: [i.title for i in c.items] for c in response.context["columns"]}
    assert columns == {"planned": [planned.title], "in_progress": [doing.title],
                       "shipped": [shipped.title]}
    html = response.content.decode()
    assert html.index("Planned one") < html.index("Being built") < html.index("Shipped one")
    assert "Still open" not in html


def test_roadmap_shows_the_latest_shipped_and_links_to_the_changelog(client):
    for _ in range(12):
        make_idea(status="shipped")
    response = client.get("/en/feedback/roadmap/")
    shipped = next(c for c in response.context["columns"] if c.status == "shipped")
    assert len(shipped.items) == 10
    assert 'href="/en/feedback/changelog/">See everything we shipped' in (
        response.content.decode())


def test_changelog_lists_shipped_ideas_newest_first_with_dates(client):
    older = make_idea(title="Shipped long ago", status="shipped")
    newer = make_idea(title="Shipped last week", status="shipped")
    FeedbackItem.objects.filter(pk=older.pk).update(status_changed_at="2025-01-15T10:00:00Z")
    FeedbackItem.objects.filter(pk=newer.pk).update(status_changed_at="2026-03-02T10:00:00Z")
    make_idea(title="Planned", status="planned")
    response = client.get("/en/feedback/changelog/")
    assert [i.title for i in response.context["page"].object_list] == [newer.title,
                                                                      older.title]
    html = response.content.decode()
    assert 'datetime="2026-03-02T10:00:00+00:00"' in html and "Jan. 15, 2025" in html


@pytest.mark.parametrize("who", ["anonymous", "user"])
def test_roadmap_and_changelog_query_counts_do_not_grow(
        client, django_assert_num_queries, who, area):
    if who == "user":
        client.force_login(UserFactory())
        client.get("/en/feedback/roadmap/")  # from then on the bell's unread count is cached
    tag = make_tag("fees")
    voters = UserFactory.create_batch(2)
    for n in (1, 10):
        for status in ("planned", "in_progress", "shipped"):
            for _ in range(n):
                make_idea(status=status, area=area, tags=[tag], voters=voters)
        with django_assert_num_queries(ROADMAP_QUERIES[who]):
            client.get("/en/feedback/roadmap/")
        with django_assert_num_queries(CHANGELOG_QUERIES[who]):
            response = client.get("/en/feedback/changelog/")
        assert len(response.context["page"].object_list) == 1 + (n > 1) * 10


def test_board_pages_speak_chinese_urls(client, idea):
    for url in ("/zh-hans/feedback/", "/zh-hans/feedback/roadmap/",
                "/zh-hans/feedback/changelog/", idea.get_absolute_url().replace("/en/",
                                                                                "/zh-hans/")):
        response = client.get(url)
        assert response.status_code == 200
        assert '<html lang="zh-hans">' in response.content.decode()
