import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import UserTimezoneMiddleware
from notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EDIT = "/en/accounts/profile/"


def profile_url(user) -> str:
    return f"/en/u/{user.username}/"


@pytest.fixture
def user():
    return UserFactory(display_name="Alice Trader", bio="Spot and futures.", language="en",
                       timezone="UTC")


@pytest.fixture
def user_client(client, user):
    client.force_login(user)
    return client


def valid_data(**changes):
    return {"display_name": "Alice", "bio": "HODL", "language": "zh-hans",
            "timezone": "Asia/Shanghai", **changes}


def test_public_profile_shows_name_handle_and_bio(client, user):
    response = client.get(profile_url(user))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Alice Trader" in html
    assert f"@{user.username}" in html
    assert "Spot and futures." in html


@pytest.mark.parametrize(("flags", "badge"), [
    ({"is_staff": True}, '<span class="badge badge-staff">Official</span>'),
    ({"is_product_manager": True}, '<span class="badge badge-pm">Product manager</span>'),
    ({"is_ambassador": True}, '<span class="badge badge-ambassador">Ambassador</span>'),
])
def test_public_profile_shows_badges(client, flags, badge):
    html = client.get(profile_url(UserFactory(**flags))).content.decode()
    assert badge in html


def test_ordinary_user_has_no_badge(client, user):
    assert 'class="badge' not in client.get(profile_url(user)).content.decode()


def test_profile_url_ignores_handle_case(client, user):
    assert client.get(f"/en/u/{user.username.upper()}/").status_code == 200


def test_display_name_is_escaped(client):
    user = UserFactory(display_name="<script>alert(1)</script>")
    html = client.get(profile_url(user)).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_bio_markdown_is_rendered_and_sanitised(client):
    user = UserFactory(bio="**Scalper** <script>alert(1)</script> [site](javascript:alert(2))")
    html = client.get(profile_url(user)).content.decode()
    assert "<strong>Scalper</strong>" in html
    assert "alert(" not in html.split("<main")[1].split("</main>")[0]


def test_unknown_user_is_404(client):
    assert client.get("/en/u/nobody/").status_code == 404


def test_inactive_user_is_404(client):
    assert client.get(profile_url(UserFactory(is_active=False))).status_code == 404


@pytest.mark.parametrize("notifications", [0, 5])
def test_profile_page_query_count_is_fixed(user_client, user, django_assert_num_queries,
                                          notifications):
    Notification.objects.bulk_create(
        Notification(recipient=user, verb="x", target_url="/") for _ in range(notifications))
    url = profile_url(UserFactory(is_staff=True, is_ambassador=True))
    # signed-in user, profile owner, unread count for the bell (the session is in the cache)
    with django_assert_num_queries(3):
        assert user_client.get(url).status_code == 200


def test_anonymous_profile_page_costs_one_query(client, user, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get(profile_url(user)).status_code == 200


def test_profile_settings_require_login(client):
    response = client.get(EDIT)
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={EDIT}"
    assert client.post(EDIT, valid_data()).status_code == 302


def test_profile_settings_show_current_values(user_client):
    html = user_client.get(EDIT).content.decode()
    assert 'value="Alice Trader"' in html
    assert "Spot and futures." in html


def test_valid_save_changes_the_user(user_client, user):
    response = user_client.post(EDIT, valid_data(display_name="  Alice  "))
    assert response.status_code == 302
    assert response.url == EDIT
    user.refresh_from_db()
    assert (user.display_name, user.bio, user.language, user.timezone) == (
        "Alice", "HODL", "zh-hans", "Asia/Shanghai")
    assert "Your profile has been saved." in user_client.get(EDIT).content.decode()


@pytest.mark.parametrize(("changes", "message"), [
    ({"display_name": "x" * 51}, "Ensure this value has at most 50 characters (it has 51)."),
    ({"display_name": "bad\u200bname\x07"},
     "The display name contains characters that cannot be shown."),
    ({"bio": "x" * 501}, "Ensure this value has at most 500 characters (it has 501)."),
    ({"language": "fr"}, "Select a valid choice. fr is not one of the available choices."),
    ({"timezone": "Mars/Base"},
     "Select a valid choice. Mars/Base is not one of the available choices."),
    ({"timezone": ""}, "This field is required."),
], ids=["long-name", "control-chars", "long-bio", "language", "timezone", "no-timezone"])
def test_bad_input_is_refused_and_nothing_changes(user_client, user, changes, message):
    response = user_client.post(EDIT, valid_data(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    user.refresh_from_db()
    assert (user.display_name, user.bio, user.language, user.timezone) == (
        "Alice Trader", "Spot and futures.", "en", "UTC")


@pytest.mark.parametrize(("stored", "active"), [
    ("Asia/Shanghai", "Asia/Shanghai"), ("UTC", "UTC"), ("Gone/Removed", "UTC"),
])
def test_pages_use_the_signed_in_users_timezone(rf, stored, active):
    request = rf.get("/")
    request.user = UserFactory(timezone=stored)
    middleware = UserTimezoneMiddleware(lambda request: timezone.get_current_timezone_name())
    assert middleware(request) == active


def test_anonymous_pages_use_utc(rf):
    request = rf.get("/")
    request.user = AnonymousUser()
    timezone.activate("Asia/Tokyo")  # left over from a previous request on this thread
    middleware = UserTimezoneMiddleware(lambda request: timezone.get_current_timezone_name())
    assert middleware(request) == "UTC"
