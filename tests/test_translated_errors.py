"""Bad input is answered in the user's language, and changes nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_signup_with_a_bad_handle_is_refused_in_chinese(client):
    response = client.post("/zh-hans/accounts/signup/", {
        "email": "new@example.com", "username": "bad handle!",
        "password1": "Xq7!long-enough", "password2": "Xq7!long-enough",
    })
    assert response.status_code == 200
    assert "请使用 3 至 30 个字母、数字、下划线或连字符" in response.content.decode()
    assert not User.objects.filter(email="new@example.com").exists()


def test_avatar_that_is_not_an_image_is_refused_in_chinese(client):
    user = UserFactory(language="zh-hans")
    client.force_login(user)
    fake = SimpleUploadedFile("avatar.png", b"<svg onload=alert(1)></svg>", "image/png")
    response = client.post("/zh-hans/accounts/profile/avatar/", {"avatar": fake})
    assert response.status_code == 400
    assert "该文件不是有效的图片" in response.content.decode()
    user.refresh_from_db()
    assert not user.avatar


def test_markdown_upload_error_follows_the_language_cookie(client, settings):
    client.force_login(UserFactory())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    gif = io.BytesIO(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")
    response = client.post("/markdown/upload/",
                           {"image": SimpleUploadedFile("x.png", gif.getvalue(), "image/png")})
    assert response.status_code == 400
    assert "图片" in response.json()["image"][0]
