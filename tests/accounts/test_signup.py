import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
CONFIRM_LINK = re.compile(r"https?://testserver(/en/accounts/confirm-email/[^/\s]+/)")


def signup(client, prefix="/en", **fields):
    data = {"email": "newbie@example.com", "username": "newbie",
            "password1": PASSWORD, "password2": PASSWORD, **fields}
    return client.post(f"{prefix}/accounts/signup/", data)


def confirm_link(message) -> str:
    return CONFIRM_LINK.search(message.body).group(1)


def assert_refused(response, message):
    assert response.status_code == 200  # the form again, with the error
    assert message in response.content.decode()
    assert not User.objects.filter(email="newbie@example.com").exists()


def test_signup_creates_an_unverified_user_and_mails_a_confirm_link(client, mailoutbox):
    response = signup(client)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")

    user = User.objects.get(username="newbie")
    assert user.email == "newbie@example.com"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["newbie@example.com"]
    assert confirm_link(mailoutbox[0])


def test_login_before_confirming_is_sent_to_the_verification_page(client, mailoutbox):
    signup(client)
    client.logout()
    response = client.post(reverse("account_login"),
                           {"login": "newbie@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_confirming_through_the_link_verifies_and_logs_in(client, mailoutbox):
    signup(client)
    link = confirm_link(mailoutbox[0])
    assert client.get(link).status_code == 200  # GET only shows the confirm button
    assert not EmailAddress.objects.get(email="newbie@example.com").verified

    response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="newbie@example.com").verified
    user = User.objects.get(username="newbie")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_after_confirming_the_password_login_works(client, mailoutbox):
    signup(client)
    client.post(confirm_link(mailoutbox[0]))
    client.logout()
    response = client.post(reverse("account_login"),
                           {"login": "newbie@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == "/en/"


def test_signup_in_chinese_stores_chinese_as_the_preferred_language(client, mailoutbox):
    response = signup(client, prefix="/zh-hans")
    assert response.url.startswith("/zh-hans/")
    assert User.objects.get(username="newbie").language == "zh-hans"


def test_signup_in_english_stores_english(client, mailoutbox):
    signup(client)
    assert User.objects.get(username="newbie").language == "en"


@pytest.mark.parametrize("username", ["Taken", "TAKEN", "taken"])
def test_duplicate_username_is_refused_whatever_the_case(client, username):
    UserFactory(username="taken")
    assert_refused(signup(client, username=username), "A user with that username already exists.")


def test_duplicate_email_creates_nothing_and_warns_the_owner(client, mailoutbox):
    # allauth prevents account enumeration: the form looks like it worked, and the address
    # owner is told by email that someone tried to sign up with it.
    owner = UserFactory(email="newbie@example.com")
    response = signup(client, email="NewBie@Example.com")
    assert response.status_code == 302
    assert User.objects.filter(email__iexact="newbie@example.com").get() == owner
    assert not User.objects.filter(username="newbie").exists()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [owner.email]
    assert "already" in mailoutbox[0].body.lower()


BAD_USERNAME = "Use 3 to 30 letters, digits, underscores or hyphens, with no spaces."
RESERVED = "Username can not be used. Please use other username."


@pytest.mark.parametrize(("fields", "message"), [
    ({"username": "new bie"}, BAD_USERNAME),
    ({"username": "<script>"}, BAD_USERNAME),
    ({"username": "new.bie"}, BAD_USERNAME),
    ({"username": "x" * 31}, BAD_USERNAME),
    ({"username": "ab"}, "Ensure this value has at least 3 characters (it has 2)."),
    ({"username": "admin"}, RESERVED),
    ({"username": "Admin"}, RESERVED),
    ({"username": "support"}, RESERVED),
    ({"password2": "something-else-entirely"}, "You must type the same password each time."),
    ({"password1": "12345678", "password2": "12345678"}, "This password is too common."),
    ({"email": "not-an-email"}, "Enter a valid email address."),
], ids=lambda value: str(value)[:30] if isinstance(value, dict) else "error")
def test_bad_input_is_refused_with_a_message(client, fields, message):
    assert_refused(signup(client, **fields), message)


def test_refused_signup_sends_no_mail(client, mailoutbox):
    signup(client, username="admin")
    assert mailoutbox == []
    assert not EmailAddress.objects.exists()
