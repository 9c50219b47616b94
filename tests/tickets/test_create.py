"""ticket_create: validation, classification (English, Chinese, any width and case), routing
to a team, SLA due times, and no second ticket from a double click."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.factories import UserFactory
from tests.tickets.services_fixtures import at_once
from tickets.models import Category, ClassificationRule, Event, Message, SLAPolicy, Ticket
from tickets.services import ticket_create

pytestmark = pytest.mark.django_db


def only_event(ticket, kind) -> Event:
    [event] = Event.objects.filter(ticket=ticket, kind=kind)
    return event


@pytest.mark.parametrize(("subject", "body", "message"), [
    ("", "My order is stuck.", "Tell us in a few words what it is about."),
    ("  \n\t ", "My order is stuck.", "Tell us in a few words what it is about."),
    (None, "My order is stuck.", "Tell us in a few words what it is about."),
    ("Order stuck", "", "Describe your problem, so we can help."),
    ("Order stuck", " \n ", "Describe your problem, so we can help."),
])
def test_an_empty_subject_or_message_is_refused_and_nothing_is_stored(
        support_desk, user, subject, body, message):
    with pytest.raises(ValidationError) as caught:
        ticket_create(requester=user, subject=subject, body=body)
    assert caught.value.messages == [message]
    assert not Ticket.objects.exists()
    assert not Message.objects.exists()
    assert not Event.objects.exists()


def test_a_ticket_starts_new_with_its_first_message_and_a_public_created_event(
        make_ticket, user):
    ticket = make_ticket(subject="  Cannot   see my\norder history ")

    assert ticket.subject == "Cannot see my order history"
    assert ticket.reference == f"T-{ticket.pk:06d}"
    assert (ticket.status, ticket.priority, ticket.channel) == ("new", "normal", "web")
    [message] = ticket.messages.all()
    assert (message.author, message.is_internal, message.is_staff_reply) == (user, False, False)
    assert message.body == "The orders page stays empty since this morning."
    created = only_event(ticket, Event.Kind.CREATED)
    assert (created.actor, created.new_value, created.is_public) == (user, "web", True)
    assert ticket.last_customer_reply_at is not None


@pytest.mark.parametrize(("subject", "body"), [
    ("Account hacked", "Someone logged in from abroad."),  # English
    ("账户被盗", "今天早上资金被转走了"),  # Chinese
    ("ＨＡＣＫＥＤ！", "help"),  # full-width
    ("Help", "I think I was HaCkEd yesterday"),  # letter case, in the message
])
def test_security_words_in_any_language_width_or_case_suggest_security_and_urgent(
        support_desk, user, subject, body):
    ticket = ticket_create(requester=user, subject=subject, body=body)

    security = support_desk.categories["security"]
    assert ticket.suggested_category == security
    assert ticket.suggested_priority == Ticket.Priority.URGENT
    # Only a suggestion: staff accept it or not.
    assert ticket.category is None and ticket.priority == Ticket.Priority.NORMAL
    assert ticket.classification_rule is not None
    assert ticket.classification_pattern == ticket.classification_rule.pattern
    classified = only_event(ticket, Event.Kind.CLASSIFIED)
    assert classified.old_value == ticket.classification_rule.pattern
    assert classified.new_value == "Security / urgent"
    assert not classified.is_public  # staff-only


def test_the_audit_trail_names_the_suggestion_alike_whatever_the_customers_language(
        support_desk, user):
    with translation.override("zh-hans"):
        ticket = ticket_create(requester=user, subject="账户被盗", body="资金被转走了")
    assert only_event(ticket, Event.Kind.CLASSIFIED).new_value == "Security / urgent"


def test_the_first_matching_rule_by_position_is_the_one_recorded(support_desk, user):
    # "password" (account) comes after "withdrawal" (deposits, high) in the demo rules.
    ticket = ticket_create(requester=user, subject="Withdrawal password reset",
                           body="Cannot withdraw.")
    assert ticket.classification_rule.pattern == "withdrawal"
    assert ticket.suggested_category == support_desk.categories["deposits-withdrawals"]
    assert ticket.suggested_priority == Ticket.Priority.HIGH


def test_a_keyword_matches_whole_words_only(support_desk, user):
    ticket = ticket_create(requester=user, subject="My unhackedable setup",
                           body="Just a question about the API.")
    assert ticket.classification_rule is None
    assert not Event.objects.filter(ticket=ticket, kind=Event.Kind.CLASSIFIED).exists()


def test_a_rule_may_suggest_only_a_priority(support_desk, user):
    rule = ClassificationRule.objects.create(position=0, pattern="margin call",
                                             priority=Ticket.Priority.HIGH)
    ticket = ticket_create(requester=user, subject="Margin   call at night", body="?")
    assert ticket.classification_rule == rule
    assert (ticket.suggested_category, ticket.suggested_priority) == (None, "high")
    assert only_event(ticket, Event.Kind.CLASSIFIED).new_value == "high"


def test_a_broken_regex_rule_is_skipped_not_fatal(support_desk, user):
    ClassificationRule.objects.create(position=0, kind="regex", pattern="([unclosed")
    ticket = ticket_create(requester=user, subject="Account hacked", body="Help")
    assert ticket.classification_rule.pattern == "hacked"


def test_the_ticket_goes_to_its_categorys_team(support_desk, user):
    ticket = ticket_create(requester=user, subject="Where is my deposit", body="…",
                           category=support_desk.categories["deposits-withdrawals"])
    assert ticket.team == support_desk.teams["payments"]


def test_without_a_category_the_suggested_categorys_team_takes_it(support_desk, user):
    ticket = ticket_create(requester=user, subject="账户被盗", body="资金不见了")
    assert ticket.team == support_desk.teams["trust-safety"]


def test_a_category_without_team_lets_the_suggestion_route_the_ticket(support_desk, user):
    teamless = Category.objects.create(slug="misc")
    ticket = ticket_create(requester=user, subject="Hacked", body="…", category=teamless)
    assert ticket.category == teamless
    assert ticket.team == support_desk.teams["trust-safety"]


def test_with_nothing_to_go_by_the_default_team_takes_it(support_desk, user):
    teamless = Category.objects.create(slug="misc")
    for category in (None, teamless):
        ticket = ticket_create(requester=user, subject=f"A question {category}", body="Hi",
                               category=category)
        assert ticket.team == support_desk.teams["account-care"]
        assert ticket.team.is_default


def test_sla_due_times_come_from_the_normal_priority_target(make_ticket):
    policy = SLAPolicy.objects.get(priority="normal")
    ticket = make_ticket()
    # Due times are counted from just before the row was written.
    first = ticket.created_at + timedelta(minutes=policy.first_response_minutes)
    resolution = ticket.created_at + timedelta(minutes=policy.resolution_minutes)
    assert timedelta(0) <= first - ticket.first_response_due < timedelta(seconds=1)
    assert timedelta(0) <= resolution - ticket.resolution_due < timedelta(seconds=1)
    assert ticket.sla_due == ticket.first_response_due


def test_without_an_sla_target_there_is_no_due_time(make_ticket):
    SLAPolicy.objects.all().delete()
    ticket = make_ticket()
    assert ticket.first_response_due is None and ticket.resolution_due is None


@pytest.mark.parametrize(("requester_language", "asked", "stored"), [
    ("zh-hans", "", "zh-hans"),
    ("en", "zh-CN", "zh-hans"),
    ("en", "klingon", "en"),
])
def test_the_ticket_language_is_the_requesters_or_the_one_asked(
        support_desk, requester_language, asked, stored):
    requester = UserFactory(language=requester_language)
    ticket = ticket_create(requester=requester, subject="Hi", body="Hello", language=asked)
    assert ticket.language == stored


def test_an_unknown_channel_is_refused(support_desk, user):
    with pytest.raises(ValidationError):
        ticket_create(requester=user, subject="Hi", body="Hello", channel="fax")
    assert not Ticket.objects.exists()


def test_a_double_click_opens_one_ticket(make_ticket, user):
    first = make_ticket(subject="Order history empty")
    second = make_ticket(subject="Order history empty")
    assert second == first
    assert Ticket.objects.count() == 1 and Message.objects.count() == 1
    assert Event.objects.filter(kind=Event.Kind.CREATED).count() == 1


def test_another_ticket_with_another_message_is_a_new_ticket(make_ticket, user, other_user):
    subject = "Order history empty"
    first = make_ticket(subject=subject)
    assert make_ticket(subject=subject, body="Something else entirely.") != first
    assert make_ticket(subject=subject, requester=other_user) != first  # another customer
    assert make_ticket(subject=subject, channel=Ticket.Channel.CHAT) != first
    assert Ticket.objects.count() == 4


def test_creating_runs_a_fixed_number_of_queries(make_ticket, django_assert_max_num_queries):
    make_ticket(subject="warm up", body="caches")
    with django_assert_max_num_queries(11):
        make_ticket(subject="Account hacked", body="Help")


def test_two_clicks_at_the_same_moment_open_one_ticket(postgres, transactional_db,
                                                       support_desk, user):
    def click():
        return ticket_create(requester=user, subject="Order history empty", body="Since 9:00")

    first, second = at_once(click, click)
    assert first == second
    assert Ticket.objects.count() == 1 and Message.objects.count() == 1
