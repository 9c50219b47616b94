"""Events end to end: a member asks at a live AMA and upvotes in place, the host answers from
the host view in another browser, and the member sees the answer on top; then a member lands
on the waitlist of a full meetup and is promoted when an attendee cancels elsewhere."""

import pytest
from playwright.sync_api import Page, expect

from events.models import AmaQuestion
from events.services import ama_question_ask, ama_vote_toggle, meetup_rsvp
from tests.e2e.test_layout import log_in
from tests.events.conftest import make_ama, make_meetup
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e


def test_ask_upvote_and_read_the_hosts_answer(page: Page, person_page, live_server,
                                              transactional_db):
    host = UserFactory(username="wallet_lead", display_name="Wallet lead")
    member = UserFactory(username="alice", display_name="Alice")
    other = UserFactory(username="bob")
    session = make_ama(hosts=[host])
    url = f"{live_server.url}{session.get_absolute_url()}"

    log_in(page, live_server, member)
    page.goto(url)
    page.get_by_label("Your question").fill("Will the wallet support **passkeys**?")
    page.get_by_role("button", name="Ask").click()
    question = page.locator(".ama-question", has_text="Will the wallet support passkeys?")
    expect(question.locator("strong")).to_have_text("passkeys")

    # The vote toggles in place (JavaScript): no reload, so no message appears.
    page.locator(".messages").evaluate("node => node.remove()")
    vote = question.get_by_role("button", name="Vote")
    expect(vote.locator("[data-vote-count]")).to_have_text("0")
    vote.click()
    expect(vote).to_have_attribute("aria-pressed", "true")
    expect(vote.locator("[data-vote-count]")).to_have_text("1")
    expect(page.locator(".messages")).to_have_count(0)

    # Someone else's question, voted for by two, is above until the host answers ours.
    popular = UserFactory()
    theirs = ama_question_ask(session=session, author=popular, body="Gas fees on L2?")
    for voter in (popular, other):
        ama_vote_toggle(question=theirs, user=voter)
    page.reload()
    expect(page.locator(".ama-question").first).to_contain_text("Gas fees on L2?")

    desk = person_page("host")
    log_in(desk, live_server, host)
    desk.goto(url)
    desk.get_by_role("link", name="Host view").click()
    ours = AmaQuestion.objects.get(author=member)
    answer = desk.locator(f"#answer-{ours.pk}")
    answer.fill("Yes: passkeys ship in *May*.")
    answer.locator("xpath=..").get_by_role("button", name="Publish the answer").click()
    expect(desk.locator(".messages")).to_contain_text("The answer is published.")

    page.reload()
    first = page.locator(".ama-question").first
    expect(first).to_contain_text("Will the wallet support passkeys?")
    expect(first.locator(".ama-answer")).to_contain_text("Wallet lead answered")
    expect(first.locator(".ama-answer em")).to_have_text("May")
    expect(page.get_by_test_id("unread-count")).to_have_text("1")
    assert page.js_errors == [] and desk.js_errors == []


def test_the_waitlist_moves_up_when_an_attendee_cancels(page: Page, person_page, live_server,
                                                        transactional_db):
    attendee = UserFactory(username="attendee")
    waiting = UserFactory(username="waiting", timezone="Asia/Shanghai")
    meetup = make_meetup(capacity=1)
    meetup_rsvp(meetup=meetup, user=attendee)
    url = f"{live_server.url}{meetup.get_absolute_url()}"

    log_in(page, live_server, waiting)
    page.goto(url)
    expect(page.get_by_test_id("time-zone")).to_have_text("(Asia/Shanghai)")
    expect(page.get_by_test_id("seats")).to_have_text("1 of 1 seat taken")
    page.get_by_role("button", name="Join the waitlist").click()
    expect(page.get_by_test_id("rsvp-status")).to_have_text(
        "You are on the waitlist (number 1).")

    seat = person_page("attendee")
    log_in(seat, live_server, attendee)
    seat.goto(url)
    expect(seat.get_by_test_id("rsvp-status")).to_have_text("You are attending.")
    seat.get_by_role("button", name="Cancel my seat").click()
    expect(seat.locator(".messages")).to_contain_text("Your RSVP is cancelled.")

    page.reload()
    expect(page.get_by_test_id("rsvp-status")).to_have_text("You are attending.")
    expect(page.get_by_test_id("unread-count")).to_have_text("1")
    assert page.js_errors == [] and seat.js_errors == []
