"""Changes made by staff in the admin reach the index at once, like the members' own."""

import pytest
from django.urls import reverse

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
