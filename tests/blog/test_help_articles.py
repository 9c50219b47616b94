"""Blog guides offered while a member types a new support ticket's subject: published ones
only, in the member's language, before solved forum topics and feedback ideas sharing as many
words."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from blog.models import Article
from tests.blog.conftest import PUBLISHED
from tests.factories import UserFactory
from tests.feedback.ideas import make_idea
from tickets.selectors import help_suggestions

pytestmark = pytest.mark.django_db


def test_published_guides_come_first_in_the_members_language(make_article):
    make_article(title="How to spot a phishing email", zh_title="如何识别钓鱼邮件",
                         zh_slug="ru-he-shi-bie-diao-yu-you-jian")
    make_article(title="Phishing: a scheduled reminder", status=PUBLISHED,
                 published_at=timezone.now() + timedelta(days=1))
    make_article(title="Phishing email drafts", status=Article.Status.DRAFT)
    idea = make_idea(title="Warn me about phishing email links")
    found = help_suggestions(user=UserFactory(), text="phishing email")
    assert [(s.title, s.kind) for s in found] == [
        ("How to spot a phishing email", "Help article"), (idea.title, "Feedback idea")]
    assert found[0].url == "/en/blog/how-to-spot-a-phishing-email/"
    with translation.override("zh-hans"):
        [article] = help_suggestions(user=UserFactory(), text="钓鱼邮件")
    assert (article.title, article.url) == (
        "如何识别钓鱼邮件", "/zh-hans/blog/ru-he-shi-bie-diao-yu-you-jian/")
