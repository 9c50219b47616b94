"""The staff's ticket list in Django admin: who sees which tickets, the queries a page costs,
filters, search, and the live-chat box."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.tickets.services_fixtures import care_agent, rewind, staff_member
from tickets import selectors
from tickets.models import Ticket
from tickets.services import message_post, ticket_change

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:tickets_ticket_changelist")


def signed_in(client, person):
    client.force_login(person)
    return client


def listed(client, **params) -> list[Ticket]:
    response = client.get(CHANGELIST, params)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


@pytest.fixture
def payments_ticket(make_ticket):
    """A deposits ticket of ``user``: the payments team (``agent``'s) handles it."""
    return make_ticket(subject="Deposit not credited", body="Sent 100 USDT an hour ago.",
                       category="deposits-withdrawals")


@pytest.fixture
def care_ticket(make_ticket):
    """A trading ticket: Account care handles it, not ``agent``'s team."""
    return make_ticket(subject="Order history empty", category="trading")


# --- Who sees what ----------------------------------------------------------------------------

def test_an_agent_lists_only_their_teams_tickets(client, agent, payments_ticket, care_ticket):
    assert listed(signed_in(client, agent)) == [payments_ticket]


def test_an_agent_also_lists_tickets_assigned_to_them(client, agent, supervisor,
                                                      payments_ticket, care_ticket):
    ticket_change(ticket=care_ticket, actor=supervisor, assignee=agent)
    assert set(listed(signed_in(client, agent))) == {payments_ticket, care_ticket}


def test_a_supervisor_lists_every_ticket(client, supervisor, payments_ticket, care_ticket):
    assert set(listed(signed_in(client, supervisor))) == {payments_ticket, care_ticket}


def test_another_teams_ticket_is_a_404_on_every_page(client, agent, care_ticket):
    signed_in(client, agent)
    pk = care_ticket.pk
    for name in ("change", "history", "canned", "messages"):
        assert client.get(reverse(f"admin:tickets_ticket_{name}", args=[pk])).status_code == 404
    for name in ("accept_suggestion", "send_to_feedback"):
        assert client.post(reverse(f"admin:tickets_ticket_{name}", args=[pk])).status_code == 404
    care_ticket.refresh_from_db()
    assert care_ticket.feedback_ref == ""


def test_a_staff_member_who_is_no_agent_sees_no_ticket(client, support_desk, payments_ticket):
    # Allowed into the ticket admin by their group, but in no team and no supervisor.
    clerk = staff_member(username="clerk")
    assert listed(signed_in(client, clerk)) == []
    change = reverse("admin:tickets_ticket_change", args=[payments_ticket.pk])
    assert client.get(change).status_code == 404


def test_a_customer_cannot_open_the_admin(client, user, payments_ticket):
    response = signed_in(client, user).get(CHANGELIST)
    assert response.status_code == 302 and "login" in response["Location"]


def test_an_agents_own_request_is_not_in_their_queue(client, agent, make_ticket):
    make_ticket(requester=agent, subject="My own laptop", category="account")
    assert listed(signed_in(client, agent)) == []


# --- What a page costs ------------------------------------------------------------------------

def _varied_tickets(make_ticket, support_desk, count: int, *, assignee) -> None:
    """``count`` payments tickets of different requesters and categories, every other one
    assigned: anything shown per row that were read row by row would add queries."""
    categories = list(support_desk.categories)
    for n in range(count):
        ticket = make_ticket(requester=UserFactory(), subject=f"Deposit {n} missing",
                             category=categories[n % len(categories)])
        Ticket.objects.filter(pk=ticket.pk).update(
            team=support_desk.teams["payments"], assignee=assignee if n % 2 else None)


@pytest.mark.parametrize("who", ["agent", "supervisor"])
def test_the_list_costs_the_same_queries_for_5_or_100_tickets(
        client, request, who, make_ticket, support_desk, django_assert_max_num_queries):
    person = request.getfixturevalue(who)
    signed_in(client, person)

    def page_queries(expected_rows: int) -> int:
        with django_assert_max_num_queries(40) as captured:
            response = client.get(CHANGELIST)
        assert len(response.context["cl"].result_list) == expected_rows
        return len(captured)

    _varied_tickets(make_ticket, support_desk, 5, assignee=person)
    client.get(CHANGELIST)  # the first page of a session also loads the session's user, perms
    few = page_queries(5)
    _varied_tickets(make_ticket, support_desk, 95, assignee=person)
    assert page_queries(100) == few


def test_the_ticket_page_costs_the_same_queries_for_a_long_conversation(
        client, agent, payments_ticket, django_assert_max_num_queries):
    signed_in(client, agent)
    change = reverse("admin:tickets_ticket_change", args=[payments_ticket.pk])
    client.get(change)

    def page_queries() -> int:
        with django_assert_max_num_queries(60) as captured:
            assert client.get(change).status_code == 200
        return len(captured)

    short = page_queries()
    for n in range(10):
        message_post(ticket=payments_ticket, author=agent, body=f"Note {n}", internal=n % 2)
    assert page_queries() == short


# --- Filters ----------------------------------------------------------------------------------

def test_queue_filters_mine_and_unassigned(client, agent, make_ticket):
    mine = make_ticket(subject="Deposit stuck", category="deposits-withdrawals")
    unassigned = make_ticket(subject="Deposit late", category="deposits-withdrawals")
    someone = staff_member(username="other_agent")
    theirs = make_ticket(subject="Deposit lost", category="deposits-withdrawals")
    ticket_change(ticket=mine, actor=agent, assignee=agent)
    ticket_change(ticket=theirs, actor=agent, assignee=someone)
    signed_in(client, agent)

    assert listed(client, queue="mine") == [mine]
    assert listed(client, queue="unassigned") == [unassigned]


def test_queue_filter_overdue_skips_tickets_waiting_on_the_customer(client, supervisor,
                                                                   make_ticket):
    late = make_ticket(subject="Late one")
    waiting = make_ticket(subject="Waiting one")
    make_ticket(subject="Fresh one")
    for ticket in (late, waiting):
        rewind(ticket, by=timedelta(hours=5), fields=["first_response_due", "created_at"])
    ticket_change(ticket=waiting, actor=supervisor, status=Ticket.Status.WAITING)

    assert listed(signed_in(client, supervisor), queue="overdue") == [late]


def test_status_and_category_filters(client, supervisor, make_ticket, support_desk):
    trading = make_ticket(subject="Order history empty", category="trading")
    security = make_ticket(subject="Strange login", category="security")
    ticket_change(ticket=security, actor=supervisor, status=Ticket.Status.ON_HOLD)
    signed_in(client, supervisor)

    assert listed(client, status__exact="on_hold") == [security]
    assert listed(client, category=support_desk.categories["trading"].pk) == [trading]


def test_categories_are_shown_in_the_staff_members_language(client, supervisor,
                                                            payments_ticket):
    signed_in(client, supervisor)
    english = client.get(CHANGELIST).content.decode()
    chinese = client.get(CHANGELIST, headers={"accept-language": "zh-hans"}).content.decode()

    assert '<td class="field-category">Deposits &amp; withdrawals</td>' in english
    assert '<td class="field-category">充值与提现</td>' in chinese
    assert "账户与登录" in chinese  # the filter's choices too


def test_a_bad_filter_value_shows_the_list_again_not_an_error(client, supervisor,
                                                              payments_ticket):
    response = signed_in(client, supervisor).get(CHANGELIST, {"category": "nope"})
    assert response.status_code == 302 and "e=1" in response["Location"]


# --- Search -----------------------------------------------------------------------------------

@pytest.fixture(params=["rare", "indexed", "common"])
def search_path(request, monkeypatch):
    """The three ways a word is searched: through the indexes, its tickets' ids listed (a
    word found in few places) or as a subquery (in more), and row by row (a common word, here
    any word found at all)."""
    if request.param in ("indexed", "common"):
        monkeypatch.setattr(selectors, "SEARCH_RARE_LIMIT", 0)
    if request.param == "common":
        monkeypatch.setattr(selectors, "SEARCH_INDEXED_LIMIT", 0)
    return request.param


def test_search_by_reference_finds_exactly_that_ticket(client, supervisor, make_ticket):
    tickets = [make_ticket(subject=f"Ticket {n}") for n in range(12)]
    target = tickets[0]  # its number is a part of other references (1 in 10, 11...)
    signed_in(client, supervisor)

    assert listed(client, q=target.reference) == [target]
    assert listed(client, q=target.reference.lower()) == [target]
    assert listed(client, q=str(target.pk)) == [target]


def test_search_by_requester_email_and_username(client, supervisor, make_ticket, search_path):
    carol = UserFactory(username="carol_trader", email="carol@example.org")
    hers = make_ticket(requester=carol, subject="Margin call")
    make_ticket(subject="Something else")
    signed_in(client, supervisor)

    assert listed(client, q="carol@example.org") == [hers]
    assert listed(client, q="carol_trader") == [hers]


def test_search_by_message_text_lists_a_ticket_once(client, supervisor, make_ticket,
                                                    search_path):
    found = make_ticket(subject="Withdrawal", body="The txid is 0xdeadbeef and it is stuck.")
    message_post(ticket=found, author=supervisor, body="Checked 0xdeadbeef on chain.",
                 internal=True)
    make_ticket(subject="Other", body="Nothing to see.")
    signed_in(client, supervisor)

    assert listed(client, q="0xDEADBEEF") == [found]
    assert listed(client, q="Withdrawal deadbeef") == [found]
    assert listed(client, q="deadbeef nothing") == []


def test_search_stays_within_the_agents_tickets(client, agent, payments_ticket, care_ticket,
                                                search_path):
    signed_in(client, agent)
    assert listed(client, q=care_ticket.reference) == []
    assert listed(client, q="Order history") == []


# --- Live chats -------------------------------------------------------------------------------

def test_waiting_chats_are_shown_on_top_of_the_list_and_refreshed(client, make_ticket,
                                                                  support_desk):
    agent = care_agent(support_desk)
    chatter = UserFactory(display_name="Chatty Cathy")
    chat = make_ticket(requester=chatter, subject="Need help now", channel="chat",
                       category="trading")
    answered = make_ticket(subject="Answered chat", channel="chat", category="trading")
    message_post(ticket=answered, author=agent, body="Hello!")
    signed_in(client, agent)

    page = client.get(CHANGELIST).content.decode()
    box = page[page.index('class="tk-chats"'):page.index('id="changelist"')]
    assert "Chatty Cathy" in box and "Answered chat" not in box
    assert reverse("admin:tickets_ticket_change", args=[chat.pk]) in box

    message_post(ticket=chat, author=agent, body="Hi Cathy!")
    refreshed = client.get(reverse("admin:tickets_ticket_waiting_chats")).json()
    assert refreshed["count"] == 0 and "Chatty Cathy" not in refreshed["html"]


def test_the_live_chat_box_shows_only_the_agents_chats(client, agent, make_ticket):
    make_ticket(subject="Help with trading", channel="chat", category="trading")
    data = signed_in(client, agent).get(reverse("admin:tickets_ticket_waiting_chats")).json()
    assert data["count"] == 0


def cell(page: str, ticket: Ticket, column: str) -> str:
    """The contents of ``ticket``'s ``column`` cell in the list ``page``."""
    row = page[page.index(f">{ticket.reference}</a>"):]
    row = row[:row.index("</tr>")]
    start = row.index(f'<td class="field-{column}">') + len(f'<td class="field-{column}">')
    return row[start:row.index("</td>", start)]


def test_list_shows_age_sla_and_flags_overdue(client, supervisor, make_ticket):
    late = make_ticket(subject="Late one")
    rewind(late, by=timedelta(hours=5), fields=["first_response_due", "created_at"])
    waiting = make_ticket(subject="Waiting one")
    ticket_change(ticket=waiting, actor=supervisor, status=Ticket.Status.WAITING)
    page = signed_in(client, supervisor).get(CHANGELIST).content.decode()

    sla = cell(page, late, "sla")  # 4 h target, created 5 h ago
    assert 'class="tk-pill tk-sla-overdue"' in sla and ">1 h overdue</span>" in sla
    assert cell(page, late, "age").endswith(">5 h</span>")
    assert cell(page, waiting, "age").endswith(">0 min</span>")
    assert cell(page, waiting, "sla") == '<span class="tk-pill tk-sla-paused">paused</span>'


def test_list_shows_whether_a_finished_tickets_deadlines_were_met(client, supervisor,
                                                                  make_ticket):
    met = make_ticket(subject="Met one")
    breached = make_ticket(subject="Breached one")
    for ticket in (met, breached):
        ticket_change(ticket=ticket, actor=supervisor, status=Ticket.Status.RESOLVED)
    Ticket.objects.filter(pk=breached.pk).update(first_response_breached_at=timezone.now())
    page = signed_in(client, supervisor).get(CHANGELIST).content.decode()

    assert cell(page, met, "sla") == '<span class="tk-pill tk-sla-met">met</span>'
    assert cell(page, breached, "sla") == '<span class="tk-pill tk-sla-breached">breached</span>'


# The live-chat box, asked every few seconds by each agent's list: the user, the permissions
# (two), the agent's teams, the chats with their requesters (the session comes from the cache).
WAITING_CHATS_QUERIES = 5


def test_the_live_chat_box_costs_the_same_queries_for_one_or_many_chats(
        client, agent, make_ticket, django_assert_num_queries):
    signed_in(client, agent)
    url = reverse("admin:tickets_ticket_waiting_chats")

    def box(expected: int) -> None:
        with django_assert_num_queries(WAITING_CHATS_QUERIES):
            data = client.get(url).json()
        assert data["count"] == expected

    make_ticket(requester=UserFactory(), subject="Chat 0", channel="chat")
    box(1)
    for n in range(1, 6):
        make_ticket(requester=UserFactory(display_name=f"Chatter {n}"), subject=f"Chat {n}",
                    channel="chat")
    box(6)
