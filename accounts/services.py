import secrets

from django.core.files.base import File
from django.db import transaction

from accounts.models import User
from core.pagecache import member_pages_expire


@transaction.atomic
def profile_update(*, user: User, display_name: str, bio: str, language: str,
                   timezone: str) -> User:
    if user.display_name != display_name:
        # Shown beside their posts on pages members share.
        transaction.on_commit(member_pages_expire)
    user.display_name = display_name
    user.bio = bio
    user.language = language
    user.timezone = timezone
    user.save(update_fields=["display_name", "bio", "language", "timezone"])
    return user


def avatar_set(*, user: User, image: File) -> User:
    """Replace the user's avatar. ``image`` must already be verified and resized (core.images)."""
    old = user.avatar.name
    user.avatar.save(image.name, image, save=False)
    user.save(update_fields=["avatar"])
    transaction.on_commit(member_pages_expire)
    if old:
        user.avatar.storage.delete(old)
    return user


def avatar_remove(*, user: User) -> User:
    if user.avatar:
        user.avatar.delete(save=False)
        user.save(update_fields=["avatar"])
        transaction.on_commit(member_pages_expire)
    return user


def user_language_set(*, user: User, language: str) -> User:
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


def user_sessions_end(*, user: User) -> User:
    """Sign ``user`` out everywhere: every session made so far fails Django's check on its next
    request (see ``User._get_session_auth_hash``)."""
    user.session_salt = secrets.token_hex(16)
    user.save(update_fields=["session_salt"])
    return user


def user_set_ambassador(*, user: User, ambassador: bool) -> User:
    """Give or take away the Ambassador badge (the programs app decides who is one)."""
    if user.is_ambassador != ambassador:
        user.is_ambassador = ambassador
        user.save(update_fields=["is_ambassador"])
        transaction.on_commit(member_pages_expire)
    return user
