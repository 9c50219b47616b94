"""Event fixtures: ``make_ama`` and ``make_meetup`` build events as staff do in the admin
(English and Chinese, through the services), at times relative to now."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import AmaSession, Meetup
from events.services import ama_session_save, meetup_save
from tests.factories import UserFactory


def make_ama(*, slug="wallet-ama", hosts=(), starts_in=timedelta(hours=-1),
             lasts=timedelta(hours=2), title="Wallet AMA", zh_title="钱包 AMA",
             description="Ask the **wallet** team.", **fields) -> AmaSession:
    """A published session that started an hour ago and runs for another (by default)."""
    starts_at = timezone.now() + starts_in
    session = AmaSession(slug=slug, starts_at=starts_at, ends_at=starts_at + lasts, **fields)
    session.set_current_language("zh-hans")
    session.title, session.description = zh_title, "向钱包团队提问。"
    ama_session_save(session=session, language="zh-hans")
    session.set_current_language("en")
    session.title, session.description = title, description
    ama_session_save(session=session, language="en")
    session.hosts.set(hosts)
    return session


def make_meetup(*, slug="singapore-night", capacity=2, starts_in=timedelta(days=3),
                lasts=timedelta(hours=3), title="Singapore traders' night",
                agenda="- 19:00 *Doors open*", **fields) -> Meetup:
    starts_at = timezone.now() + starts_in
    meetup = Meetup(slug=slug, starts_at=starts_at, ends_at=starts_at + lasts,
                    capacity=capacity, **fields)
    meetup.set_current_language("zh-hans")
    meetup.title, meetup.city, meetup.venue = "新加坡交易者之夜", "新加坡", "薰衣草街 59 号"
    meetup_save(meetup=meetup, language="zh-hans")
    meetup.set_current_language("en")
    meetup.title, meetup.city, meetup.venue = title, "Singapore", "The Hive, 59 Lavender St"
    meetup.agenda = agenda
    meetup_save(meetup=meetup, language="en")
    return meetup


@pytest.fixture
def host(db):
    return UserFactory(username="host")


@pytest.fixture
def ama(host):
    return make_ama(hosts=[host])


@pytest.fixture
def meetup(db):
    return make_meetup()


@pytest.fixture
def members(db):
    return [UserFactory() for _n in range(4)]
