import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from core.forms import MARKDOWN_MAX_LENGTH
from core.views import UPLOADS_PER_HOUR
from tests.factories import UserFactory
from tests.uploads import image_upload, text_upload

pytestmark = pytest.mark.django_db

PREVIEW = "/markdown/preview/"
UPLOAD = "/markdown/upload/"
INVALID = "This file is not a valid image. Upload a JPEG, PNG or WebP image."


@pytest.fixture
def user_client(client):
    client.force_login(UserFactory())
    return client


def stored_files() -> list:
    media = settings.MEDIA_ROOT
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


@pytest.mark.parametrize("url", [PREVIEW, UPLOAD])
def test_anonymous_post_is_sent_to_login_and_stores_nothing(client, url):
    response = client.post(url, {"content": "hi", "image": image_upload()})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert stored_files() == []


@pytest.mark.parametrize("url", [PREVIEW, UPLOAD])
def test_get_is_not_allowed(user_client, url):
    assert user_client.get(url).status_code == 405


def test_preview_returns_sanitised_html(user_client):
    text = "**bold** <script>alert(1)</script> [x](javascript:alert(1))"
    response = user_client.post(PREVIEW, {"content": text})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>bold</strong>" in html
    assert "<script" not in html and "javascript:" not in html


def test_preview_of_too_long_content_is_refused(user_client):
    response = user_client.post(PREVIEW, {"content": "a" * (MARKDOWN_MAX_LENGTH + 1)})
    assert response.status_code == 400
    assert response.content.decode() == (
        f"Ensure this value has at most {MARKDOWN_MAX_LENGTH} characters"
        f" (it has {MARKDOWN_MAX_LENGTH + 1})."
    )


def test_upload_stores_the_image_and_answers_with_markdown(user_client):
    response = user_client.post(UPLOAD, {"image": image_upload("photo.jpg", "PNG")})
    assert response.status_code == 200
    code = response.json()["image_code"]
    assert code.startswith("![](/media/uploads/") and code.endswith(".png)")
    path = code[len("![](/media/"):-1]
    assert (settings.MEDIA_ROOT / path).is_file()
    assert stored_files() == [settings.MEDIA_ROOT / path]


@pytest.mark.parametrize("make_upload", [
    lambda: text_upload("photo.png"),
    lambda: text_upload("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
], ids=["text", "svg"])
def test_invalid_upload_is_refused_and_nothing_stored(user_client, make_upload):
    response = user_client.post(UPLOAD, {"image": make_upload()})
    assert response.status_code == 400
    assert response.json() == {"image": [INVALID]}
    assert stored_files() == []


def test_gif_upload_is_refused(user_client):
    response = user_client.post(UPLOAD, {"image": image_upload("cat.gif", "GIF")})
    assert response.status_code == 400
    assert "Other formats are not accepted" in response.json()["image"][0]
    assert stored_files() == []


def test_upload_errors_follow_the_language_cookie(user_client):
    user_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    invalid = user_client.post(UPLOAD, {"image": text_upload("photo.png")})
    missing = user_client.post(UPLOAD, {})
    with translation.override("zh-hans"):
        expected_invalid = translation.gettext(INVALID)
        expected_missing = translation.gettext("This field is required.")
    assert invalid.status_code == missing.status_code == 400
    assert invalid.json() == {"image": [expected_invalid]}
    # Django ships this message in Chinese, so this proves the language really switched.
    assert missing.json() == {"image": [expected_missing]}
    assert expected_missing != "This field is required."


def test_upload_rate_limit_answers_429_and_stores_nothing(client):
    user, other = UserFactory(), UserFactory()
    client.force_login(user)
    for _ in range(UPLOADS_PER_HOUR):
        assert client.post(UPLOAD, {}).status_code == 400  # every attempt counts
    response = client.post(UPLOAD, {"image": image_upload()})
    assert response.status_code == 429
    assert response.json() == {"image": ["Too many uploads. Try again later."]}
    assert stored_files() == []

    client.force_login(other)  # the limit is per user
    assert client.post(UPLOAD, {"image": image_upload()}).status_code == 200
