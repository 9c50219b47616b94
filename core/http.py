"""Small pieces shared by the views of buttons that work both as plain forms (redirect back with
a message) and through fetch (JSON): static/js/site.js sends ``X-Requested-With``."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST


def wants_json(request) -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


def members_only_post(view):
    """POST only; an anonymous visitor is sent to log in and back to the page (fetch gets a 401
    and where to go); a refused action is a 403 (JSON with a translated message for fetch)."""
    @require_POST
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            login = redirect_to_login(request.headers.get("Referer") or request.path)
            if wants_json(request):
                return JsonResponse({"login_url": login.url}, status=401)
            return login
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied:
            if wants_json(request):
                return JsonResponse({"error": _("You may not do that.")}, status=403)
            raise
    return wrapper
