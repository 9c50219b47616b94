"""The support desk end to end, in two browsers at once.

A Chinese-speaking customer opens a ticket (offered a known idea while typing the subject); an
agent triages it in Django admin (the unassigned queue, "Assign to me", a canned response filled
in for the customer); the customer sees the answer arrive without reloading, closes the ticket
and rates the help. And a live chat: the agent's answer from the admin shows in the customer's
chat as it is sent, and the customer's answer in the admin.

The customer's pages are in Simplified Chinese. Interface strings are expected as Django
renders them in zh-hans (the live server runs in this process, on the same catalogue), so the
test holds whether or not the support desk's strings are translated yet; the category names and
the canned response are translated content, and are Chinese for sure."""

import io
import re

import pytest
from django.contrib.auth.models import Group
from django.utils import translation
from playwright.sync_api import Page, expect

from feedback.models import Team
from tests.e2e.test_layout import log_in
from tests.factories import UserFactory
from tests.feedback.ideas import make_idea
from tickets import demo
from tickets.models import CannedResponse, Category, SupportTeam, Ticket
from tickets.services import ticket_change, ticket_create
from tickets.views import POLL_CHAT_MS, POLL_TICKET_MS

pytestmark = pytest.mark.e2e

# A reply counts as live when it shows within the page's poll interval plus a request or two.
LIVE_MARGIN_MS = 2000
ADMIN_REFRESH_MS = 3000  # how often static/js/tickets_admin.js asks for new messages
ADMIN_LIST = "/admin/tickets/ticket/"
SUBJECT = "提现三小时了还没有到账"
IDEA = "提现到账速度太慢"
CANNED_ZH = "{{ user.display_name }}，您好！我们正在核查您的提现 {{ ticket.reference }}。"


def zh(message: str, *, context: str = "") -> str:
    """``message`` as the live server renders it in Simplified Chinese."""
    with translation.override("zh-hans"):
        return translation.pgettext(context, message) if context else translation.gettext(
            message)


def mark_document(page: Page) -> None:
    """Tag the loaded document: ``same_document`` then tells whether the page was reloaded."""
    page.evaluate("window.notReloaded = true")


def same_document(page: Page) -> bool:
    return page.evaluate("window.notReloaded === true")


@pytest.fixture
def desk(transactional_db, settings):
    """The demo support desk (teams, translated categories, SLA targets, rules, the agent
    group) and a canned response in English and Chinese. Staff MFA has its own tests: here
    the agent signs in with a password."""
    settings.STAFF_REQUIRE_MFA = False
    demo.load(io.StringIO())
    canned = CannedResponse.objects.create(slug="checking-withdrawal")
    for language, title, body in (
            ("en", "Checking your withdrawal", "Hi {{ user.display_name }}, we are checking "
             "your withdrawal {{ ticket.reference }}."),
            ("zh-hans", "核查提现", CANNED_ZH)):
        canned.set_current_language(language)
        canned.title, canned.body = title, body
    canned.save()
    return {team.slug: team for team in SupportTeam.objects.all()}


@pytest.fixture
def agent(desk):
    """Staff in the "Support agents" group, answering for the payments desk and the default
    team (which takes live chats)."""
    agent = UserFactory(username="agent_lin", display_name="Lin Agent", is_staff=True)
    agent.groups.add(Group.objects.get(name="Support agents"))
    for slug in ("payments", "account-care"):
        desk[slug].members.add(agent)
    return agent


def test_ticket_triaged_in_admin_answered_live_then_rated(person_page, live_server, desk,
                                                          agent):
    customer = UserFactory(display_name="王小明", language="zh-hans")
    # Already on the board (routed to the triage team): the idea the subject about to be
    # typed resembles.
    Team.objects.create(slug="customer-service", name="Customer service", is_triage=True)
    idea = make_idea(title=IDEA, language="zh-hans")
    # The payments desk's other ticket, already assigned to the agent: not in the queue.
    taken = ticket_create(requester=UserFactory(), subject="Deposit not credited",
                          body="Sent USDT on TRC20 an hour ago.",
                          category=Category.objects.get(slug="deposits-withdrawals"))
    ticket_change(ticket=taken, actor=agent, assignee=agent)

    # 1. The customer opens a ticket, in Chinese.
    page = person_page("customer", locale="zh-CN")
    log_in(page, live_server, customer)
    page.goto(f"{live_server.url}/zh-hans/support/new/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.get_by_label(zh("Topic")).select_option(label="充值与提现")
    page.get_by_label(zh("Subject")).press_sequentially(SUBJECT, delay=20)
    suggestions = page.locator("[data-suggestions]")
    expect(suggestions).to_be_visible()
    with translation.override("zh-hans"):
        idea_url = idea.get_absolute_url()
    expect(suggestions.get_by_role("link", name=IDEA)).to_have_attribute("href", idea_url)
    expect(suggestions).to_contain_text(zh("Feedback idea"))
    page.get_by_label(zh("Message"), exact=True).fill(
        "昨天下午提现了 **500 USDT**，到现在还没有到账。")
    page.get_by_role("button", name=zh("Send ticket")).click()

    ticket = Ticket.objects.get(requester=customer)
    with translation.override("zh-hans"):
        ticket_url = live_server.url + ticket.get_absolute_url()
    expect(page).to_have_url(ticket_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(SUBJECT)
    expect(page.locator(".msg-customer strong")).to_have_text("500 USDT")
    expect(page.locator(".ticket-header [data-status-pill]")).to_have_text(
        zh("Received", context="ticket status"))
    assert (ticket.language, ticket.team.slug, ticket.assignee) == ("zh-hans", "payments", None)
    mark_document(page)

    # 2. The agent triages it in the admin: the unassigned queue, "Assign to me", a reply.
    admin = person_page("agent")
    log_in(admin, live_server, agent)
    admin.goto(live_server.url + ADMIN_LIST)
    rows = admin.locator("#result_list tbody tr")
    expect(rows).to_have_count(2)
    admin.locator("#changelist-filter").get_by_role("link", name="Unassigned").click()
    expect(admin).to_have_url(re.compile(r"[?&]queue=unassigned"))
    expect(rows).to_have_count(1)
    row = rows.filter(has_text=ticket.reference)
    expect(row).to_contain_text(SUBJECT)
    expect(row).to_contain_text("王小明")
    row.locator("input.action-select").check()
    admin.locator("select[name=action]").select_option(label="Assign to me")
    admin.get_by_role("button", name="Go").click()
    expect(admin.locator(".messagelist .success")).to_have_text("1 ticket assigned to you.")
    expect(rows.filter(has_text=ticket.reference)).to_have_count(0)  # out of the queue
    ticket.refresh_from_db()
    assert ticket.assignee == agent

    admin.locator("#changelist-filter").get_by_role("link", name="Assigned to me").click()
    admin.locator("#result_list").get_by_role("link", name=SUBJECT).click()
    expected_reply = CANNED_ZH.replace("{{ user.display_name }}", "王小明").replace(
        "{{ ticket.reference }}", ticket.reference)
    reply_box = admin.locator(".tk-reply")
    reply_box.get_by_label("Canned response").select_option(label="Checking your withdrawal")
    # Filled in for this ticket, in the customer's language, ready to edit before sending.
    expect(reply_box.locator("textarea[name=reply]")).to_have_value(expected_reply)
    reply_box.get_by_role("button", name="Send reply").click()
    expect(admin.locator(".messagelist .success", has_text="Reply sent to the customer.")) \
        .to_be_visible()
    expect(admin.locator(".tk-messages .tk-staff")).to_contain_text(expected_reply)

    # 3. The customer's open page shows the answer without a reload.
    answer = page.locator(".msg-staff")
    expect(answer).to_contain_text(expected_reply, timeout=POLL_TICKET_MS + LIVE_MARGIN_MS)
    expect(answer).to_contain_text("Lin Agent")
    expect(page.locator(".ticket-header [data-status-pill]")).to_have_text(
        zh("Open", context="ticket status"))
    assert same_document(page)

    # 4. Solved: the customer closes the ticket (confirming) and rates the help.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=zh("Close ticket")).click()
    expect(page.locator(".message-success")).to_contain_text(
        zh("Your ticket is closed. Glad it is sorted!"))
    rating = page.locator("#rating")
    expect(rating.get_by_role("heading")).to_have_text(zh("How did we do?"))
    rating.get_by_label(zh("Anything to add? (optional)")).fill("客服回复很快，谢谢！")
    rating.get_by_role("button", name=re.compile(rf"^5\s*{re.escape(zh('Excellent'))}$")) \
        .click()
    expect(page.locator(".message-success")).to_contain_text(zh("Thank you for rating our help!"))
    expect(rating.get_by_role("heading")).to_have_text(zh("Thanks for your rating!"))
    expect(rating).to_contain_text(
        zh("You rated our help %(score)s out of 5.") % {"score": 5})
    expect(rating.locator(".rating-comment")).to_have_text("客服回复很快，谢谢！")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.csat_score, ticket.csat_comment) == (
        Ticket.Status.CLOSED, 5, "客服回复很快，谢谢！")
    assert page.js_errors == [] and admin.js_errors == []


def test_live_chat_answered_from_the_admin(person_page, live_server, agent):
    customer = UserFactory(display_name="Alice Trader")

    # The customer starts a chat and waits for an agent.
    page = person_page("customer")
    log_in(page, live_server, customer)
    page.goto(f"{live_server.url}/en/support/")
    page.get_by_role("link", name="Chat with support").first.click()
    page.get_by_label("How can we help?").fill("How do I change my nickname?")
    page.get_by_role("button", name="Start chat").click()
    chat = Ticket.objects.get(requester=customer)
    expect(page).to_have_url(live_server.url + chat.get_absolute_url())
    assert chat.channel == Ticket.Channel.CHAT
    waiting = page.locator("[data-chat-waiting]")
    expect(waiting).to_have_text("Waiting for an agent to join…")
    mark_document(page)

    # The agent sees it on top of the admin list and answers.
    admin = person_page("agent")
    log_in(admin, live_server, agent)
    admin.goto(live_server.url + ADMIN_LIST)
    chats = admin.locator(".tk-chats")
    expect(chats.locator(".tk-chats-count")).to_have_text("1")
    expect(chats).to_contain_text("Alice Trader")
    chats.get_by_role("link", name="Answer").click()
    expect(admin.locator(".tk-messages .tk-customer")).to_contain_text(
        "How do I change my nickname?")
    reply_box = admin.locator(".tk-reply")
    reply_box.get_by_label("Reply", exact=True).fill(
        "Hi Alice! Open **Settings → Profile** and edit the nickname.")
    reply_box.get_by_role("button", name="Send reply").click()
    expect(admin.locator(".messagelist .success", has_text="Reply sent to the customer.")) \
        .to_be_visible()
    mark_document(admin)

    # The customer sees the answer as it is sent, and answers back with Enter.
    answer = page.locator(".msg-staff")
    expect(answer).to_contain_text("Open Settings → Profile",
                                   timeout=POLL_CHAT_MS + LIVE_MARGIN_MS)
    expect(answer.locator("strong")).to_have_text("Settings → Profile")
    expect(waiting).to_be_hidden()
    box = page.get_by_label("Your reply")
    box.fill("Found it, thanks!")
    box.press("Enter")
    expect(page.locator(".msg-customer").last).to_contain_text("Found it, thanks!")
    expect(box).to_have_value("")
    assert same_document(page)

    # ... which reaches the agent's open ticket page without a reload either.
    expect(admin.locator(".tk-messages .tk-customer").last).to_contain_text(
        "Found it, thanks!", timeout=ADMIN_REFRESH_MS + LIVE_MARGIN_MS)
    assert same_document(admin)
    chat.refresh_from_db()
    assert chat.first_response_at is not None and chat.status == Ticket.Status.OPEN
    assert page.js_errors == [] and admin.js_errors == []
