"""Canned responses: the ticket's language (or a fallback), with the placeholders filled and
unknown ones left as written."""

import pytest

from tests.factories import UserFactory
from tests.tickets.services_fixtures import care_agent
from tickets.models import CannedResponse
from tickets.selectors import canned_responses
from tickets.services import canned_response_render, ticket_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def carla(support_desk):
    return care_agent(support_desk)


def canned(slug: str, **bodies) -> CannedResponse:
    """A canned response with a body in each of ``bodies`` (language code with _ for -)."""
    response = CannedResponse(slug=slug)
    for language, body in bodies.items():
        response.set_current_language(language.replace("_", "-"))
        response.title, response.body = slug, body
    response.save()
    return CannedResponse.objects.get(pk=response.pk)


def ticket_of(requester, support_desk):
    return ticket_create(requester=requester, subject="Order history empty", body="Since today",
                         category=support_desk.categories["trading"])


def test_the_greeting_is_filled_in_for_the_ticket_at_hand(support_desk, carla):
    alice = UserFactory(username="alice", display_name="Alice Trader")
    ticket = ticket_of(alice, support_desk)
    greeting = CannedResponse.objects.get(slug="greeting")

    text = canned_response_render(canned=greeting, ticket=ticket, agent=carla)

    assert text == (f"Hi Alice Trader, thanks for contacting OKX support about "
                    f"{ticket.reference}. I am looking into it now.\n\nCarla Care")


def test_a_chinese_ticket_gets_the_chinese_text(support_desk, carla):
    xiaoming = UserFactory(username="xiaoming", display_name="小明", language="zh-hans")
    ticket = ticket_of(xiaoming, support_desk)
    greeting = canned_responses().get(slug="greeting")

    text = canned_response_render(canned=greeting, ticket=ticket, agent=carla)

    assert text == (f"小明，您好！感谢您就 {ticket.reference} 联系 OKX 客服，我正在为您处理。"
                    "\n\nCarla Care")


def test_without_the_tickets_language_the_english_text_is_used(support_desk, carla):
    xiaoming = UserFactory(username="xiaoming", language="zh-hans")
    ticket = ticket_of(xiaoming, support_desk)
    english_only = canned("english-only", en="Hello {{ user.username }}")
    assert canned_response_render(canned=english_only, ticket=ticket,
                                  agent=carla) == "Hello xiaoming"


def test_a_response_written_only_in_chinese_is_used_for_an_english_ticket(user, support_desk,
                                                                           carla):
    chinese_only = canned("chinese-only", zh_hans="您好 {{ user.username }}")
    assert canned_response_render(canned=chinese_only, ticket=ticket_of(user, support_desk),
                                  agent=carla) == f"您好 {user.username}"


def test_every_placeholder_is_filled_however_it_is_spaced(user, support_desk, carla):
    user.display_name = ""
    user.save()
    ticket = ticket_of(user, support_desk)
    response = canned("all", en="{{user.display_name}}|{{ user.username }}|"
                                "{{  ticket.reference  }}|{{ ticket.subject }}|"
                                "{{ agent.display_name }}")
    assert canned_response_render(canned=response, ticket=ticket, agent=carla) == (
        f"{user.username}|{user.username}|{ticket.reference}|Order history empty|Carla Care")


def test_an_unknown_placeholder_is_left_as_written(user, support_desk, carla):
    ticket = ticket_of(user, support_desk)
    response = canned("typo", en="Dear {{ user.dispaly_name }}, {{ user.email }} "
                                 "{{ User.display_name }} {{ ticket.reference }}")
    assert canned_response_render(canned=response, ticket=ticket, agent=carla) == (
        "Dear {{ user.dispaly_name }}, {{ user.email }} {{ User.display_name }} "
        f"{ticket.reference}")


def test_template_syntax_in_a_users_name_is_not_run(support_desk, carla):
    sneaky = UserFactory(username="sneaky", display_name="{{ agent.display_name }}{% now %}")
    ticket = ticket_of(sneaky, support_desk)
    response = canned("hi", en="Hi {{ user.display_name }}")
    assert canned_response_render(canned=response, ticket=ticket, agent=carla) == (
        "Hi {{ agent.display_name }}{% now %}")
