"""Search in a browser: a member types 提现 in the header's search box, sees titles suggested
as they type (a combobox: arrow keys, Escape, Enter), opens the results, and narrows them to the
forum; choosing a suggestion with the keyboard opens it."""

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from blog.models import Article
from blog.models import Category as BlogCategory
from blog.services import article_create, article_translation_save
from feedback.services import feedback_submit
from forum.models import Category
from forum.services import post_reply, topic_create
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def content(transactional_db, settings):
    """Withdrawal (提现) questions on the forum, a guide on the blog and an idea on the
    feedback board, all written through the apps' services (which index them)."""
    settings.FORUM_ANTISPAM = {"new_topic": (100, 60), "new_post": (100, 60),
                               "new_account_links": 100}
    section = Category.objects.language("en").create(slug="start", name="Getting started")
    wallet = Category.objects.language("en").create(slug="wallet", name="Wallet",
                                                    parent=section)
    asker, helper = UserFactory(display_name="小明"), UserFactory(display_name="Alice")
    stuck = topic_create(category=wallet, author=asker, title="提现失败怎么办",
                         body="我的 USDT 提现一直显示失败。", language="zh-hans")
    post_reply(topic=stuck, author=helper, body="提现前先检查网络是否选对了。")
    topic_create(category=wallet, author=helper, title="USDT 提现多久到账",
                 body="TRC-20 网络一般几分钟。", language="zh-hans")
    guides = BlogCategory.objects.language("en").create(slug="guides", name="Guides")
    article = article_create(category=guides, authors=[UserFactory(is_staff=True)],
                             title="How to withdraw", body="Withdrawals step by step.",
                             status=Article.Status.PUBLISHED)
    article_translation_save(article=article, language="zh-hans", title="如何提现",
                             slug="ru-he-ti-xian", body="一步一步提现。")
    feedback_submit(source="web", author=asker, language="zh-hans", title="提现手续费降低一点",
                    body="希望降低提现手续费。")
    return stuck


def test_a_member_finds_withdrawal_help_from_the_header(page: Page, live_server, content):
    page.goto(f"{live_server.url}/zh-hans/")
    box = page.locator("#header-q")
    box.fill("提现")

    # Titles of every kind are suggested under the box while typing.
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    expect(options.filter(has_text="提现失败怎么办")).to_have_count(1)
    expect(options.filter(has_text="如何提现")).to_have_count(1)
    expect(options.filter(has_text="提现手续费降低一点")).to_have_count(1)

    # Arrow keys move through them; Escape closes the list and keeps the text.
    box.press("ArrowDown")
    first = options.first
    expect(first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_value("提现")

    # With no suggestion chosen, Enter searches: results of every kind, the word marked.
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/zh-hans/search/\?q=" + re.escape(quote("提现"))))
    results = page.locator(".hit-list")
    expect(results.locator(".hit")).to_have_count(5)
    expect(results).to_contain_text("如何提现")
    expect(results).to_contain_text("提现手续费降低一点")
    expect(results.locator("mark").first).to_have_text("提现")
    expect(page.locator('[data-tab="forum"] .tab-count')).to_have_text("3")

    # The forum tab keeps the query and shows topics and replies only.
    page.locator('[data-tab="forum"]').click()
    expect(page).to_have_url(re.compile(r"kind=forum"))
    expect(page.locator('[data-tab="forum"]')).to_have_attribute("aria-current", "page")
    expect(results.locator(".hit")).to_have_count(3)
    expect(results.locator(".hit-topic, .hit-post")).to_have_count(3)
    expect(results).not_to_contain_text("提现手续费降低一点")
    expect(page.locator("#search-q")).to_have_value("提现")

    # Choosing a suggestion with the keyboard opens it.
    box = page.locator("#header-q")
    box.fill("提现失败")
    option = page.get_by_role("listbox").get_by_role("option", name=re.compile("提现失败怎么办"))
    expect(option).to_be_visible()
    box.press("ArrowDown")
    box.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(f"/{content.pk}/")))
    expect(page.get_by_role("heading", level=1)).to_have_text("提现失败怎么办")
    assert page.js_errors == []
