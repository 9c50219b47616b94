from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import translate_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from notifications.selectors import notification_list
from notifications.services import notification_mark_all_read, notification_mark_read

PAGE_SIZE = 30


@login_required
def notification_index(request):
    unread_only = request.GET.get("filter") == "unread"
    page = Paginator(notification_list(user=request.user, unread_only=unread_only),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html",
                  {"page": page, "unread_only": unread_only})


@login_required
def notification_open(request, pk):
    """Follow a notification's link, marking it read on the way."""
    notification = notification_mark_read(user=request.user, notification_id=pk)
    # The link was made in the actor's language; follow it in the reader's.
    target = translate_url(notification.target_url, get_language())
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "notifications:index"
    return redirect(target)


@require_POST
@login_required
def notification_read_all(request):
    notification_mark_all_read(user=request.user)
    return redirect("notifications:index")
