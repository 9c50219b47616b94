"""The feedback board end to end, in two browsers: a trader posts an idea (offered similar ones
while typing), a product manager answers it and plans it, and the trader sees the official
answer, the new status and a notification that leads back to the idea."""

import re

import pytest
from playwright.sync_api import Page, expect

from feedback.models import FeedbackItem, Team
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.test_layout import log_in
from tests.factories import PASSWORD, UserFactory
from tests.feedback.ideas import make_area, make_idea

pytestmark = pytest.mark.e2e

TITLE = "Dark mode for the charts on mobile"


@pytest.fixture
def board(transactional_db):
    """Product areas, a triage team and an idea already on the board, like the one about to
    be posted."""
    Team.objects.create(slug="customer-service", name="Customer service", is_triage=True)
    make_area("mobile-app", en="Mobile app")
    make_area("trading", en="Trading")
    return make_idea(title="Dark mode for the web trading view",
                     voters=UserFactory.create_batch(2))


def test_idea_answered_by_a_product_manager(page: Page, browser, live_server, board):
    trader = UserFactory(display_name="Alice Trader")
    manager = UserFactory(display_name="Lin Wei", is_product_manager=True)

    # The trader votes for the existing idea from the board, without leaving the page.
    log_in(page, live_server, trader)
    page.goto(f"{live_server.url}/en/feedback/")
    card = page.locator(".idea-card", has_text=board.title)
    vote = card.get_by_role("button", name=re.compile("^Vote"))
    expect(vote).to_have_attribute("aria-pressed", "false")
    vote.click()
    expect(vote).to_have_attribute("aria-pressed", "true")
    expect(vote).to_contain_text("4")
    expect(page).to_have_url(f"{live_server.url}/en/feedback/")

    # Post an idea; while the title is typed, the similar idea is offered to vote on instead.
    page.get_by_role("link", name="Post an idea").first.click()
    expect(page).to_have_url(f"{live_server.url}/en/feedback/new/")
    page.get_by_label("Title").press_sequentially(TITLE, delay=15)
    similar = page.locator("[data-similar]")
    expect(similar).to_be_visible()
    expect(similar.get_by_role("link", name=board.title)).to_have_attribute(
        "href", board.get_absolute_url())
    page.get_by_label("Details").fill("Charts are **too bright** at night.")
    page.get_by_label("Product area").select_option(label="Mobile app")
    page.get_by_role("button", name="Post idea").click()

    item = FeedbackItem.objects.get(title=TITLE)
    expect(page).to_have_url(f"{live_server.url}{item.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".item-body strong")).to_have_text("too bright")
    expect(page.locator(".item-header .status-pill")).to_have_text("Open")
    expect(page.locator(".message-success")).to_contain_text("Your idea is posted")
    assert item.author == trader and item.source == "web" and item.vote_count == 1

    # The product manager, in a browser of their own, answers and plans it.
    manager_context = browser.new_context(locale="en-US", viewport={"width": 1280,
                                                                    "height": 800})
    manager_context.set_default_timeout(TIMEOUT_MS)
    manager_page = manager_context.new_page()
    try:
        log_in(manager_page, live_server, manager)
        manager_page.goto(live_server.url + item.get_absolute_url())
        respond = manager_page.locator(".respond-panel")
        respond.get_by_label("Status").select_option("planned")
        respond.get_by_label("Official response").fill("Planned for the **Q3** app release.")
        respond.get_by_role("button", name="Publish").click()
        expect(manager_page.locator(".message-success")).to_contain_text(
            "Your response is published")
        expect(manager_page.locator(".item-header .status-pill")).to_have_text("Planned")
    finally:
        manager_context.close()

    # The trader sees the highlighted answer with the badge, the status, and a notification.
    page.reload()
    answer = page.locator(".comment-official")
    expect(answer).to_have_count(1)
    expect(answer).to_contain_text("Lin Wei")
    expect(answer.locator(".badge-pm")).to_have_text("Product manager")
    expect(answer.locator(".official-label")).to_have_text("Official response")
    expect(answer.locator("strong")).to_have_text("Q3")
    expect(page.locator(".item-header .status-pill")).to_have_text("Planned")
    bell = page.get_by_role("banner").locator("a.bell")
    expect(bell.get_by_test_id("unread-count")).to_have_text("1")

    bell.click()
    notification = page.locator(".notification.unread")
    expect(notification).to_have_count(1)
    expect(notification).to_contain_text(f"“{TITLE}” is now Planned")
    notification.get_by_role("link", name=re.compile("is now Planned")).click()
    expect(page).to_have_url(f"{live_server.url}{item.get_absolute_url()}")
    expect(page.get_by_role("banner").get_by_test_id("unread-count")).to_have_count(0)
    assert page.js_errors == []


def test_voting_works_without_javascript(browser, live_server, board):
    """Votes are plain forms: with JavaScript off, an anonymous click leads to log in and back
    to the board, and a vote reloads the board with a message."""
    trader = UserFactory()
    context = browser.new_context(locale="en-US", java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/en/feedback/?sort=new")
        card = page.locator(".idea-card", has_text=board.title)
        card.get_by_role("button", name=re.compile("^Vote")).click()
        expect(page).to_have_url(re.compile(r"/en/accounts/login/\?next="))
        page.locator("#id_login").fill(trader.email)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("main form").get_by_role("button").click()
        expect(page).to_have_url(f"{live_server.url}/en/feedback/?sort=new")

        card.get_by_role("button", name=re.compile("^Vote")).click()
        expect(page).to_have_url(f"{live_server.url}/en/feedback/?sort=new")
        expect(page.locator(".message-success")).to_have_text("Thanks for your vote.")
        vote = card.get_by_role("button", name=re.compile("^Vote"))
        expect(vote).to_have_attribute("aria-pressed", "true")
        expect(vote).to_contain_text("4")
    finally:
        context.close()
