"""Shared forum fixtures: a section with an ordinary, a Q&A and a staff-only category, and
``make_topic`` / ``make_reply``, which write through the services like users do."""

from datetime import timedelta
from itertools import count

import pytest
from django.utils import timezone

from forum.models import Category
from forum.services import post_reply, topic_create
from tests.factories import UserFactory

# Generous limits so fixtures can write many posts; anti-spam tests set the real ones back.
RELAXED_LIMITS = {"topic": (1000, 60), "post": (1000, 60), "new_topic": (1000, 60),
                  "new_post": (1000, 60), "new_account_links": 1000, "duplicate_window": 0}


@pytest.fixture(autouse=True)
def _relaxed_forum_limits(settings):
    settings.FORUM_ANTISPAM = RELAXED_LIMITS


def _category(*, slug: str, name: str, parent=None, **fields) -> Category:
    return Category.objects.language("en").create(slug=slug, name=name, parent=parent,
                                                  description=f"About {name.lower()}", **fields)


@pytest.fixture
def forum_section(db) -> Category:
    """A section (a category without parent): it holds categories, never topics."""
    return _category(slug="getting-started", name="Getting started", icon="🚀")


@pytest.fixture
def forum_category(forum_section) -> Category:
    """An ordinary category in ``forum_section`` where everyone may start topics."""
    return _category(slug="general", name="General", parent=forum_section, position=1)


@pytest.fixture
def qa_category(forum_section) -> Category:
    """A Q&A category: one reply per topic may be accepted."""
    return _category(slug="questions", name="Questions", parent=forum_section, position=2,
                     is_qa=True)


@pytest.fixture
def staff_only_category(forum_section) -> Category:
    """Announcements: only staff may start topics."""
    return _category(slug="announcements", name="Announcements", parent=forum_section,
                     position=3, who_can_start=Category.Starters.STAFF)


@pytest.fixture
def forum_member(db):
    """An established member (joined a month ago), so the new-account limits do not apply."""
    return UserFactory(date_joined=timezone.now() - timedelta(days=30))


@pytest.fixture
def make_topic(forum_category, forum_member):
    """``make_topic(author=forum_member, category=forum_category, title=..., body=...,
    language="en")``: a topic created through ``topic_create``; each default title and body
    is new, so the duplicate check never trips."""
    numbers = count(1)

    def make(*, author=None, category=None, title=None, body=None, language="en",
             is_feedback=False):
        n = next(numbers)
        return topic_create(category=category or forum_category, author=author or forum_member,
                            title=title or f"How do I start number {n}?",
                            body=body or f"The first post of topic {n}.", language=language,
                            is_feedback=is_feedback)

    return make


@pytest.fixture
def make_reply(forum_member):
    """``make_reply(topic=..., author=forum_member, body=..., reply_to=None)``: a reply posted
    through ``post_reply``, with a new default body each time."""
    numbers = count(1)

    def make(*, topic, author=None, body=None, reply_to=None):
        return post_reply(topic=topic, author=author or forum_member,
                          body=body or f"Reply number {next(numbers)}.", reply_to=reply_to)

    return make
