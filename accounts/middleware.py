import zoneinfo

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _


class UserTimezoneMiddleware:
    """Show dates in the signed-in user's own time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.timezone:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.timezone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


class StaffMFAMiddleware:
    """With STAFF_REQUIRE_MFA on, staff must set up an authenticator before using the admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.STAFF_REQUIRE_MFA
            and request.path.startswith(reverse("admin:index"))
            and user is not None
            and user.is_authenticated
            and user.is_staff
            and not is_mfa_enabled(user)
        ):
            messages.warning(
                request, _("Staff accounts need two-factor authentication. Set it up to continue.")
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
