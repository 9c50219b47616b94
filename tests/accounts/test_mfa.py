import time

import pytest
from allauth.mfa.app_settings import TOTP_PERIOD
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"
AUTHENTICATE = "/en/accounts/2fa/authenticate/"


@pytest.fixture(autouse=True)
def _staff_need_mfa(settings):
    settings.STAFF_REQUIRE_MFA = True


def totp_code(secret: str) -> str:
    """The authenticator app's current code; waits out the last second of a period so the
    server checks it in the same period (allauth allows no drift)."""
    left = TOTP_PERIOD - time.time() % TOTP_PERIOD
    if left < 1:
        time.sleep(left)
    return format_hotp_value(hotp_value(secret, int(time.time()) // TOTP_PERIOD))


def with_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def login(client, user):
    return client.post(LOGIN, {"login": user.email, "password": PASSWORD})


def logged_in_as(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


def test_staff_without_totp_are_sent_to_set_it_up(client):
    client.force_login(UserFactory(is_staff=True))
    for path in ("/admin/", "/admin/accounts/user/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url == reverse("mfa_activate_totp")


def test_staff_with_totp_reach_the_admin(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    with_totp(staff)
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


def test_staff_are_not_stopped_when_the_setting_is_off(client, settings):
    settings.STAFF_REQUIRE_MFA = False
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/admin/").status_code == 200


def test_non_staff_are_not_sent_to_mfa(client):
    client.force_login(UserFactory())
    response = client.get("/")
    assert response.status_code == 302 and response.url == "/en/"
    response = client.get("/admin/")
    assert response.url != reverse("mfa_activate_totp")


def test_staff_can_set_up_totp_from_the_redirect_and_then_use_the_admin(client):
    staff = UserFactory(is_staff=True)
    login(client, staff)
    setup_url = client.get("/admin/").url
    confirm_password_url = client.get(setup_url).url  # allauth asks for the password again
    assert client.post(confirm_password_url, {"password": PASSWORD}).url == setup_url
    assert client.get(setup_url).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]

    response = client.post(setup_url, {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    assert client.get("/admin/").status_code == 200


def test_login_with_totp_asks_for_a_code(client):
    user = UserFactory()
    with_totp(user)
    response = login(client, user)
    assert response.status_code == 302
    assert response.url == AUTHENTICATE
    assert not logged_in_as(client, user)


def test_wrong_code_is_refused(client):
    user = UserFactory()
    secret = with_totp(user)
    login(client, user)
    wrong = f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"
    response = client.post(AUTHENTICATE, {"code": wrong})
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert not logged_in_as(client, user)


def test_right_code_completes_the_login(client):
    user = UserFactory()
    secret = with_totp(user)
    login(client, user)
    response = client.post(AUTHENTICATE, {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response.url == "/en/"
    assert logged_in_as(client, user)


def test_language_preference_survives_the_mfa_stage(client):
    user = UserFactory(language="zh-hans")
    secret = with_totp(user)
    login(client, user)
    response = client.post(AUTHENTICATE, {"code": totp_code(secret)})
    assert response.url == "/zh-hans/"


def test_code_page_without_a_pending_login_does_not_log_in(client):
    user = UserFactory()
    secret = with_totp(user)
    client.post(AUTHENTICATE, {"code": totp_code(secret)})
    assert not logged_in_as(client, user)
