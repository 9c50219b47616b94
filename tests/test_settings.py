"""Settings come from the environment: what a deployment sets is what the portal does."""

import json
import os
import subprocess
import sys

from tests.conftest import ROOT

PROBE = (
    "from django.conf import settings; import json; print(json.dumps({"
    "'apps': settings.INSTALLED_APPS, 'providers': sorted(settings.SOCIALACCOUNT_PROVIDERS),"
    "'email': settings.EMAIL_BACKEND, 'email_host': getattr(settings, 'EMAIL_HOST', ''),"
    "'cache': settings.CACHES['default']['BACKEND'], 'eager': settings.CELERY_TASK_ALWAYS_EAGER,"
    "'db': settings.DATABASES['default']['ENGINE'],"
    "'db_options': settings.DATABASES['default'].get('OPTIONS', {})}))"
)


def _settings_with(**env) -> dict:
    base = {k: v for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "CELERY_BROKER_URL"}
            and not k.endswith("_CLIENT_ID")}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PROBE], cwd=ROOT,
        env={**base, "DJANGO_DEBUG": "1", **env}, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_embedded_default_needs_no_services():
    found = _settings_with()
    assert found["db"] == "django.db.backends.sqlite3"
    assert found["cache"].endswith("LocMemCache")
    assert found["eager"] is True
    assert found["email"].endswith("console.EmailBackend")
    assert found["providers"] == []


def test_services_come_from_urls():
    found = _settings_with(
        DATABASE_URL="postgres://portal@db.internal:5432/portal",
        REDIS_URL="redis://cache.internal:6379/0",
        EMAIL_URL="smtp+tls://mailer:secret@smtp.example.com:587",
    )
    assert found["db"] == "django.db.backends.postgresql"
    assert found["cache"].endswith("RedisCache")
    assert found["eager"] is False
    assert found["email"].endswith("smtp.EmailBackend")
    assert found["email_host"] == "smtp.example.com"


def test_postgresql_prepares_queries_unless_a_pooler_forbids_it():
    database = "postgres://portal@db.internal:5432/portal"
    assert _settings_with(DATABASE_URL=database)["db_options"] == {
        "server_side_binding": True, "prepare_threshold": 5}
    assert _settings_with(DATABASE_URL=database,
                          DATABASE_PREPARED_STATEMENTS="0")["db_options"] == {}


def test_social_login_is_switched_on_by_environment_only():
    found = _settings_with(GITHUB_CLIENT_ID="abc", GITHUB_CLIENT_SECRET="xyz")
    assert found["providers"] == ["github"]
    assert "allauth.socialaccount.providers.github" in found["apps"]
    assert "allauth.socialaccount.providers.google" not in found["apps"]
