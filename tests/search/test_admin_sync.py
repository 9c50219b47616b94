"""Changes made by staff in the admin reach the index at once, like the members' own:
edits, ideas taken off the board, deletions."""

import pytest
from django.urls import reverse

from blog.models import Article
from feedback.models import FeedbackItem
from feedback.services import feedback_submit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_an_idea_taken_off_the_board_in_the_admin_leaves_search(staff_client, find):
    item = feedback_submit(source="web", author=UserFactory(), title="Quokka mode",
                           body="Please.", language="en")
    assert find("quokka") == ["Quokka mode"]
    url = reverse("admin:feedback_feedbackitem_change", args=[item.pk])
    page = staff_client.get(url).context
    form = page["adminform"].form
    data = {name: value for name, value in form.initial.items()
            if name in form.fields and value is not None}
    for inline in page["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    data.update({"title": "Quokka mode", "is_public": "", "status": item.status})
    response = staff_client.post(url, data)
    assert response.status_code == 302
    assert not FeedbackItem.objects.get(pk=item.pk).is_public
    assert find("quokka") == []


def _changelist_delete(client, changelist: str, pks: list[int]):
    """The admin's bulk "delete selected" action, confirmed."""
    return client.post(reverse(changelist), {"action": "delete_selected", "post": "yes",
                                             "_selected_action": pks})


def test_ideas_deleted_in_the_admin_leave_search(staff_client, find):
    items = [feedback_submit(source="web", author=UserFactory(), title=f"Quokka spam {n}",
                             body="Buy now.", language="en") for n in range(2)]
    kept = feedback_submit(source="web", author=UserFactory(), title="Quokka mode",
                           body="Please.", language="en")
    response = _changelist_delete(staff_client, "admin:feedback_feedbackitem_changelist",
                                  [item.pk for item in items])
    assert response.status_code == 302
    assert find("quokka") == ["Quokka mode"]
    staff_client.post(reverse("admin:feedback_feedbackitem_delete", args=[kept.pk]),
                      {"post": "yes"})
    assert find("quokka") == [] and not FeedbackItem.objects.exists()


def test_articles_deleted_in_the_admin_leave_search_in_every_language(staff_client, find,
                                                                      make_article):
    first = make_article(title="Quokka guide", zh_title="短尾矮袋鼠指南")
    second = make_article(title="Quokka fees")
    assert len(find("quokka")) == 2 and len(find("袋鼠")) == 1
    staff_client.post(reverse("admin:blog_article_delete", args=[first.pk]), {"post": "yes"})
    assert find("quokka") == ["Quokka fees"] and find("袋鼠") == []
    _changelist_delete(staff_client, "admin:blog_article_changelist", [second.pk])
    assert find("quokka") == [] and not Article.objects.exists()


def test_a_topic_renamed_in_the_admin_is_found_by_its_new_title(staff_client, find,
                                                                make_topic):
    topic = make_topic(title="Quokka withdrawals", body="Stuck since Monday.")
    url = reverse("admin:forum_topic_change", args=[topic.pk])
    response = staff_client.post(url, {"title": "Wombat withdrawals", "slug": topic.slug,
                                       "language": "en"})
    assert response.status_code == 302
    assert find("wombat") == ["Wombat withdrawals"] and find("quokka") == []


@pytest.mark.parametrize("model", ["topic", "post"])
def test_topics_and_posts_are_hidden_not_deleted_in_the_admin(staff_client, make_topic, model):
    """Deleting would break a topic's post numbering, counts and notifications."""
    topic = make_topic(title="Quokka withdrawals")
    obj = topic if model == "topic" else topic.posts.get(number=1)
    response = staff_client.get(reverse(f"admin:forum_{model}_delete", args=[obj.pk]))
    assert response.status_code == 403
    changelist = staff_client.get(reverse(f"admin:forum_{model}_changelist"))
    assert "delete_selected" not in changelist.content.decode()
