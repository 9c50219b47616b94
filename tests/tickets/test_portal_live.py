"""The portal's JavaScript in headless Chromium against a live server: a chat shows the agent's
reply within 3 seconds (never an internal note), replies go without a reload, a resolved
ticket turns into the one-click rating, and the new-ticket form suggests help while the
subject is typed (two Chinese characters are enough).

Playwright runs inside each test (not the session-wide browser of tests/e2e), so these tests
can run anywhere in the suite: its event loop is gone again when the test ends."""

import re
import time

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from playwright.sync_api import expect, sync_playwright

from tests.conftest import CHROMIUM, require
from tests.e2e.conftest import CHROMIUM_ARGS
from tests.feedback.ideas import make_idea
from tickets import services
from tickets.models import Ticket
from tickets.views import POLL_CHAT_MS

# A message counts as live when it shows within the poll interval plus a request's time.
LIVE_WITHIN_MS = 3000


@pytest.fixture
def browser_for(live_server, monkeypatch, transactional_db):
    """``browser_for(user)``: a Chromium page signed in as ``user`` (a session cookie made by
    the test client). Pages record their JavaScript errors in ``page.js_errors``."""
    require("chromium", bool(CHROMIUM), "needs Chromium: apt-get install chromium")
    # The test's own ORM calls run while Playwright's event loop runs in this thread.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)

        def open_as(user):
            client = Client()
            client.force_login(user)
            context = browser.new_context(locale="en-US", viewport={"width": 1280,
                                                                    "height": 900})
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                                  "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
            page = context.new_page()
            page.js_errors = []
            page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
            return page

        yield open_as
        browser.close()
        # ORM calls made while Playwright's loop ran used connections of their own: close
        # them, or PostgreSQL cannot drop the test database at the end.
        connections.close_all()


def test_chat_shows_the_agents_reply_live_but_never_an_internal_note(
        browser_for, live_server, make_ticket, agent):
    ticket = make_ticket(channel=Ticket.Channel.CHAT, body="Hi, is anyone there?")
    page = browser_for(ticket.requester)
    page.goto(live_server.url + ticket.get_absolute_url())
    expect(page.locator("[data-chat-waiting]")).to_be_visible()
    page.wait_for_timeout(POLL_CHAT_MS)  # the page is polling by now

    services.message_post(ticket=ticket, author=agent, body="Ops: check KYC", internal=True)
    services.message_post(ticket=ticket, author=agent, body="Hello! I am **here** to help.")
    posted = time.monotonic()
    reply = page.locator(".msg-staff", has_text="I am here to help.")
    expect(reply).to_be_visible(timeout=LIVE_WITHIN_MS)
    assert time.monotonic() - posted < LIVE_WITHIN_MS / 1000
    expect(reply.locator("strong")).to_have_text("here")
    expect(page.locator("[data-status-pill]").first).to_have_text("Open")
    expect(page.locator("[data-chat-waiting]")).to_be_hidden()
    page.wait_for_timeout(POLL_CHAT_MS + 500)
    assert "Ops: check KYC" not in page.content()
    assert page.locator(".msg").count() == 2
    assert page.js_errors == []


def test_chat_reply_is_sent_with_enter_without_reloading(browser_for, live_server, make_ticket):
    ticket = make_ticket(channel=Ticket.Channel.CHAT)
    page = browser_for(ticket.requester)
    page.goto(live_server.url + ticket.get_absolute_url())
    page.evaluate("window.notReloaded = true")
    box = page.locator(".chat-input textarea")
    box.fill("My order ID is 12345")
    box.press("Enter")
    expect(page.locator(".msg-customer", has_text="My order ID is 12345")).to_be_visible()
    expect(box).to_have_value("")
    assert page.evaluate("window.notReloaded") is True
    assert ticket.messages.count() == 2

    box.press("Enter")  # nothing typed: the server's words, without a reload
    expect(page.locator("[data-reply-errors]")).to_have_text("Write a message first.")
    assert page.evaluate("window.notReloaded") is True and ticket.messages.count() == 2
    assert page.js_errors == []


def test_resolved_ticket_turns_into_the_rating_and_takes_one_click(
        browser_for, live_server, make_ticket, agent):
    ticket = make_ticket()
    page = browser_for(ticket.requester)
    page.goto(live_server.url + ticket.get_absolute_url())
    expect(page.get_by_role("button", name="Close ticket")).to_be_visible()

    services.message_post(ticket=ticket, author=agent, body="Your deposit is credited.")
    services.ticket_change(ticket=ticket, actor=agent, status=Ticket.Status.RESOLVED)
    expect(page.get_by_role("heading", name="How did we do?")).to_be_visible(timeout=5000)
    expect(page.locator("[data-status-pill]").first).to_have_text("Resolved")
    page.get_by_role("button", name=re.compile("^5")).click()
    expect(page.get_by_text("You rated our help 5 out of 5.")).to_be_visible()
    ticket.refresh_from_db()
    assert ticket.csat_score == 5
    assert page.js_errors == []


def test_new_ticket_form_suggests_help_while_typing(browser_for, live_server, support_desk,
                                                    user):
    idea = make_idea(title="Faster USDT withdrawal on TRC20")
    page = browser_for(user)
    page.goto(f"{live_server.url}/en/support/new/")
    page.get_by_label("Subject").press_sequentially("usdt withdrawal stuck", delay=10)
    suggestions = page.locator("[data-suggestions]")
    expect(suggestions).to_be_visible()
    expect(suggestions.get_by_role("link", name=idea.title)).to_have_attribute(
        "href", idea.get_absolute_url())
    expect(suggestions).to_contain_text("Feedback idea")
    page.get_by_label("Message").fill("Sent 2 hours ago, still **pending**.")
    page.get_by_role("button", name="Send ticket").click()
    ticket = Ticket.objects.get(subject="usdt withdrawal stuck")
    expect(page).to_have_url(live_server.url + ticket.get_absolute_url())
    expect(page.locator(".msg-customer strong")).to_have_text("pending")
    assert page.js_errors == []


def test_two_chinese_characters_suggest_a_solved_forum_topic(browser_for, live_server,
                                                            support_desk, ask, user):
    solved = ask("提现失败怎么办", answered=True, language="zh-hans")
    ask("提现要多久", answered=False, language="zh-hans")
    page = browser_for(user)
    page.goto(f"{live_server.url}/en/support/new/")
    page.get_by_label("Subject").press_sequentially("提现", delay=10)
    suggestions = page.locator("[data-suggestions]")
    expect(suggestions).to_be_visible()
    expect(suggestions.get_by_role("listitem")).to_have_count(1)
    expect(suggestions.get_by_role("link", name=solved.title)).to_have_attribute(
        "href", solved.get_absolute_url())
    expect(suggestions).to_contain_text("Solved forum topic")
    assert page.js_errors == []
