"""Who reaches which ticket through the portal's URLs. Another user's ticket, message,
attachment or internal note is a 404 by every URL, and nothing changes; internal notes never
reach the requester; an agent sees their team's tickets only, a supervisor all; anonymous
visitors are sent to log in."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.uploads import image_upload
from tickets import services
from tickets.attachments import attachments_verify
from tickets.models import Attachment, Event, Message, Ticket

pytestmark = pytest.mark.django_db

GET_URLS = ["detail", "updates"]
POST_URLS = ["reply", "close", "reopen", "rate"]


def ticket_url(name: str, ticket: Ticket, **kwargs) -> str:
    return reverse(f"tickets:{name}", kwargs={"reference": ticket.reference, **kwargs})


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def snapshot(ticket: Ticket) -> tuple:
    """Everything the portal's actions could change."""
    fresh = Ticket.objects.get(pk=ticket.pk)
    return (fresh.status, fresh.resolved_at, fresh.csat_score, fresh.csat_comment,
            Message.objects.filter(ticket=ticket).count(),
            Attachment.objects.filter(message__ticket=ticket).count(),
            Event.objects.filter(ticket=ticket).count())


@pytest.fixture
def resolved_ticket(make_ticket, agent):
    """``user``'s resolved ticket (so reopen and rate would work for them), with a customer
    attachment, a staff reply and an internal note carrying its own attachment."""
    ticket = make_ticket(files=attachments_verify(uploads=[image_upload("mine.png")]))
    services.message_post(ticket=ticket, author=agent, body="Public answer from support")
    services.message_post(ticket=ticket, author=agent, body="INTERNAL: user looks legit",
                          internal=True,
                          files=attachments_verify(uploads=[image_upload("kyc-check.png")]))
    services.ticket_change(ticket=ticket, actor=agent, status=Ticket.Status.RESOLVED)
    return ticket


def attachments(ticket: Ticket) -> tuple[Attachment, Attachment]:
    """The customer's attachment and the internal note's."""
    public = Attachment.objects.get(message__ticket=ticket, message__is_internal=False)
    internal = Attachment.objects.get(message__ticket=ticket, message__is_internal=True)
    return public, internal


def every_url_status(client, ticket: Ticket) -> dict[str, int]:
    public, internal = attachments(ticket)
    statuses = {name: client.get(ticket_url(name, ticket)).status_code for name in GET_URLS}
    statuses.update({
        name: client.post(ticket_url(name, ticket), {
            "body": "Let me in", "score": "1", "comment": "bad"}).status_code
        for name in POST_URLS})
    statuses["attachment"] = client.get(
        ticket_url("attachment", ticket, pk=public.pk)).status_code
    statuses["internal attachment"] = client.get(
        ticket_url("attachment", ticket, pk=internal.pk)).status_code
    return statuses


def test_another_user_gets_404_from_every_url_and_changes_nothing(resolved_ticket):
    before = snapshot(resolved_ticket)
    statuses = every_url_status(signed_in(UserFactory()), resolved_ticket)
    assert statuses == dict.fromkeys(statuses, 404)
    assert snapshot(resolved_ticket) == before


def test_another_users_tickets_never_appear_in_my_list(resolved_ticket, other_user):
    html = signed_in(other_user).get("/en/support/").content.decode()
    assert resolved_ticket.reference not in html and resolved_ticket.subject not in html


def test_staff_outside_support_are_customers_like_anyone(resolved_ticket):
    staff = UserFactory(is_staff=True)
    statuses = every_url_status(signed_in(staff), resolved_ticket)
    assert statuses == dict.fromkeys(statuses, 404)


def test_agent_of_another_team_gets_404(make_ticket, agent, support_desk):
    trading = make_ticket(category="trading")  # the account-care team's
    services.message_post(ticket=trading, author=trading.requester, body="More details",
                          files=attachments_verify(uploads=[image_upload()]))
    client = signed_in(agent)
    for name in GET_URLS:
        assert client.get(ticket_url(name, trading)).status_code == 404
    for name in POST_URLS:
        assert client.post(ticket_url(name, trading), {"body": "x"}).status_code == 404
    attachment = Attachment.objects.get(message__ticket=trading)
    assert client.get(ticket_url("attachment", trading, pk=attachment.pk)).status_code == 404
    assert trading.messages.count() == 2


def test_requester_never_sees_internal_notes_or_their_files(resolved_ticket, user_client):
    public, internal = attachments(resolved_ticket)
    page = user_client.get(resolved_ticket.get_absolute_url()).content.decode()
    assert "Public answer from support" in page
    assert "INTERNAL" not in page and "kyc-check" not in page and "Internal note" not in page
    assert ticket_url("attachment", resolved_ticket, pk=public.pk) in page
    assert ticket_url("attachment", resolved_ticket, pk=internal.pk) not in page

    updates = user_client.get(ticket_url("updates", resolved_ticket), {"after": 0}).json()
    assert "Public answer from support" in updates["html"]
    assert "INTERNAL" not in updates["html"] and "kyc-check" not in updates["html"]
    note = Message.objects.get(ticket=resolved_ticket, is_internal=True)
    assert updates["last_id"] < note.pk
    after_note = user_client.get(ticket_url("updates", resolved_ticket),
                                 {"after": note.pk - 1}).json()
    assert after_note["html"] == ""

    assert user_client.get(ticket_url("attachment", resolved_ticket,
                                      pk=internal.pk)).status_code == 404
    assert user_client.get(ticket_url("attachment", resolved_ticket,
                                      pk=public.pk)).status_code == 200


def test_agent_of_the_team_sees_the_ticket_with_internal_notes(resolved_ticket, agent):
    client = signed_in(agent)
    _public, internal = attachments(resolved_ticket)
    page = client.get(resolved_ticket.get_absolute_url()).content.decode()
    assert "INTERNAL: user looks legit" in page and "Internal note" in page
    assert "msg-internal" in page
    assert client.get(ticket_url("attachment", resolved_ticket, pk=internal.pk)) \
        .status_code == 200
    # The customer's own actions stay theirs.
    assert ticket_url("rate", resolved_ticket) not in page
    assert ticket_url("reopen", resolved_ticket) not in page
    before = snapshot(resolved_ticket)
    for name in ("rate", "reopen", "close"):
        assert client.post(ticket_url(name, resolved_ticket), {"score": "1"}).status_code == 403
    assert snapshot(resolved_ticket) == before


def test_agent_reply_from_the_portal_is_a_staff_reply(make_ticket, agent):
    ticket = make_ticket()
    response = signed_in(agent).post(ticket_url("reply", ticket), {"body": "Hello from support"})
    assert response.status_code == 302
    reply = ticket.messages.order_by("id").last()
    assert reply.is_staff_reply and not reply.is_internal and reply.author == agent


def test_supervisor_sees_every_teams_tickets(make_ticket, supervisor):
    client = signed_in(supervisor)
    for category in ("trading", "security", "deposits-withdrawals", None):
        ticket = make_ticket(category=category)
        assert client.get(ticket.get_absolute_url()).status_code == 200
        assert client.get(ticket_url("updates", ticket), {"after": 0}).status_code == 200


def test_inactive_requester_reaches_nothing(resolved_ticket, user):
    client = signed_in(user)
    user.is_active = False
    user.save()
    assert client.get(resolved_ticket.get_absolute_url()).status_code == 302


@pytest.mark.parametrize("path", ["/en/support/", "/en/support/new/", "/en/support/chat/",
                                  "/en/support/suggest/?q=withdrawal"])
def test_anonymous_visitors_are_sent_to_log_in(client, support_desk, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=")


def test_anonymous_visitors_of_a_ticket_log_in_and_come_back_to_it(client, resolved_ticket):
    before = snapshot(resolved_ticket)
    public, internal = attachments(resolved_ticket)
    back_to = f"/en/accounts/login/?next=/en/support/{resolved_ticket.reference}/"
    for name in GET_URLS:
        assert client.get(ticket_url(name, resolved_ticket))["Location"] == back_to
    for name in POST_URLS:
        response = client.post(ticket_url(name, resolved_ticket), {"body": "x", "score": "5"})
        assert (response.status_code, response["Location"]) == (302, back_to)
    for attachment in (public, internal):
        response = client.get(ticket_url("attachment", resolved_ticket, pk=attachment.pk))
        assert (response.status_code, response["Location"]) == (302, back_to)
    assert snapshot(resolved_ticket) == before
    assert client.post("/en/support/new/", {"subject": "x", "body": "y"}).status_code == 302
    assert client.post("/en/support/chat/", {"body": "y"}).status_code == 302
    assert Ticket.objects.count() == 1


def test_attachment_pk_of_another_ticket_is_404_even_for_an_owner(make_ticket, other_user):
    mine = make_ticket()
    theirs = make_ticket(requester=other_user,
                         files=attachments_verify(uploads=[image_upload("their.png")]))
    their_file = Attachment.objects.get(message__ticket=theirs)
    client = signed_in(mine.requester)
    assert client.get(ticket_url("attachment", mine, pk=their_file.pk)).status_code == 404
