"""The ticket page in Django admin: the conversation (internal notes set apart), the reply box
with canned responses, changes recorded in the audit trail, the classification suggestion and
send to feedback."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from feedback.models import FeedbackItem
from tests.factories import UserFactory
from tests.tickets.services_fixtures import staff_member
from tests.uploads import image_upload, text_upload
from tickets.attachments import attachments_verify
from tickets.models import CannedResponse, Event, Message, Tag, Ticket
from tickets.services import message_post, ticket_merge

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer():
    return UserFactory(username="carol", display_name="Carol Customer")


@pytest.fixture
def ticket(make_ticket, customer):
    """A payments ticket (``agent``'s team) from Carol, with a screenshot."""
    return make_ticket(requester=customer, subject="Deposit not credited",
                       body="Sent 100 USDT an hour ago.", category="deposits-withdrawals",
                       files=attachments_verify(uploads=[image_upload("proof.png")]))


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


def page_of(ticket) -> str:
    return reverse("admin:tickets_ticket_change", args=[ticket.pk])


def form_data(ticket: Ticket, **changes) -> dict:
    """What the ticket page posts when the agent changes nothing but ``changes``."""
    data = {"subject": ticket.subject, "status": ticket.status, "priority": ticket.priority,
            "category": ticket.category_id or "", "team": ticket.team_id or "",
            "assignee": ticket.assignee_id or "", "tags": [t.pk for t in ticket.tags.all()],
            "reply": "", "canned": "", "_continue": "Save"}
    data.update(changes)
    return data


def test_the_page_shows_the_conversation_with_internal_notes_set_apart(agent_client, agent,
                                                                       ticket):
    message_post(ticket=ticket, author=agent, body="Checked the **node**.", internal=True)
    message_post(ticket=ticket, author=agent, body="We are on it.")

    page = agent_client.get(page_of(ticket)).content.decode()

    customer_part = page[page.index("Sent 100 USDT"):]
    note = page[page.rindex('class="tk-message', 0, page.index("Checked the")):]
    assert "tk-internal" in note[:60] and "Internal note" in note[:600]
    assert "<strong>node</strong>" in note  # Markdown, rendered
    assert "We are on it." in page and "tk-staff" in page
    attachment = ticket.messages.order_by("pk").first().attachments.get()
    url = reverse("tickets:attachment", kwargs={"reference": ticket.reference,
                                                "pk": attachment.pk})
    assert url in customer_part and "proof.png" in customer_part


def test_a_reply_reaches_the_customer(agent_client, agent, ticket):
    response = agent_client.post(page_of(ticket), form_data(ticket, reply="Which network?"))

    assert response.status_code == 302 and response["Location"] == page_of(ticket)
    reply = Message.objects.filter(ticket=ticket).last()
    assert (reply.body, reply.author, reply.is_staff_reply, reply.is_internal) == \
        ("Which network?", agent, True, False)
    ticket.refresh_from_db()
    assert ticket.first_response_at is not None and ticket.status == Ticket.Status.OPEN


def test_an_internal_note_stays_internal(agent_client, ticket):
    agent_client.post(page_of(ticket), form_data(ticket, reply="VIP, be quick.", internal="on"))

    note = Message.objects.filter(ticket=ticket).last()
    assert note.is_internal and note.body == "VIP, be quick."
    ticket.refresh_from_db()
    assert ticket.first_response_at is None  # a note is no answer


def test_a_reply_with_an_attachment(agent_client, ticket):
    agent_client.post(page_of(ticket), form_data(
        ticket, reply="See the screenshot.", attachments=[image_upload("steps.png")]))

    reply = Message.objects.filter(ticket=ticket).last()
    assert [a.name for a in reply.attachments.all()] == ["steps.png"]


def test_a_bad_attachment_changes_nothing(agent_client, ticket):
    response = agent_client.post(page_of(ticket), form_data(
        ticket, priority="urgent", reply="See attached.",
        attachments=[text_upload("evil.png")]))

    assert response.status_code == 200
    assert "is not a file we accept" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.priority == "normal" and ticket.messages.count() == 1


def test_the_assignee_must_be_staff(agent_client, ticket, customer):
    response = agent_client.post(page_of(ticket), form_data(ticket, assignee=customer.pk))

    assert response.status_code == 200 and response.context["adminform"].form.errors
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_a_canned_response_without_javascript_is_sent_filled_in(agent_client, ticket):
    greeting = CannedResponse.objects.get(slug="greeting")

    agent_client.post(page_of(ticket), form_data(ticket, canned=greeting.pk))

    reply = Message.objects.filter(ticket=ticket).last()
    assert reply.body.startswith("Hi Carol Customer, thanks for contacting OKX support about "
                                 f"{ticket.reference}.")
    assert reply.body.endswith("Agent Pay") and "{{" not in reply.body


def test_a_typed_reply_wins_over_the_canned_choice(agent_client, ticket):
    greeting = CannedResponse.objects.get(slug="greeting")
    agent_client.post(page_of(ticket), form_data(ticket, canned=greeting.pk,
                                                 reply="Edited greeting"))
    assert Message.objects.filter(ticket=ticket).last().body == "Edited greeting"


def test_the_canned_endpoint_fills_the_placeholders_for_the_reply_box(agent_client, ticket):
    greeting = CannedResponse.objects.get(slug="greeting")
    url = reverse("admin:tickets_ticket_canned", args=[ticket.pk])

    text = agent_client.get(url, {"canned": greeting.pk}).json()["text"]
    assert text.startswith("Hi Carol Customer,") and ticket.reference in text

    bad = agent_client.get(url, {"canned": "999999"})
    assert bad.status_code == 400 and bad.json()["error"] == \
        "Choose a canned response from the list."


def test_the_canned_choices_have_translated_titles(agent_client, ticket):
    page = agent_client.get(page_of(ticket), headers={"accept-language": "zh-hans"})
    assert "索取交易哈希" in page.content.decode()


def test_each_changed_field_is_recorded_in_the_audit_trail(agent_client, agent, ticket,
                                                          support_desk):
    Tag.objects.create(name="vip")
    response = agent_client.post(page_of(ticket), form_data(
        ticket, priority="high", status="waiting", assignee=agent.pk,
        tags=[Tag.objects.get(name="vip").pk], subject="Deposit of 100 USDT not credited"))

    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.priority, ticket.status, ticket.assignee) == ("high", "waiting", agent)
    assert ticket.subject == "Deposit of 100 USDT not credited"
    assert list(ticket.tags.values_list("name", flat=True)) == ["vip"]
    changes = Event.objects.filter(ticket=ticket, actor=agent)
    assert sorted(changes.values_list("kind", flat=True)) == sorted(
        [Event.Kind.PRIORITY, Event.Kind.STATUS, Event.Kind.ASSIGNEE, Event.Kind.TAGS])
    assert changes.get(kind=Event.Kind.STATUS).is_public

    page = agent_client.get(page_of(ticket)).content.decode()
    audit = page[page.index("tk-audit"):]
    assert "waiting on customer" in audit and "Agent Pay" in audit


def test_saving_without_changes_records_nothing(agent_client, ticket):
    before = Event.objects.count()
    agent_client.post(page_of(ticket), form_data(ticket))
    assert Event.objects.count() == before and ticket.messages.count() == 1


def test_accepting_the_suggestion(agent_client, agent, make_ticket):
    ticket = make_ticket(subject="My withdrawal is gone", body="Help", category=None)
    assert (ticket.suggested_category.slug, ticket.suggested_priority) == \
        ("deposits-withdrawals", "high")
    page = agent_client.get(page_of(ticket)).content.decode()
    accept = reverse("admin:tickets_ticket_accept_suggestion", args=[ticket.pk])
    assert f'formaction="{accept}"' in page and "rule “withdrawal”" in page

    response = agent_client.post(accept)

    assert response.status_code == 302 and response["Location"] == page_of(ticket)
    ticket.refresh_from_db()
    assert (ticket.category.slug, ticket.priority) == ("deposits-withdrawals", "high")
    assert set(Event.objects.filter(ticket=ticket, actor=agent).values_list(
        "kind", flat=True)) == {Event.Kind.CATEGORY, Event.Kind.PRIORITY}
    assert f'formaction="{accept}"' not in agent_client.get(page_of(ticket)).content.decode()


def test_accepting_a_suggestion_already_taken_changes_nothing(agent_client, make_ticket):
    ticket = make_ticket(subject="My withdrawal is gone", body="Help", category=None)
    accept = reverse("admin:tickets_ticket_accept_suggestion", args=[ticket.pk])
    agent_client.post(accept, follow=True)  # taken, its message read
    before = Event.objects.filter(ticket=ticket).count()

    response = agent_client.post(accept, follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "This ticket has no suggestion to accept."]
    assert Event.objects.filter(ticket=ticket).count() == before


def test_the_satisfaction_rating_shows_as_stars(agent_client, ticket):
    page = agent_client.get(page_of(ticket)).content.decode()
    assert "Not rated yet." in page
    Ticket.objects.filter(pk=ticket.pk).update(csat_score=4, csat_comment="Quick & kind")

    page = agent_client.get(page_of(ticket)).content.decode()
    assert '<span class="tk-stars" title="4/5">★★★★☆</span> Quick &amp; kind' in page


def test_the_assignee_picker_says_when_there_are_more_agents(agent_client, monkeypatch):
    monkeypatch.setattr("tickets.admin.AGENTS_PER_PAGE", 1)
    staff_member(username="bob_agent")
    url = reverse("admin:tickets_ticket_agents")

    data = agent_client.get(url).json()
    assert len(data["results"]) == 1 and data["pagination"] == {"more": True}
    assert agent_client.get(url, {"term": "bob_agent"}).json()["pagination"] == {"more": False}


def test_accept_needs_a_post(agent_client, ticket):
    url = reverse("admin:tickets_ticket_accept_suggestion", args=[ticket.pk])
    assert agent_client.get(url).status_code == 405


def test_send_to_feedback_makes_one_item_however_often_it_is_pressed(agent_client, ticket):
    url = reverse("admin:tickets_ticket_send_to_feedback", args=[ticket.pk])
    agent_client.post(url)
    response = agent_client.post(url)

    assert response.status_code == 302
    item = FeedbackItem.objects.get()
    assert (item.source, item.source_ref, item.title) == \
        ("tickets.ticket", ticket.reference, "Deposit not credited")
    ticket.refresh_from_db()
    assert ticket.feedback_ref == str(item.pk)
    page = agent_client.get(page_of(ticket)).content.decode()
    assert reverse("admin:feedback_feedbackitem_change", args=[item.pk]) in page


def test_a_merged_ticket_offers_no_reply_box(agent_client, agent, ticket, make_ticket,
                                             customer):
    target = make_ticket(requester=customer, subject="Same deposit",
                         category="deposits-withdrawals")
    ticket_merge(source=ticket, target=target, actor=agent)

    page = agent_client.get(page_of(ticket)).content.decode()
    assert f"merged into {target.reference}" in page and 'name="reply"' not in page
    target_page = agent_client.get(page_of(target)).content.decode()
    assert "Sent 100 USDT" in target_page and f"from {ticket.reference}" in target_page


def test_new_messages_arrive_without_reloading(agent_client, agent, ticket):
    first = ticket.messages.get()
    url = reverse("admin:tickets_ticket_messages", args=[ticket.pk])
    assert agent_client.get(url, {"after": first.pk}).json() == {"html": "",
                                                                  "last_id": first.pk}

    message_post(ticket=ticket, author=ticket.requester, body="Any news?")
    note = message_post(ticket=ticket, author=agent, body="Ask finance.", internal=True)
    data = agent_client.get(url, {"after": first.pk}).json()

    assert data["last_id"] == note.pk
    assert "Any news?" in data["html"] and "tk-internal" in data["html"]
    assert "Sent 100 USDT" not in data["html"]
    bad = agent_client.get(url, {"after": "x"})
    assert bad.status_code == 400


def test_the_assignee_picker_offers_active_staff_only(agent_client, agent, customer):
    staff_member(username="bob_agent", display_name="Bob Builder")
    staff_member(username="gone_agent", is_active=False)
    url = reverse("admin:tickets_ticket_agents")

    everyone = {row["text"] for row in agent_client.get(url).json()["results"]}
    assert "Bob Builder (@bob_agent)" in everyone and "Agent Pay (@agent)" in everyone
    assert not any("carol" in text or "gone_agent" in text for text in everyone)
    found = agent_client.get(url, {"term": "bob"}).json()
    assert [row["text"] for row in found["results"]] == ["Bob Builder (@bob_agent)"]


def test_a_view_only_staff_member_sees_no_reply_box(client, ticket, support_desk):
    viewer = staff_member(username="viewer", group=None,
                          teams=[support_desk.teams["payments"]])
    viewer.user_permissions.add(Permission.objects.get(codename="view_ticket"))
    client.force_login(viewer)

    page = client.get(page_of(ticket)).content.decode()
    assert "Sent 100 USDT" in page and 'name="reply"' not in page
    assert client.post(reverse("admin:tickets_ticket_send_to_feedback",
                               args=[ticket.pk])).status_code == 403


def test_handing_a_ticket_to_another_team_goes_back_to_the_list(agent_client, ticket,
                                                                support_desk):
    response = agent_client.post(page_of(ticket), form_data(
        ticket, team=support_desk.teams["trust-safety"].pk, reply="Passing you to security."))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:tickets_ticket_changelist")
    ticket.refresh_from_db()
    assert ticket.team.slug == "trust-safety" and ticket.messages.count() == 2
    messages = [str(m) for m in agent_client.get(response["Location"]).context["messages"]]
    assert f"{ticket.reference} was saved and is now handled by another team." in messages


# New messages, asked every few seconds by the ticket page: the user, the permissions (two),
# the agent's teams, the ticket, whether the agent handles it (internal notes), the messages
# with their authors, their attachments (the session comes from the cache).
NEW_MESSAGES_QUERIES = 8


def test_new_messages_cost_the_same_queries_however_many_arrived(
        agent_client, agent, ticket, support_desk, django_assert_num_queries):
    first = ticket.messages.get()
    url = reverse("admin:tickets_ticket_messages", args=[ticket.pk])

    def arrived() -> str:
        with django_assert_num_queries(NEW_MESSAGES_QUERIES):
            return agent_client.get(url, {"after": first.pk}).json()["html"]

    message_post(ticket=ticket, author=ticket.requester, body="Any news?")
    assert arrived().count('class="tk-message') == 1
    colleague = staff_member(username="colleague", display_name="Col League",
                             teams=[support_desk.teams["payments"]])
    for n in range(4):
        message_post(ticket=ticket, author=agent, body=f"Note {n}", internal=True,
                     files=attachments_verify(uploads=[image_upload(f"{n}.png")]))
        message_post(ticket=ticket, author=colleague, body=f"Reply {n}")
    assert arrived().count('class="tk-message') == 9
