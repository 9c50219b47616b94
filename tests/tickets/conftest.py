"""Shared support-desk fixtures: the demo desk (teams, translated categories, SLA targets,
classification rules, canned responses, agent and supervisor groups), an agent of one team,
a supervisor, another customer, ``make_ticket`` to open tickets through the service, and
``ask`` for forum questions the new-ticket form may suggest."""

import io
from dataclasses import dataclass
from itertools import count

import pytest
from django.contrib.auth.models import Group

from forum.answers import answer_accept
from forum.models import Category as ForumCategory
from forum.services import post_reply, topic_create
from tests.factories import UserFactory
from tests.forum.conftest import RELAXED_LIMITS
from tickets import demo
from tickets.models import Category, SupportTeam, Ticket
from tickets.services import ticket_create


@dataclass
class SupportDesk:
    teams: dict[str, SupportTeam]  # by slug: account-care (default), payments, trust-safety
    categories: dict[str, Category]  # by slug: account, deposits-withdrawals, security, ...


@pytest.fixture
def support_desk(db) -> SupportDesk:
    """The demo support desk (no demo users or tickets: tests make their own)."""
    demo.load(io.StringIO())
    return SupportDesk(teams={team.slug: team for team in SupportTeam.objects.all()},
                       categories={category.slug: category for category in Category.objects.all()})


@pytest.fixture
def agent(support_desk):
    """A staff member in the "Support agents" group and in the payments team only."""
    agent = UserFactory(username="agent", display_name="Agent Pay", is_staff=True)
    agent.groups.add(Group.objects.get(name="Support agents"))
    support_desk.teams["payments"].members.add(agent)
    return agent


@pytest.fixture
def supervisor(support_desk):
    """A staff member in the "Support supervisors" group (sees every team's tickets)."""
    supervisor = UserFactory(username="supervisor", display_name="Sue Pervisor", is_staff=True)
    supervisor.groups.add(Group.objects.get(name="Support supervisors"))
    return supervisor


@pytest.fixture
def other_user(db):
    """A customer who is not ``user``."""
    return UserFactory(username="someone_else")


@pytest.fixture
def make_ticket(support_desk, user):
    """``make_ticket(requester=user, subject=..., body=..., category="deposits-withdrawals",
    channel="web", files=(), status=None)``: a ticket opened through ``ticket_create`` (by
    default in the payments team's category, so ``agent`` handles it; "trading" goes to
    another team); ``status`` is then set directly (no audit event) when given. Each default
    subject is different: the same ticket sent twice at once is taken for a double click."""
    numbers = count(1)

    def make(*, requester=None, subject: str = "",
             body: str = "The orders page stays empty since this morning.",
             category: str | None = "deposits-withdrawals", channel: str = Ticket.Channel.WEB,
             files=(), status: str | None = None) -> Ticket:
        ticket = ticket_create(
            requester=requester or user,
            subject=subject or f"Cannot see my order history ({next(numbers)})", body=body,
            category=support_desk.categories[category] if category else None,
            channel=channel, files=files)
        if status:
            Ticket.objects.filter(pk=ticket.pk).update(status=status)
            ticket.refresh_from_db()
        return ticket

    return make


@pytest.fixture
def ask(db, settings):
    """``ask(title, answered=..., language="en")``: a question in a Q&A forum category,
    asked (and with ``answered``, answered and the answer accepted) through the forum's
    services, so the search index holds it as for users."""
    settings.FORUM_ANTISPAM = RELAXED_LIMITS
    section = ForumCategory.objects.language("en").create(slug="help", name="Help")
    category = ForumCategory.objects.language("en").create(slug="qa", name="Q&A",
                                                           parent=section, is_qa=True)

    def make(title: str, *, answered: bool, language: str = "en"):
        author = UserFactory()
        topic = topic_create(category=category, author=author, title=title, body="Help?",
                             language=language)
        if answered:
            answer = post_reply(topic=topic, author=UserFactory(), body="Like this.")
            answer_accept(post=answer, by=author)
        return topic

    return make
