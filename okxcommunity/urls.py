from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts import views as accounts_views
from blog import views as blog_views
from blog.sitemaps import SITEMAPS
from core import views as core_views

# The admin login goes through allauth, so it gets the same rate limits and MFA.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = admin.site.site_title = _("OKX Community")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/setlang/", accounts_views.language_set, name="set_language"),
    path("markdown/preview/", core_views.markdown_preview, name="markdown_preview"),
    path("markdown/upload/", core_views.markdown_upload, name="markdown_upload"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", blog_views.robots_txt, name="robots_txt"),
]

urlpatterns += i18n_patterns(
    path("", core_views.home, name="home"),
    path("", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("notifications/", include("notifications.urls")),
    path("feedback/", include("feedback.urls")),
    path("support/", include("tickets.urls")),
    path("forum/", include("forum.urls")),
    path("blog/", include("blog.urls")),
    path("surveys/", include("surveys.urls")),
    path("search/", include("search.urls")),
    path("events/", include("events.urls")),
    path("programs/", include("programs.urls")),
    prefix_default_language=True,
)

if settings.SERVE_MEDIA:
    urlpatterns += [path("media/<path:path>", core_views.media, name="media")]
