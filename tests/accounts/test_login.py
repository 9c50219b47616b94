import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"
WRONG = "The email address and/or password you specified are not correct."
TOO_MANY = "Too many failed login attempts. Try again later."


def login(client, email, password=PASSWORD):
    return client.post(LOGIN, {"login": email, "password": password})


def logged_in_as(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


def test_login_by_email(client):
    user = UserFactory()
    response = login(client, user.email)
    assert response.status_code == 302
    assert response.url == "/en/"
    assert logged_in_as(client, user)


def test_login_email_is_case_insensitive(client):
    user = UserFactory(email="mixed@example.com")
    login(client, "MIXED@Example.COM")
    assert logged_in_as(client, user)


def test_wrong_password_is_refused_with_a_message(client):
    user = UserFactory()
    response = login(client, user.email, "wrong-password")
    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert not logged_in_as(client, user)


def test_unknown_email_gets_the_same_message(client):
    response = login(client, "nobody@example.com")
    assert WRONG in response.content.decode()


def test_username_is_not_a_login(client):
    user = UserFactory()
    login(client, user.username)
    assert not logged_in_as(client, user)


def test_five_failures_for_one_email_lock_it_even_with_the_right_password(client):
    user, other = UserFactory(), UserFactory()
    for _ in range(5):
        assert WRONG in login(client, user.email, "wrong-password").content.decode()

    response = login(client, user.email)
    assert TOO_MANY in response.content.decode()
    assert not logged_in_as(client, user)

    login(client, other.email)  # another account from the same address is not locked
    assert logged_in_as(client, other)


def test_ten_failures_from_one_address_lock_every_account(client):
    for number in range(10):
        login(client, f"guess{number}@example.com", "wrong-password")
    user = UserFactory()
    assert TOO_MANY in login(client, user.email).content.decode()
    assert not logged_in_as(client, user)


def test_password_reset_mails_a_link_that_sets_a_new_password(client, mailoutbox):
    user = UserFactory()
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [user.email]

    link = re.search(r"http://testserver(/en/accounts/password/reset/key/\S+/)",
                     mailoutbox[0].body).group(1)
    form_url = client.get(link).url  # allauth moves the key into the session first
    new_password = "a-brand-new-passphrase-42"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302

    user.refresh_from_db()
    assert user.check_password(new_password)


def test_email_change_adds_an_unverified_address_and_mails_it(client, mailoutbox):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("account_email"),
                           {"email": "new-address@example.com", "action_add": ""})
    assert response.status_code == 302

    new = EmailAddress.objects.get(user=user, email="new-address@example.com")
    assert not new.verified
    assert EmailAddress.objects.get(user=user, email=user.email).primary  # until confirmed
    assert [message.to for message in mailoutbox] == [["new-address@example.com"]]
    assert "/en/accounts/confirm-email/" in mailoutbox[0].body


@pytest.mark.parametrize(("path", "next_url"), [
    ("/admin/login/", "/admin/login/"),
    ("/admin/login/?next=/admin/accounts/user/", "/admin/accounts/user/"),
])
def test_admin_login_goes_through_allauth(client, path, next_url):
    response = client.get(path)
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next={next_url.replace('/', '%2F')}"


def test_admin_login_page_refuses_signed_in_non_staff(client):
    client.force_login(UserFactory())
    assert client.get("/admin/login/").status_code == 403


def test_admin_login_form_cannot_be_used_to_skip_allauth(client):
    user = UserFactory(is_staff=True)
    response = client.post("/admin/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
    assert not logged_in_as(client, user)
