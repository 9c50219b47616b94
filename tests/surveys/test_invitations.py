"""Inviting people: a survey on the portal's home page, the support survey on a resolved
ticket, and single-use links for email campaigns (created in the admin, downloaded as CSV)."""

import csv
import io
from urllib.parse import urlparse

import pytest
from django.utils import timezone

from surveys.models import Invitation, Response, Survey
from surveys.services import invitations_create
from tests.factories import UserFactory
from tests.surveys.conftest import HAPPY, form_data, make_survey, respond
from tests.tickets.conftest import (  # noqa: F401 - fixtures
    agent,
    make_ticket,
    support_desk,
)
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

URL = "/en/surveys/mobile-app/"


def test_the_home_page_invites_to_a_flagged_survey(client, user):
    survey = make_survey(show_on_home=True)
    make_survey(slug="other", title="Not on the home page")
    page = client.get("/en/").content.decode()
    assert "Mobile app survey" in page and URL in page and "Not on the home page" not in page
    assert "移动应用调查" in client.get("/zh-hans/").content.decode()
    client.force_login(user)
    respond(survey, HAPPY, user=user)
    assert URL not in client.get("/en/").content.decode()


def test_the_home_page_leaves_out_what_one_may_not_take(client, user):
    make_survey(show_on_home=True, audience=Survey.Audience.MEMBERS)
    make_survey(slug="closed", title="Closed", show_on_home=True, closes_at=timezone.now())
    assert "/surveys/" not in client.get("/en/").content.decode().split("<main")[1]
    client.force_login(user)
    page = client.get("/en/").content.decode()
    assert URL in page and "/en/surveys/closed/" not in page


def test_a_resolved_ticket_offers_the_support_survey(client, user, make_ticket, agent):  # noqa: F811
    make_survey(slug="support", title="Support satisfaction", is_support_survey=True)
    ticket = make_ticket(status=Ticket.Status.RESOLVED)
    client.force_login(user)
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert "Tell us about our support" in page and "/en/surveys/support/" in page
    open_ticket = make_ticket(subject="Still open")
    assert "/en/surveys/support/" not in client.get(open_ticket.get_absolute_url()) \
        .content.decode()


def test_an_invitation_link_takes_one_response(client):
    survey = make_survey(audience=Survey.Audience.MEMBERS)
    token, other = invitations_create(survey=survey, count=2, campaign="April newsletter")
    assert Invitation.objects.filter(token_hash=token).count() == 0  # only hashes are kept
    link = f"{URL}?invite={token}"
    page = client.get(link).content.decode()
    # Members only, but the link lets its holder in, signed in or not.
    assert 'data-refusal' not in page and f'name="invite" value="{token}"' in page
    assert client.post(URL, form_data(survey, HAPPY, invite=token)).status_code == 302
    invitation = Invitation.objects.get(response__isnull=False)
    assert invitation.used_at is not None and invitation.campaign == "April newsletter"
    assert Response.objects.get().invitation == invitation

    used = client.get(link)
    assert 'data-refusal="used"' in used.content.decode()
    assert "This invitation link has already been used" in used.content.decode()
    assert client.post(URL, form_data(survey, HAPPY, invite=token)).status_code == 403
    assert client.post(URL, form_data(survey, HAPPY, invite=other)).status_code == 302
    assert Response.objects.count() == 2


def test_an_invitation_draft_continues_through_the_same_link(client):
    survey = make_survey()
    [token] = invitations_create(survey=survey, count=1)
    saved = client.post(URL, form_data(survey, {1: 6}, invite=token, save_draft="1"))
    assert saved["Location"] == f"{URL}?invite={token}"
    client.cookies.clear()
    assert 'value="6" checked' in client.get(saved["Location"]).content.decode()


def test_unknown_or_foreign_invitation_tokens_are_a_404(client):
    survey = make_survey()
    other = make_survey(slug="other")
    [token] = invitations_create(survey=other, count=1)
    assert client.get(f"{URL}?invite=nonsense").status_code == 404
    assert client.get(f"{URL}?invite={token}").status_code == 404
    assert client.post(URL, form_data(survey, HAPPY, invite="nonsense")).status_code == 404


def test_invitations_are_created_in_the_admin_and_downloaded(client):
    survey = make_survey()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    changelist = "/admin/surveys/survey/"
    ask = client.post(changelist, {"action": "create_invitations",
                                   "_selected_action": [survey.pk]})
    assert ask.status_code == 200 and "Number of links" in ask.content.decode()
    bad = client.post(changelist, {"action": "create_invitations", "_selected_action":
                                   [survey.pk], "count": "0", "language": "en"})
    assert bad.status_code == 200 and not Invitation.objects.exists()
    download = client.post(changelist, {
        "action": "create_invitations", "_selected_action": [survey.pk], "count": "3",
        "campaign": "=Spring", "language": "zh-hans"})
    body = b"".join(download.streaming_content).decode()
    header, *rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert header == ["link", "campaign"] and len(rows) == 3
    assert all(row[1] == "'=Spring" for row in rows)
    link = urlparse(rows[0][0])
    assert link.path == "/zh-hans/surveys/mobile-app/" and Invitation.objects.count() == 3
    client.logout()
    assert 'name="invite"' in client.get(f"{link.path}?{link.query}").content.decode()


def test_the_admin_action_wants_one_survey(client):
    first, second = make_survey(), make_survey(slug="second")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post("/admin/surveys/survey/", {
        "action": "create_invitations", "_selected_action": [first.pk, second.pk]},
        follow=True)
    assert "Choose exactly one survey." in response.content.decode()
