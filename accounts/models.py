import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

TIMEZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]


@dataclass(frozen=True)
class Badge:
    slug: str
    label: str


class User(AbstractUser):
    """A portal user. The username is the public handle shown as ``@handle``."""

    display_name = models.CharField(_("display name"), max_length=50, blank=True)
    avatar = models.ImageField(_("avatar"), upload_to="avatars/%Y/%m/", blank=True)
    bio = models.TextField(_("bio"), max_length=500, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, choices=TIMEZONE_CHOICES, default="UTC"
    )
    is_product_manager = models.BooleanField(
        _("product manager"), default=False,
        help_text=_("Shows the Product manager badge and lets the user answer feedback."),
    )
    is_ambassador = models.BooleanField(
        _("ambassador"), default=False, help_text=_("Shows the Ambassador badge."),
    )
    # Part of the hash every session is checked against: a new value signs the user out of
    # every browser (accounts.services.user_sessions_end) without touching the password.
    session_salt = models.CharField(_("session salt"), max_length=32, blank=True,
                                    editable=False)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"

    def __str__(self):
        return self.username

    def get_absolute_url(self):
        return reverse("accounts:profile", kwargs={"username": self.username})

    def _get_session_auth_hash(self, secret=None):
        # Django's hash of the password (the one method behind get_session_auth_hash and its
        # SECRET_KEY_FALLBACKS twin), with the salt mixed in. An empty salt gives Django's
        # own value, so sessions made before the salt existed stay valid.
        key_salt = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"
        return salted_hmac(key_salt, self.password + self.session_salt, secret=secret,
                           algorithm="sha256").hexdigest()

    @property
    def name(self) -> str:
        """What the portal shows for this user: the display name, or the handle."""
        return self.display_name or self.username

    @cached_property
    def badges(self) -> list[Badge]:
        # Read from the user row itself, so showing badges beside a name costs no query.
        badges = []
        if self.is_staff:
            badges.append(Badge("staff", _("Official")))
        if self.is_product_manager:
            badges.append(Badge("pm", _("Product manager")))
        if self.is_ambassador:
            badges.append(Badge("ambassador", _("Ambassador")))
        return badges
