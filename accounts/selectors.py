from django.shortcuts import get_object_or_404

from accounts.models import User


def user_get_public(*, username: str) -> User:
    """The active user with this handle (any letter case), or 404."""
    return get_object_or_404(User, username__iexact=username, is_active=True)


def user_is_staff(user) -> bool:
    """A signed-in, active staff member: who may moderate, preview and see results."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)
