import pytest
from django.conf import settings
from PIL import Image

from tests.uploads import image_upload, text_upload

pytestmark = pytest.mark.django_db

AVATAR = "/en/accounts/profile/avatar/"


def upload(client, file):
    return client.post(AVATAR, {"avatar": file})


def avatar_path(user):
    user.refresh_from_db()
    return settings.MEDIA_ROOT / user.avatar.name if user.avatar else None


def test_png_upload_stores_a_square_avatar(user_client, user):
    response = upload(user_client, image_upload("me.png", size=(600, 400)))
    assert response.status_code == 302
    path = avatar_path(user)
    assert path.suffix == ".png" and path.is_file()
    with Image.open(path) as image:
        assert image.size == (settings.AVATAR_SIZE, settings.AVATAR_SIZE)
        assert image.format == "PNG"


def test_avatar_is_shown_on_the_profile(user_client, user):
    upload(user_client, image_upload("me.jpg", "JPEG"))
    user.refresh_from_db()
    html = user_client.get(f"/en/u/{user.username}/").content.decode()
    assert f'src="{user.avatar.url}"' in html


def test_replacing_the_avatar_deletes_the_old_file(user_client, user):
    upload(user_client, image_upload("first.png"))
    first = avatar_path(user)
    upload(user_client, image_upload("second.webp", "WEBP"))
    second = avatar_path(user)
    assert second.suffix == ".webp" and second.is_file()
    assert not first.exists()


@pytest.mark.parametrize(("make_file", "message"), [
    (lambda: text_upload("avatar.png"), "This file is not a valid image."),
    (lambda: image_upload("avatar.gif", "GIF"), "Other formats are not accepted."),
], ids=["text", "gif"])
def test_invalid_upload_is_refused_and_the_old_avatar_kept(user_client, user, make_file,
                                                           message):
    upload(user_client, image_upload("old.png"))
    old = avatar_path(user)

    response = upload(user_client, make_file())
    assert response.status_code == 400
    assert message in response.content.decode()
    assert avatar_path(user) == old and old.is_file()
    assert len(list(old.parent.iterdir())) == 1


def test_too_large_avatar_is_refused(user_client, user, settings):
    settings.AVATAR_MAX_BYTES = 100
    response = upload(user_client, image_upload("big.png"))
    assert response.status_code == 400
    assert "The image is too large" in response.content.decode()
    assert avatar_path(user) is None


def test_remove_deletes_the_avatar(user_client, user):
    upload(user_client, image_upload("me.png"))
    path = avatar_path(user)
    response = user_client.post(AVATAR, {"remove": "1"})
    assert response.status_code == 302
    assert avatar_path(user) is None
    assert not path.exists()


def test_avatar_upload_needs_login(client):
    response = upload(client, image_upload())
    assert response.status_code == 302
    assert response.url.startswith("/en/accounts/login/")
    assert not settings.MEDIA_ROOT.exists()


def test_avatar_get_is_not_allowed(user_client):
    assert user_client.get(AVATAR).status_code == 405
