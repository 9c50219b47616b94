"""The support portal as a customer uses it: my tickets, new ticket (with help suggestions and
attachments), live chat, the ticket page (reply, close, reopen, rate), live updates and
attachment downloads; bad input, rate limits, and fixed query counts."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import UserFactory
from tests.feedback.ideas import make_idea
from tests.uploads import image_upload, text_upload
from tickets import services
from tickets.models import Attachment, Event, Message, Ticket
from tickets.views import PAGE_SIZE, POLL_CHAT_MS, POLL_TICKET_MS, TICKETS_PER_HOUR

pytestmark = pytest.mark.django_db

INDEX = "/en/support/"
CREATE = "/en/support/new/"
CHAT = "/en/support/chat/"
SUGGEST = "/en/support/suggest/"
PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n"
       b"startxref\n9\n%%EOF\n")
# Queries for a signed-in customer, whatever the number of tickets, messages and attachments
# (the user included; the session and the bell's unread count come from the cache).
LIST_QUERIES = 4
TICKET_QUERIES = 5
UPDATES_QUERIES = 5
SUGGEST_QUERIES = 2  # user, and one search of the index


def url(name: str, ticket: Ticket | str, **kwargs) -> str:
    reference = ticket if isinstance(ticket, str) else ticket.reference
    return reverse(f"tickets:{name}", kwargs={"reference": reference, **kwargs})


def pdf_upload(name: str = "statement.pdf"):
    return SimpleUploadedFile(name, PDF)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def xhr(client, path, data=None):
    return client.post(path, data or {}, headers={"X-Requested-With": "XMLHttpRequest"})


def resolve(ticket: Ticket, actor, *, days_ago: float = 0) -> Ticket:
    services.ticket_change(ticket=ticket, actor=actor, status=Ticket.Status.RESOLVED)
    Ticket.objects.filter(pk=ticket.pk).update(
        resolved_at=timezone.now() - timedelta(days=days_ago))
    ticket.refresh_from_db()
    return ticket


def private_files(settings) -> list:
    root = settings.PRIVATE_MEDIA_ROOT
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


# --- My tickets -------------------------------------------------------------------------------

def test_my_tickets_lists_own_tickets_with_reference_subject_topic_and_status(
        user_client, make_ticket, other_user):
    mine = make_ticket(subject="Deposit not credited", category="deposits-withdrawals")
    chat = make_ticket(subject="Quick question", channel=Ticket.Channel.CHAT, category=None)
    theirs = make_ticket(requester=other_user, subject="Someone else's problem")

    response = user_client.get(INDEX)
    html = response.content.decode()
    assert response.status_code == 200
    assert [t.pk for t in response.context["page"].object_list] == [chat.pk, mine.pk]
    assert mine.reference in html and "Deposit not credited" in html
    assert "Deposits &amp; withdrawals" in html and "Live chat" in html
    assert 'ticket-status-new" data-status-pill>Received<' in html
    assert theirs.subject not in html and theirs.reference not in html
    assert f'href="{CREATE}"' in html and f'href="{CHAT}"' in html
    assert f'href="{mine.get_absolute_url()}"' in html


def test_my_tickets_shows_category_names_in_the_page_language(user_client, make_ticket):
    make_ticket(category="security")
    html = user_client.get("/zh-hans/support/").content.decode()
    assert "安全" in html


def test_my_tickets_filters_by_status_and_ignores_unknown_values(user_client, make_ticket):
    new = make_ticket(subject="New one")
    waiting = make_ticket(subject="Waiting one", status=Ticket.Status.WAITING)
    resolved = make_ticket(subject="Resolved one", status=Ticket.Status.RESOLVED)
    closed = make_ticket(subject="Closed one", status=Ticket.Status.CLOSED)

    def listed(query):
        response = user_client.get(INDEX, {"status": query} if query is not None else {})
        assert response.status_code == 200
        return {t.subject for t in response.context["page"].object_list}

    everything = {new.subject, waiting.subject, resolved.subject, closed.subject}
    assert listed(None) == everything
    assert listed("open") == {new.subject, waiting.subject}
    assert listed("waiting") == {waiting.subject}
    assert listed("resolved") == {resolved.subject, closed.subject}
    assert listed("nonsense") == everything


def test_my_tickets_empty_states(user_client, make_ticket):
    html = user_client.get(INDEX).content.decode()
    assert "You have not asked us anything yet." in html
    make_ticket()
    html = user_client.get(INDEX, {"status": "resolved"}).content.decode()
    assert "No tickets with this status." in html


def test_my_tickets_paginates(user_client, make_ticket):
    for n in range(PAGE_SIZE + 2):
        make_ticket(subject=f"Ticket {n}")
    first = user_client.get(INDEX)
    assert len(first.context["page"].object_list) == PAGE_SIZE
    second = user_client.get(INDEX, {"page": 2})
    assert [t.subject for t in second.context["page"].object_list] == ["Ticket 1", "Ticket 0"]
    assert user_client.get(INDEX, {"page": "x"}).status_code == 200


def test_my_tickets_last_update_is_the_latest_reply_or_status_change(
        user_client, make_ticket, agent):
    ticket = make_ticket(category="deposits-withdrawals")
    long_ago = timezone.now() - timedelta(days=3)
    Ticket.objects.filter(pk=ticket.pk).update(created_at=long_ago)
    Message.objects.filter(ticket=ticket).update(created_at=long_ago)
    Event.objects.filter(ticket=ticket).update(created_at=long_ago)
    response = user_client.get(INDEX)
    assert response.context["page"].object_list[0].last_activity == long_ago
    assert "Updated 3\xa0days ago" in response.content.decode()

    services.message_post(ticket=ticket, author=agent, body="Internal only", internal=True)
    assert user_client.get(INDEX).context["page"].object_list[0].last_activity == long_ago
    services.message_post(ticket=ticket, author=agent, body="We are on it.")
    response = user_client.get(INDEX)
    assert timezone.now() - response.context["page"].object_list[0].last_activity \
        < timedelta(minutes=1)
    assert "Updated just now" in response.content.decode()


def test_my_tickets_runs_the_same_queries_for_one_or_many_tickets(
        user_client, make_ticket, django_assert_num_queries):
    make_ticket(category="security")
    user_client.get(INDEX)  # from then on the bell's unread count is cached
    with django_assert_num_queries(LIST_QUERIES):
        user_client.get(INDEX)
    for n, slug in enumerate(["account", "trading", "kyc", "other", None] * 6):
        make_ticket(subject=f"Ticket {n}", category=slug)
    with django_assert_num_queries(LIST_QUERIES):
        response = user_client.get(INDEX)
    assert len(response.context["page"].object_list) == PAGE_SIZE


# --- New ticket -------------------------------------------------------------------------------

def test_new_ticket_form_offers_translated_topics_and_the_markdown_editor(
        user_client, support_desk):
    html = user_client.get(CREATE).content.decode()
    assert 'value="deposits-withdrawals">Deposits &amp; withdrawals<' in html
    assert "markdownx" in html and f'data-suggest-url="{SUGGEST}"' in html
    assert 'enctype="multipart/form-data"' in html
    zh = user_client.get("/zh-hans/support/new/").content.decode()
    assert ">充值与提现<" in zh


def test_new_ticket_is_created_in_the_page_language_with_attachments(
        user_client, user, support_desk, settings):
    response = user_client.post("/zh-hans/support/new/", {
        "category": "deposits-withdrawals", "subject": "  充值 未到账 ",
        "body": "我的 USDT 充值三个小时还没到账。",
        "attachments": [image_upload("screen shot.png"), pdf_upload()],
    })
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/zh-hans/support/{ticket.reference}/"
    assert (ticket.requester, ticket.subject, ticket.language, ticket.channel) == (
        user, "充值 未到账", "zh-hans", "web")
    assert ticket.category == support_desk.categories["deposits-withdrawals"]
    assert ticket.team == support_desk.teams["payments"]
    message = ticket.messages.get()
    assert message.body == "我的 USDT 充值三个小时还没到账。"
    assert sorted((a.name, a.content_type) for a in message.attachments.all()) == [
        ("screen shot.png", "image/png"), ("statement.pdf", "application/pdf")]
    assert len(private_files(settings)) == 2


@pytest.mark.parametrize(("data", "field", "error"), [
    ({"subject": "", "body": "Help"}, "subject", "Tell us in a few words what it is about."),
    ({"subject": "Help", "body": ""}, "body", "Write a message first."),
    ({"subject": "x" * 201, "body": "Help"}, "subject",
     "Keep the subject under 200 characters (it has 201)."),
    ({"subject": "Help", "body": "Help", "category": "nope"}, "category",
     "Choose a topic from the list."),
])
def test_new_ticket_bad_input_is_explained_and_saves_nothing(user_client, support_desk, data,
                                                              field, error):
    response = user_client.post(CREATE, data)
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [error]
    assert "Nothing was sent: please correct the errors below." in messages_of(response)
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("upload", [
    text_upload("screenshot.png"),
    text_upload("invoice.pdf", b"%PDF-1.4 but cut short"),
    text_upload("page.html", b"<script>alert(1)</script>"),
])
def test_new_ticket_with_a_bad_file_shows_why_and_stores_nothing(
        user_client, support_desk, settings, upload):
    response = user_client.post(CREATE, {"subject": "Help", "body": "See the file",
                                         "attachments": [image_upload(), upload]})
    assert response.status_code == 400
    [error] = response.context["form"].errors["attachments"]
    assert upload.name in error
    assert upload.name in response.content.decode()
    assert not Ticket.objects.exists() and not Attachment.objects.exists()
    assert private_files(settings) == []


def test_new_ticket_refuses_too_many_or_too_large_files(user_client, support_desk, settings):
    settings.SUPPORT_ATTACHMENT_MAX_BYTES = 200
    response = user_client.post(CREATE, {"subject": "Help", "body": "Files",
                                         "attachments": [pdf_upload(f"{n}.pdf")
                                                         for n in range(6)]})
    assert response.context["form"].errors["attachments"] == [
        "Attach at most 5 files to one message."]
    response = user_client.post(CREATE, {"subject": "Help", "body": "Files",
                                         "attachments": [image_upload(size=(400, 400))]})
    assert "is too large" in response.context["form"].errors["attachments"][0]
    assert not Ticket.objects.exists()


def test_new_tickets_are_rate_limited_per_user(user_client, support_desk):
    for n in range(TICKETS_PER_HOUR):
        assert user_client.post(CREATE, {"subject": f"T{n}", "body": "b"}).status_code == 302
    response = user_client.post(CREATE, {"subject": "One more", "body": "b"})
    assert response.status_code == 429
    assert messages_of(response) == [
        "You have opened many tickets in the last hour. Please add to one of your open "
        "tickets, or try again later."]
    assert response.context["form"]["subject"].value() == "One more"  # nothing typed is lost
    assert user_client.post(CHAT, {"body": "hello?"}).status_code == 429
    assert Ticket.objects.count() == TICKETS_PER_HOUR
    other = Client()
    other.force_login(UserFactory())
    assert other.post(CREATE, {"subject": "Mine", "body": "b"}).status_code == 302


def test_help_suggestions_are_json_with_title_url_and_kind(user_client, support_desk):
    idea = make_idea(title="Withdrawal fees for USDT are too high")
    make_idea(title="Dark mode")
    response = user_client.get(SUGGEST, {"q": "withdrawal fees"})
    assert response.status_code == 200
    assert response.json() == {"results": [
        {"title": idea.title, "url": idea.get_absolute_url(), "kind": "Feedback idea"}]}
    assert user_client.get(SUGGEST, {"q": "wi"}).json() == {"results": []}
    assert user_client.get(SUGGEST).json() == {"results": []}
    assert user_client.get(SUGGEST, {"q": "x" * 5000}).status_code == 200
    assert user_client.post(SUGGEST, {"q": "withdrawal"}).status_code == 405


def test_help_suggestions_need_a_sign_in(client):
    response = client.get(SUGGEST, {"q": "withdrawal fees"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_help_suggestions_run_one_search_whatever_the_number_found(
        user_client, support_desk, django_assert_num_queries):
    make_idea(title="Withdrawal fees for USDT are too high")
    with django_assert_num_queries(SUGGEST_QUERIES):
        assert len(user_client.get(SUGGEST, {"q": "withdrawal fees"}).json()["results"]) == 1
    for n in range(6):
        make_idea(title=f"Withdrawal fees idea {n}")
    with django_assert_num_queries(SUGGEST_QUERIES):
        assert len(user_client.get(SUGGEST, {"q": "withdrawal fees"}).json()["results"]) == 5


# --- Live chat --------------------------------------------------------------------------------

def test_chat_start_form_says_when_a_chat_becomes_a_ticket(user_client, support_desk, settings):
    settings.SUPPORT_CHAT_TIMEOUT_MINUTES = 7
    response = user_client.get(CHAT)
    assert response.status_code == 200
    assert "If nobody is free within 7 minutes" in response.content.decode()


def test_chat_opens_a_chat_ticket_shown_as_a_chat(user_client, user, support_desk):
    body = "Hello, my withdrawal to my Ledger wallet is stuck since yesterday evening, why?"
    response = user_client.post(CHAT, {"body": body})
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == ticket.get_absolute_url()
    assert ticket.channel == Ticket.Channel.CHAT and ticket.requester == user
    assert ticket.subject == "Hello, my withdrawal to my Ledger wallet is…"
    assert ticket.messages.get().body == body

    page = user_client.get(ticket.get_absolute_url())
    html = page.content.decode()
    assert "conversation-chat" in html and "chat-input" in html
    assert f'data-poll-ms="{POLL_CHAT_MS}"' in html
    assert "Waiting for an agent to join" in html
    assert 'data-escalated-notice hidden' in html


def test_chat_subject_of_a_chinese_message_is_its_first_characters(user_client, support_desk):
    user_client.post(CHAT, {"body": "你好" * 60})
    assert Ticket.objects.get().subject == "你好" * 39 + "你…"


def test_empty_chat_message_is_refused(user_client, support_desk):
    response = user_client.post(CHAT, {"body": "   "})
    assert response.status_code == 400
    assert response.context["form"].errors["body"] == ["Write a message first."]
    assert not Ticket.objects.exists()


def test_unanswered_chat_shows_it_became_a_ticket(user_client, make_ticket, settings):
    ticket = make_ticket(channel=Ticket.Channel.CHAT)
    later = timezone.now() + timedelta(minutes=settings.SUPPORT_CHAT_TIMEOUT_MINUTES + 1)
    assert services.chats_escalate(now=later) == 1
    html = user_client.get(ticket.get_absolute_url()).content.decode()
    assert "Your chat became a ticket: we will email you" in html
    assert "data-escalated-notice hidden" not in html
    updates = user_client.get(url("updates", ticket), {"after": 0}).json()
    assert updates["escalated"] is True
    assert "it became a ticket answered by email" in updates["timeline_html"]


# --- The ticket page --------------------------------------------------------------------------

def test_ticket_page_shows_the_conversation_timeline_and_actions(
        user_client, make_ticket, agent):
    ticket = make_ticket(category="deposits-withdrawals",
                         body="Where is my **deposit**?<script>alert(1)</script>",
                         files=[])
    services.message_post(ticket=ticket, author=agent, body="Checking the chain now.")
    services.message_post(ticket=ticket, author=agent, body="Ops: node lagging", internal=True)
    services.ticket_change(ticket=ticket, actor=agent, status=Ticket.Status.WAITING)

    response = user_client.get(ticket.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Where is my <strong>deposit</strong>?" in html and "<script>alert" not in html
    assert "Checking the chain now." in html and "Ops: node lagging" not in html
    assert 'class="msg msg-staff"' in html and "badge-staff" in html
    assert "Agent Pay" in html and "OKX support" in html
    assert 'ticket-status-waiting" data-status-pill>Waiting on you<' in html
    assert "Ticket opened" in html and "Status changed to “Open”" in html
    assert "Status changed to “Waiting on you”" in html
    assert url("close", ticket) in html and url("reopen", ticket) not in html
    assert url("reply", ticket) in html and url("rate", ticket) not in html
    assert f'data-poll-ms="{POLL_TICKET_MS}"' in html


def test_ticket_page_links_attachments_images_inline(user_client, make_ticket):
    ticket = make_ticket(files=[])
    services.message_post(ticket=ticket, author=ticket.requester, body="Files",
                          files=_verified(image_upload("error.png"), pdf_upload("tx.pdf")))
    image, pdf = Attachment.objects.order_by("id")
    html = user_client.get(ticket.get_absolute_url()).content.decode()
    assert f'<img src="{url("attachment", ticket, pk=image.pk)}" alt="error.png"' in html
    assert f'href="{url("attachment", ticket, pk=pdf.pk)}" download' in html


def _verified(*uploads):
    from tickets.attachments import attachments_verify

    return attachments_verify(uploads=uploads)


def test_merged_ticket_points_to_the_ticket_it_was_merged_into(user_client, make_ticket, agent):
    source = make_ticket(subject="Deposit again", category="deposits-withdrawals")
    target = make_ticket(subject="Deposit missing", category="deposits-withdrawals")
    services.ticket_merge(source=source, target=target, actor=agent)

    html = user_client.get(source.get_absolute_url()).content.decode()
    assert "This ticket was merged into another one" in html
    assert f'href="{target.get_absolute_url()}"' in html
    assert url("reply", source) not in html and url("reopen", source) not in html
    assert f"Merged into {target.reference}" in html
    target_html = user_client.get(target.get_absolute_url()).content.decode()
    assert f"From {source.reference}, merged into this ticket" in target_html


def test_other_spellings_of_a_reference_redirect_to_the_ticket(user_client, make_ticket):
    ticket = make_ticket()
    for spelling in (ticket.reference.lower(), str(ticket.pk), f"T-{ticket.pk}"):
        response = user_client.get(url("detail", spelling))
        assert (response.status_code, response["Location"]) == (301, ticket.get_absolute_url())


@pytest.mark.parametrize("reference", ["T-abc", "999999999999999", "T-000000", "T--1", "0",
                                       "T-99999999"])
def test_bad_references_are_404_everywhere(user_client, make_ticket, reference):
    make_ticket()
    for name in ("detail", "updates"):
        assert user_client.get(url(name, reference)).status_code == 404
    for name in ("reply", "close", "reopen", "rate"):
        assert user_client.post(url(name, reference), {"body": "x", "score": 5}) \
            .status_code == 404
    assert user_client.get(url("attachment", reference, pk=1)).status_code == 404


# --- Replying ---------------------------------------------------------------------------------

def test_reply_is_posted_with_attachments(user_client, make_ticket, settings):
    ticket = make_ticket()
    response = user_client.post(url("reply", ticket), {
        "body": "Here is the screenshot.", "attachments": [image_upload("proof.jpg", "JPEG")]})
    message = ticket.messages.order_by("id").last()
    assert response.status_code == 302
    assert response["Location"] == f"{ticket.get_absolute_url()}#message-{message.pk}"
    assert message.body == "Here is the screenshot." and not message.is_staff_reply
    assert [a.name for a in message.attachments.all()] == ["proof.jpg"]
    page = user_client.get(response["Location"])
    assert "Your message is sent." in messages_of(page)


def test_reply_with_only_a_file_is_fine_but_an_empty_one_is_refused(user_client, make_ticket):
    ticket = make_ticket()
    assert user_client.post(url("reply", ticket),
                            {"body": "", "attachments": [pdf_upload()]}).status_code == 302
    response = user_client.post(url("reply", ticket), {"body": "   "})
    assert response.status_code == 400
    assert response.context["reply_form"].errors["body"] == ["Write a message first."]
    assert "Your message was not sent: please correct it below." in messages_of(response)
    assert ticket.messages.count() == 2


def test_reply_with_a_bad_file_stores_nothing(user_client, make_ticket, settings):
    ticket = make_ticket()
    response = user_client.post(url("reply", ticket), {
        "body": "See attached", "attachments": [text_upload("virus.png", b"MZ\x90\x00")]})
    assert response.status_code == 400
    assert "virus.png" in response.context["reply_form"].errors["attachments"][0]
    assert ticket.messages.count() == 1 and private_files(settings) == []


def test_reply_to_a_closed_ticket_is_refused(user_client, make_ticket):
    ticket = make_ticket(status=Ticket.Status.CLOSED)
    response = user_client.post(url("reply", ticket), {"body": "Hello again"})
    assert response.status_code == 400
    assert "This ticket is closed. Reopen it or open a new one." in response.content.decode()
    assert ticket.messages.count() == 1


def test_reply_to_a_resolved_ticket_reopens_it(user_client, make_ticket, agent):
    ticket = resolve(make_ticket(), agent)
    html = user_client.get(ticket.get_absolute_url()).content.decode()
    assert "Replying reopens this ticket." in html
    assert user_client.post(url("reply", ticket), {"body": "Still broken"}).status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN


def test_reply_from_javascript_answers_json(user_client, make_ticket):
    ticket = make_ticket()
    response = xhr(user_client, url("reply", ticket), {"body": "Sent from the chat box"})
    assert response.status_code == 200
    assert response.json() == {"id": ticket.messages.order_by("id").last().pk}
    response = xhr(user_client, url("reply", ticket), {"body": ""})
    assert response.status_code == 400
    assert response.json() == {"errors": ["Write a message first."]}


def test_replies_are_rate_limited(user_client, make_ticket, monkeypatch):
    monkeypatch.setattr("tickets.views.REPLIES_PER_HOUR", 2)
    ticket = make_ticket()
    for n in range(2):
        assert user_client.post(url("reply", ticket), {"body": f"r{n}"}).status_code == 302
    response = xhr(user_client, url("reply", ticket), {"body": "too fast"})
    assert response.status_code == 429
    assert response.json() == {"errors": [
        "You are sending messages very fast. Please wait a little."]}
    assert ticket.messages.count() == 3


@pytest.mark.parametrize("name", ["reply", "close", "reopen", "rate"])
def test_actions_need_post(user_client, make_ticket, name):
    ticket = make_ticket()
    assert user_client.get(url(name, ticket)).status_code == 405


@pytest.mark.parametrize("name", ["reply", "close", "reopen", "rate"])
def test_actions_need_the_csrf_token(user, make_ticket, agent, name):
    ticket = resolve(make_ticket(), agent) if name in ("reopen", "rate") else make_ticket()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(url(name, ticket), {"body": "x", "score": 5})
    assert response.status_code == 403
    fresh = Ticket.objects.get(pk=ticket.pk)
    assert (fresh.status, fresh.csat_score, fresh.messages.count()) == (
        ticket.status, None, 1)


# --- Close, reopen, rate ----------------------------------------------------------------------

def test_close_an_open_ticket(user_client, make_ticket):
    ticket = make_ticket()
    response = user_client.post(url("close", ticket), follow=True)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED
    assert "Your ticket is closed. Glad it is sorted!" in messages_of(response)
    html = response.content.decode()
    assert url("close", ticket) not in html and url("reopen", ticket) in html
    assert url("rate", ticket) in html
    assert 'data-poll-ms="0"' in html


def test_reopen_within_the_window(user_client, make_ticket, agent, settings):
    ticket = resolve(make_ticket(), agent, days_ago=settings.SUPPORT_REOPEN_DAYS - 1)
    html = user_client.get(ticket.get_absolute_url()).content.decode()
    assert "Still not solved? You can reopen it until" in html
    response = user_client.post(url("reopen", ticket), follow=True)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN and ticket.resolved_at is None
    assert "Your ticket is open again: tell us what is still wrong." in messages_of(response)


def test_reopen_too_late_is_refused(user_client, make_ticket, agent, settings):
    ticket = resolve(make_ticket(), agent, days_ago=settings.SUPPORT_REOPEN_DAYS + 1)
    html = user_client.get(ticket.get_absolute_url()).content.decode()
    assert url("reopen", ticket) not in html and url("reply", ticket) not in html
    assert "If you still need help, please open a new ticket." in html
    response = user_client.post(url("reopen", ticket))
    assert response.status_code == 400
    assert messages_of(response) == [
        f"This ticket was resolved more than {settings.SUPPORT_REOPEN_DAYS} days ago: please "
        "open a new one."]
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.RESOLVED


def test_closing_or_reopening_twice_changes_nothing(user_client, make_ticket):
    ticket = make_ticket()
    user_client.post(url("close", ticket))
    events = Event.objects.filter(ticket=ticket).count()
    assert user_client.post(url("close", ticket)).status_code == 302
    assert Event.objects.filter(ticket=ticket).count() == events
    user_client.post(url("reopen", ticket))
    assert user_client.post(url("reopen", ticket)).status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN


def test_one_click_rating_after_resolution(user_client, make_ticket, agent):
    ticket = resolve(make_ticket(), agent)
    html = user_client.get(ticket.get_absolute_url()).content.decode()
    assert "How did we do?" in html
    for score in range(1, 6):
        assert f'name="score" value="{score}"' in html

    response = user_client.post(url("rate", ticket), {"score": "4", "comment": "Quick, thanks"},
                                follow=True)
    ticket.refresh_from_db()
    assert (ticket.csat_score, ticket.csat_comment) == (4, "Quick, thanks")
    assert "Thank you for rating our help!" in messages_of(response)
    html = response.content.decode()
    assert "Thanks for your rating!" in html and "You rated our help 4 out of 5." in html
    assert "Quick, thanks" in html and "Change your rating" in html

    user_client.post(url("rate", ticket), {"score": "5"})
    ticket.refresh_from_db()
    assert (ticket.csat_score, ticket.csat_comment) == (5, "")


@pytest.mark.parametrize("score", ["0", "9", "x", "", "4.5", "-1"])
def test_bad_ratings_are_refused(user_client, make_ticket, agent, score):
    ticket = resolve(make_ticket(), agent)
    response = user_client.post(url("rate", ticket), {"score": score})
    assert response.status_code == 400
    assert messages_of(response) == ["Choose a rating from 1 to 5."]
    assert "Choose a rating from 1 to 5." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.csat_score is None


def test_rating_an_open_ticket_is_refused(user_client, make_ticket):
    ticket = make_ticket()
    response = user_client.post(url("rate", ticket), {"score": "5"})
    assert response.status_code == 400
    assert messages_of(response) == ["You can rate the help once your ticket is resolved."]
    ticket.refresh_from_db()
    assert ticket.csat_score is None


def test_rating_comment_has_a_limit(user_client, make_ticket, agent):
    ticket = resolve(make_ticket(), agent)
    response = user_client.post(url("rate", ticket), {"score": "3", "comment": "x" * 2001})
    assert response.status_code == 400
    assert messages_of(response) == [
        "Keep your comment under 2000 characters (it has 2001)."]
    ticket.refresh_from_db()
    assert ticket.csat_score is None


# --- Live updates -----------------------------------------------------------------------------

def test_updates_return_new_messages_rendered_like_the_page(user_client, make_ticket, agent):
    ticket = make_ticket(category="deposits-withdrawals")
    first = ticket.messages.get()
    empty = user_client.get(url("updates", ticket), {"after": first.pk}).json()
    assert empty["html"] == "" and empty["last_id"] == first.pk
    assert (empty["status"], empty["status_label"], empty["is_open"], empty["escalated"]) == (
        "new", "Received", True, False)

    reply = services.message_post(ticket=ticket, author=agent, body="Found it: **credited**.")
    services.message_post(ticket=ticket, author=agent, body="Secret ops note", internal=True)
    data = user_client.get(url("updates", ticket), {"after": first.pk}).json()
    assert data["last_id"] == reply.pk
    assert f'id="message-{reply.pk}"' in data["html"]
    assert "<strong>credited</strong>" in data["html"]
    assert "msg-staff" in data["html"] and "Secret ops note" not in data["html"]
    assert f'id="message-{first.pk}"' not in data["html"]
    assert (data["status"], data["status_label"]) == ("open", "Open")
    assert "Status changed to “Open”" in data["timeline_html"]

    page = user_client.get(ticket.get_absolute_url()).content.decode()
    assert data["html"].strip() in page  # the same partial on the page and in the updates


def test_updates_tell_the_page_when_the_ticket_is_resolved(user_client, make_ticket, agent):
    ticket = resolve(make_ticket(), agent)
    data = user_client.get(url("updates", ticket), {"after": 0}).json()
    assert (data["status"], data["status_label"], data["is_open"]) == (
        "resolved", "Resolved", False)


@pytest.mark.parametrize("after", ["x", "-1", "1.5", "9" * 30])
def test_updates_with_a_bad_after_are_400(user_client, make_ticket, after):
    ticket = make_ticket()
    response = user_client.get(url("updates", ticket), {"after": after})
    assert response.status_code == 400
    assert response.json() == {"error": "“after” must be a message number."}


def test_updates_are_get_only(user_client, make_ticket):
    assert user_client.post(url("updates", make_ticket())).status_code == 405


# --- Attachments ------------------------------------------------------------------------------

def test_image_attachment_is_served_inline_with_safe_headers(user_client, make_ticket):
    ticket = make_ticket(files=_verified(image_upload("error.png")))
    attachment = Attachment.objects.get()
    response = user_client.get(url("attachment", ticket, pk=attachment.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"


def test_pdf_attachment_is_a_download(user_client, make_ticket):
    ticket = make_ticket(files=_verified(pdf_upload("bank statement.pdf")))
    response = user_client.get(url("attachment", ticket, pk=Attachment.objects.get().pk))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bank statement.pdf"'
    assert b"".join(response.streaming_content) == PDF


def test_attachment_of_another_ticket_or_missing_on_disk_is_404(user_client, make_ticket):
    ticket = make_ticket(files=_verified(pdf_upload()))
    other = make_ticket()
    attachment = Attachment.objects.get()
    assert user_client.get(url("attachment", other, pk=attachment.pk)).status_code == 404
    assert user_client.get(url("attachment", ticket, pk=attachment.pk + 1)).status_code == 404
    assert user_client.get(url("attachment", ticket, pk=2**70)).status_code == 404
    attachment.file.delete(save=False)
    assert user_client.get(url("attachment", ticket, pk=attachment.pk)).status_code == 404


# --- Query counts -----------------------------------------------------------------------------

def test_ticket_page_runs_the_same_queries_however_long_the_conversation(
        user_client, make_ticket, agent, django_assert_num_queries):
    ticket = make_ticket(category="deposits-withdrawals", files=_verified(image_upload()))
    user_client.get(ticket.get_absolute_url())  # from then on the bell's unread count is cached
    with django_assert_num_queries(TICKET_QUERIES):
        user_client.get(ticket.get_absolute_url())
    with django_assert_num_queries(UPDATES_QUERIES):
        user_client.get(url("updates", ticket), {"after": 0})
    other = make_ticket(requester=ticket.requester, category="deposits-withdrawals")
    for n in range(10):
        services.message_post(ticket=ticket, author=agent, body=f"Reply {n}",
                              files=_verified(pdf_upload(), image_upload()))
        services.message_post(ticket=ticket, author=ticket.requester, body=f"Answer {n}")
        services.message_post(ticket=ticket, author=agent, body=f"Note {n}", internal=True)
    services.ticket_merge(source=other, target=ticket, actor=agent)
    services.ticket_change(ticket=ticket, actor=agent, status=Ticket.Status.WAITING)
    with django_assert_num_queries(TICKET_QUERIES):
        response = user_client.get(ticket.get_absolute_url())
    assert len(response.context["conversation"]) == 22
    with django_assert_num_queries(UPDATES_QUERIES):
        user_client.get(url("updates", ticket), {"after": 0})


def test_pages_render_in_chinese(user_client, make_ticket, agent):
    ticket = make_ticket()
    services.message_post(ticket=ticket, author=agent, body="我们正在处理。")
    with translation.override("zh-hans"):
        path = ticket.get_absolute_url()
    assert path.startswith("/zh-hans/support/")
    for page in (path, "/zh-hans/support/", "/zh-hans/support/new/", "/zh-hans/support/chat/"):
        response = user_client.get(page)
        assert response.status_code == 200, page
        assert '<html lang="zh-hans">' in response.content.decode()
    assert json.loads(user_client.get(f"{path}updates/?after=0").content)["html"]
