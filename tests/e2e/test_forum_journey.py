"""The forum in a browser: a member quotes a post in a reply, another reacts to it without a
reload, and the topic's author accepts it as the answer to a question; a mention reaches the
person mentioned, and a flagged post is hidden by a moderator from the admin's queue."""

import base64
import re

import pytest
from playwright.sync_api import expect

from forum.models import Category, Post, Topic
from forum.services import post_reply, topic_create
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.test_layout import log_in
from tests.factories import UserFactory
from tests.uploads import image_bytes

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


def _drop_image(page, selector: str) -> None:
    """Drop a PNG onto the Markdown editor, as a user dragging a screenshot in would."""
    page.locator(selector).evaluate("""(editor, data) => {
        const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
        const files = new DataTransfer();
        files.items.add(new File([bytes], "deposit.png", {type: "image/png"}));
        editor.dispatchEvent(new DragEvent("drop", {dataTransfer: files, bubbles: true,
                                                     cancelable: true}));
    }""", base64.b64encode(image_bytes()).decode())


def test_a_new_members_question_is_answered_liked_and_accepted(person_page, live_server,
                                                                question):
    """A new member asks in 中文 with a screenshot and a mention; the member mentioned replies
    quoting it and reacts; the asker is notified, and accepts the answer."""
    qa, helper = question.category, UserFactory(username="alice", display_name="Alice Trader")
    asker = UserFactory(display_name="小明", language="zh-hans")  # joined just now

    page = person_page("asker", locale="zh-CN")
    log_in(page, live_server, asker)
    page.goto(f"{live_server.url}/zh-hans{qa.get_absolute_url()[len('/en'):]}new/")
    page.locator("#id_title").fill("TRC-20 充值十分钟还没到账")
    body = page.locator("#id_body")
    body.fill("我用 TRC-20 充值，**十分钟**了还没到账。@alice 你遇到过吗？\n\n")
    _drop_image(page, "#id_body")
    expect(body).to_have_value(re.compile(r"!\[\]\(/media/"), timeout=TIMEOUT_MS)
    page.get_by_role("button", name="发布主题").click()
    first = page.locator("#post-1")
    expect(first).to_contain_text("十分钟", timeout=TIMEOUT_MS)
    expect(first.locator("a.mention", has_text="@alice")).to_be_visible()
    image = first.locator("img")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth") > 0  # really served

    # Alice hears of the mention, quotes the question in her reply and reacts to it.
    reply_page = person_page("helper")
    log_in(reply_page, live_server, helper)
    expect(reply_page.locator("[data-testid=unread-count]")).to_have_text("1")
    reply_page.goto(f"{live_server.url}/en/notifications/")
    reply_page.locator(".notification-list a").filter(has_text="mentioned you").first.click()
    reply_page.locator("#post-1").get_by_role("link", name="Quote").click()
    reply = reply_page.locator("#reply textarea")
    expect(reply).to_have_value(re.compile("^> 我用 TRC-20", re.MULTILINE))
    reply.press("Control+End")
    reply.type("\n\nTRC-20 usually takes 1–3 minutes; check the TxID on Tronscan.")
    reply_page.locator("#reply button[type=submit]").click()
    expect(reply_page.locator("#post-2")).to_contain_text("Tronscan", timeout=TIMEOUT_MS)
    expect(reply_page.locator("#post-2 blockquote")).to_contain_text("十分钟")
    reply_page.evaluate("window.notReloaded = true")
    like = reply_page.locator("#post-1 form[data-reaction] button").first
    like.click()
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(like.locator("[data-reaction-count]")).to_have_text("1")
    assert reply_page.evaluate("window.notReloaded") is True

    # The asker sees both in the bell, follows the quote to the answer and accepts it.
    page.goto(f"{live_server.url}/zh-hans/forum/")
    expect(page.locator("[data-testid=unread-count]")).to_have_text("2")
    page.goto(f"{live_server.url}/zh-hans/notifications/")
    notes = page.locator(".notification-list li.unread")
    expect(notes).to_have_count(2)
    expect(notes.filter(has_text="赞")).to_have_count(1)  # the like, in the asker's language
    notes.locator("a", has_text="引用").click()
    expect(page).to_have_url(re.compile(r"#post-2$"))
    page.locator("#post-2").get_by_role("button", name="采纳").click()
    expect(page.locator("#post-2 .accepted-answer")).to_be_visible()
    topic = Topic.objects.get(title="TRC-20 充值十分钟还没到账")
    assert topic.accepted_post == Post.objects.get(topic=topic, number=2)
    assert topic.language == "zh-hans"
    assert Post.objects.get(topic=topic, number=1).reaction_counts == {"like": 1}


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
    page.locator(f"#post-{spam.number} a", has_text="Flag").click()
    page.locator(".flag-form input[value=spam]").check()
    page.locator(".flag-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"#post-{spam.number}$"))
    expect(page.locator(".messages")).to_contain_text("moderators will review")

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
