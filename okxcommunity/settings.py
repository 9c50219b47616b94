"""Settings for the OKX Community portal.

Every value that differs between machines is read from the environment here, and only here.
With nothing set, the portal runs in its embedded default: SQLite, local-memory cache, eager
Celery and console email. The README lists every variable.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
if DEBUG:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="insecure-development-key-only-for-debug")
else:
    # Required when debug is off: the embedded default sets DJANGO_DEBUG=1 in the Makefile.
    SECRET_KEY = env.str("DJANGO_SECRET_KEY")

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "markdownx",
    "parler",
    "core",
    "accounts",
    "notifications",
    "feedback",
    "tickets",
    "forum",
    "blog",
    "surveys",
    "search",
    "events",
    "programs",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    "accounts.middleware.StaffMFAMiddleware",
]

ROOT_URLCONF = "okxcommunity.urls"
WSGI_APPLICATION = "okxcommunity.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.unread_notifications",
                "core.pagecache.csrf_placeholder",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Queries bound on the server, and prepared once run five times on a connection: the
    # busiest pages run the same few queries, and planning them each time cost more than
    # running them. Off behind a pooler that shares connections per transaction.
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            server_side_binding=True, prepare_threshold=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (rate limits live here, so production shares it through Redis) -------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="okx"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
if CELERY_BROKER_URL.startswith("redis://"):
    # kombu's Redis transport, building fewer redis-py clients per message (okxcommunity/celery.py).
    CELERY_BROKER_TRANSPORT = "okxcommunity.celery:RedisTransport"
# No broker configured: tasks run in the calling process, so the embedded default needs nothing.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must not hang a web request when Redis is away: one quick reconnect, then the
# caller gives up and its outbox or sweep sends the task later (core.broker.publish).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2, "socket_timeout": 5, "max_retries": 1, "interval_start": 0,
}
CELERY_BEAT_SCHEDULE = {
    "feedback-relay-outbox": {"task": "feedback.tasks.relay_outbox", "schedule": 30},
    "notifications-email-sweep": {"task": "notifications.tasks.notifications_email_sweep",
                                  "schedule": 300},
    "tickets-sla-check": {"task": "tickets.tasks.sla_check", "schedule": 60},
    "forum-digests": {"task": "forum.tasks.forum_digests_send_due", "schedule": 3600},
    "events-meetup-reminders": {"task": "events.tasks.meetup_reminders_send", "schedule": 900},
    "notifications-prune": {"task": "notifications.tasks.notifications_prune",
                            "schedule": 24 * 3600},
}
CELERY_TIMEZONE = "UTC"
# Workers keep their database connection across tasks (Celery closes it after every task by
# default, which costs a PostgreSQL connection per task); okxcommunity/celery.py drops a
# broken or expired one before each task.
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=100)

# --- Email ----------------------------------------------------------------------------------
globals().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="OKX Community <community@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Read notifications older than this are deleted by a daily beat job.
NOTIFICATIONS_KEEP_READ_DAYS = env.int("NOTIFICATIONS_KEEP_READ_DAYS", default=180)

# --- Auth and accounts ----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
SITE_ID = 1

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_USERNAME_VALIDATORS = "accounts.validators.username_validators"
ACCOUNT_USERNAME_BLACKLIST = [
    "admin", "administrator", "root", "staff", "support", "okx", "official", "moderator",
    "system", "help", "security", "null", "none",
]
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[OKX Community] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "OKX Community"
# When on, staff without an authenticator are sent to set one up before they reach the admin.
STAFF_REQUIRE_MFA = env.bool("STAFF_REQUIRE_MFA", default=not DEBUG)

# Social login: a provider appears only when its credentials are in the environment.
SOCIALACCOUNT_PROVIDERS: dict = {}
for _provider, _app in (("github", "allauth.socialaccount.providers.github"),
                        ("google", "allauth.socialaccount.providers.google")):
    _client_id = env.str(f"{_provider.upper()}_CLIENT_ID", default="")
    if _client_id:
        INSTALLED_APPS.append(_app)
        SOCIALACCOUNT_PROVIDERS[_provider] = {
            "APP": {"client_id": _client_id,
                    "secret": env.str(f"{_provider.upper()}_CLIENT_SECRET")},
            "SCOPE": ["user:email"] if _provider == "github" else ["profile", "email"],
        }
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False

# --- Languages ------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# Translated names (django-parler): English is the fallback for anything not yet translated.
PARLER_LANGUAGES = {
    SITE_ID: tuple({"code": code} for code, _name in LANGUAGES),
    "default": {"fallbacks": [LANGUAGE_CODE], "hide_untranslated": False},
}

# --- Feedback pipeline ----------------------------------------------------------------------
FEEDBACK_WEBHOOK_TIMEOUT = env.float("FEEDBACK_WEBHOOK_TIMEOUT", default=5.0)
FEEDBACK_WEBHOOK_MAX_RETRIES = env.int("FEEDBACK_WEBHOOK_MAX_RETRIES", default=8)
FEEDBACK_WEBHOOK_RETRY_BASE = env.float("FEEDBACK_WEBHOOK_RETRY_BASE", default=10.0)
# The relay re-publishes outbox entries still unprocessed after this many seconds.
FEEDBACK_RELAY_AFTER_SECONDS = env.int("FEEDBACK_RELAY_AFTER_SECONDS", default=30)

# --- Support desk ---------------------------------------------------------------------------
# A live chat nobody answers within this many minutes becomes a ticket answered by email.
SUPPORT_CHAT_TIMEOUT_MINUTES = env.int("SUPPORT_CHAT_TIMEOUT_MINUTES", default=5)
# A resolved ticket may be reopened by its requester for this many days.
SUPPORT_REOPEN_DAYS = env.int("SUPPORT_REOPEN_DAYS", default=7)
# Ticket attachments: verified images (JPEG, PNG, WebP) and PDFs up to this size.
SUPPORT_ATTACHMENT_MAX_BYTES = env.int("SUPPORT_ATTACHMENT_MAX_BYTES",
                                       default=10 * 1024 * 1024)

# Busy pages (a forum topic, the blog) are served to anonymous readers from the cache for this
# many seconds (core.pagecache); 0 turns it off. Signed-in members always get a fresh page.
ANONYMOUS_PAGE_CACHE_SECONDS = env.int("ANONYMOUS_PAGE_CACHE_SECONDS", default=30)

# --- Forum ----------------------------------------------------------------------------------
# A forum notification's email waits this long and is dropped if the post was seen meanwhile.
FORUM_EMAIL_DELAY_SECONDS = env.int("FORUM_EMAIL_DELAY_SECONDS", default=300)

# --- Blog ---------------------------------------------------------------------------------
# True: a language's lists, feeds and sitemap omit articles not translated into it, and their
# pages there are a 404. False: they appear in English with a note saying so.
BLOG_HIDE_UNTRANSLATED = env.bool("BLOG_HIDE_UNTRANSLATED", default=False)
# Comments close this many days after an article's publication (0: never).
BLOG_COMMENTS_CLOSE_DAYS = env.int("BLOG_COMMENTS_CLOSE_DAYS", default=30)
# The category whose articles the portal's home lists as announcements (with featured ones).
BLOG_ANNOUNCEMENTS_CATEGORY = env.str("BLOG_ANNOUNCEMENTS_CATEGORY", default="announcements")
# Cover images: verified, re-encoded and resized, never larger than this upload.
BLOG_COVER_MAX_BYTES = env.int("BLOG_COVER_MAX_BYTES", default=8 * 1024 * 1024)

# --- Surveys ---
# Saves and submissions a person (account, else IP address) may post per hour.
SURVEYS_POSTS_PER_HOUR = env.int("SURVEYS_POSTS_PER_HOUR", default=60)
# How long a browser keeps the token that makes it one respondent of anonymous surveys.
SURVEYS_BROWSER_COOKIE_DAYS = env.int("SURVEYS_BROWSER_COOKIE_DAYS", default=365)

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Files only some people may see (ticket attachments): never under MEDIA_ROOT, served only by
# views that check who is asking.
PRIVATE_MEDIA_ROOT = Path(
    env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private_media")))
# Uploads are re-encoded by Pillow before they are stored, so Django may serve them itself;
# turn this off where a front proxy serves MEDIA_ROOT.
SERVE_MEDIA = env.bool("DJANGO_SERVE_MEDIA", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# In debug, serve static files straight from the source folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Uploaded images: verified by Pillow, re-encoded, never larger than these.
IMAGE_UPLOAD_MAX_BYTES = env.int("IMAGE_UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
AVATAR_MAX_BYTES = env.int("AVATAR_MAX_BYTES", default=2 * 1024 * 1024)
AVATAR_SIZE = 256
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# django-markdownx posts to our own login-protected views (core.views), not the package's.
MARKDOWNX_URLS_PATH = "/markdown/preview/"
MARKDOWNX_UPLOAD_URLS_PATH = "/markdown/upload/"
MARKDOWNX_SERVER_CALL_LATENCY = 400

# --- Security -------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("DJANGO_BEHIND_PROXY", default=False) else None
)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = not DEBUG
# Sessions are written to the database and read from the cache: a signed-in page costs no
# session query, and a flushed cache signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    # One line per eager task would drown the development server's log.
    "loggers": {"celery.app.trace": {"level": "WARNING"}},
}
