from django.shortcuts import get_object_or_404

from accounts.models import User


def user_get_public(*, username: str) -> User:
    """The active user with this handle (any letter case), or 404."""
    return get_object_or_404(User, username__iexact=username, is_active=True)
