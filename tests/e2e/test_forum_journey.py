"""The forum in a browser: a member quotes a post in a reply, another reacts to it without a
reload, and the topic's author accepts it as the answer to a question; a mention reaches the
person mentioned, and a flagged post is hidden by a moderator from the admin's queue."""

import re

import pytest
from playwright.sync_api import expect

from forum.models import Category, Post
from forum.services import post_reply, topic_create
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.test_layout import log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def question(transactional_db, settings):
    settings.FORUM_ANTISPAM = {"new_topic": (100, 60), "new_post": (100, 60),
                               "new_account_links": 100}
    section = Category.objects.language("en").create(slug="start", name="Getting started")
    qa = Category.objects.language("en").create(slug="qa", name="Questions", parent=section,
                                                is_qa=True)
    author = UserFactory(display_name="小明")
    return topic_create(category=qa, author=author, title="充值 USDT 多久到账？",
                        body="我用 TRC-20 充值，**十分钟**了还没到账。", language="zh-hans")


def test_a_quoted_reply_is_liked_and_accepted(person_page, live_server, question):
    helper, author = UserFactory(display_name="Alice Trader"), question.author
    topic_url = f"{live_server.url}/zh-hans{question.get_absolute_url()[len('/en'):]}"

    page = person_page("helper")
    log_in(page, live_server, helper)
    page.goto(topic_url)
    page.locator("#post-1").get_by_role("link", name=re.compile("Quote|引用")).click()
    reply = page.locator("#reply textarea")
    expect(reply).to_have_value(re.compile("^> 我用 TRC-20", re.MULTILINE))
    reply.press("Control+End")
    reply.type("\n\nTRC-20 usually takes 1–3 minutes; check the TxID on Tronscan.")
    page.locator("#reply button[type=submit]").click()
    expect(page.locator("#post-2")).to_contain_text("Tronscan", timeout=TIMEOUT_MS)
    expect(page.locator("#post-2 blockquote")).to_contain_text("十分钟")

    reader = person_page("author")
    log_in(reader, live_server, author)
    reader.goto(topic_url)
    reader.evaluate("window.notReloaded = true")
    like = reader.locator("#post-2 form[data-reaction] button").first
    expect(like).to_have_attribute("aria-pressed", "false")
    like.click()
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(like.locator("[data-reaction-count]")).to_have_text("1")
    assert reader.evaluate("window.notReloaded") is True

    reader.locator("#post-2").get_by_role("button", name=re.compile("Accept|采纳")).click()
    expect(reader.locator("#post-2 .accepted-answer")).to_be_visible()
    answer = Post.objects.get(topic=question, number=2)
    question.refresh_from_db()
    assert question.accepted_post == answer
    assert answer.reaction_counts == {"like": 1}


def test_a_mention_is_notified_and_a_moderator_hides_a_flagged_post(
        person_page, live_server, question, settings):
    settings.STAFF_REQUIRE_MFA = False  # MFA itself is tested in tests/accounts
    helper, author = UserFactory(display_name="Alice Trader"), question.author
    spam = post_reply(topic=question, author=UserFactory(), body="Cheap USDT at scam.example")
    moderator = UserFactory(is_staff=True, is_superuser=True)
    topic_url = f"{live_server.url}{question.get_absolute_url()}"

    page = person_page("helper")
    log_in(page, live_server, helper)
    page.goto(topic_url)
    page.locator("#reply textarea").fill(f"@{author.username} check the TxID on Tronscan.")
    page.locator("#reply button[type=submit]").click()
    expect(page.locator("#post-3")).to_contain_text("Tronscan", timeout=TIMEOUT_MS)

    # The helper flags the spam for the moderators.
    page.locator(f"#post-{spam.number} details.flag-disclosure summary").click()
    page.locator(f"#post-{spam.number} input[value=spam]").check()
    page.locator(f"#post-{spam.number} .flag-form button[type=submit]").click()
    expect(page.locator(".messages, [role=status], .message").first).to_be_visible()

    # The author hears of the mention and the notification leads to the reply.
    reader = person_page("author")
    log_in(reader, live_server, author)
    reader.goto(f"{live_server.url}/en/notifications/")
    reader.locator(".notification-list a").filter(has_text=re.compile("mention")).first.click()
    expect(reader).to_have_url(re.compile(r"#post-3$"))
    expect(reader.locator("#post-3")).to_contain_text("Tronscan")

    # A moderator hides the flagged post from the admin's queue.
    admin = person_page("moderator")
    log_in(admin, live_server, moderator)
    admin.goto(f"{live_server.url}/admin/forum/flag/")
    admin.locator("input.action-select").first.check()
    admin.locator("select[name=action]").select_option("flags_hide")
    admin.locator("button[name=index]").click()
    expect(admin.locator(".messagelist")).to_be_visible()
    spam.refresh_from_db()
    assert spam.is_hidden
    reader.goto(topic_url)
    expect(reader.locator(f"#post-{spam.number}")).not_to_contain_text("scam.example")
