"""The production stack as docker-compose.yml describes it, and Django's deploy checks."""

import importlib
import os
import secrets
import shlex
import subprocess
import sys
from importlib.util import find_spec

import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands

from tests.conftest import ROOT

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
APP_SERVICES = {name: s for name, s in COMPOSE["services"].items() if "build" in s}
# The team worker asks the project for its queues when it starts ($$ is compose's $).
TEAM_QUEUES = "$$(python manage.py team_queues)"


def _commands(service: dict) -> list[list[str]]:
    """A service's command as argument lists; ``sh -c "a && b"`` gives both commands."""
    argv = shlex.split(service["command"])
    if argv[:2] == ["sh", "-c"]:
        return [shlex.split(part.replace(TEAM_QUEUES, shlex.quote(TEAM_QUEUES)))
                for part in argv[2].split("&&")]
    return [argv]


def test_compose_has_the_production_services():
    assert {"web", "worker", "team-worker", "beat", "postgres", "redis"} <= set(
        COMPOSE["services"])
    assert (ROOT / "Dockerfile").is_file()
    for service in APP_SERVICES.values():
        env = service["environment"]
        assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL"} <= set(env)
        assert env["DJANGO_DEBUG"] == "0"
        assert env["DATABASE_URL"].startswith("postgres://")


@pytest.mark.parametrize("name", sorted(APP_SERVICES))
def test_every_compose_command_exists_in_the_project(name):
    for argv in _commands(APP_SERVICES[name]):
        program, *args = argv
        if program == "python":
            assert args[0] == "manage.py"
            assert args[1] in get_commands(), f"{name}: no management command {args[1]}"
        elif program == "gunicorn":
            module, attribute = args[0].split(":")
            assert find_spec("gunicorn"), "gunicorn is not installed"
            assert callable(getattr(importlib.import_module(module), attribute))
        elif program == "celery":
            app_module = args[args.index("-A") + 1]
            assert importlib.import_module(app_module).celery_app.main == app_module
            assert args[args.index("-A") + 2] in {"worker", "beat"}
            if "-Q" in args:
                queues = args[args.index("-Q") + 1]
                if queues == TEAM_QUEUES:
                    assert "team_queues" in get_commands()
                else:
                    assert set(queues.split(",")) <= {settings.CELERY_TASK_DEFAULT_QUEUE}
        else:
            pytest.fail(f"{name}: unknown program {program!r}")


def test_deploy_checks_pass_with_production_values():
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "community.example.com",
        "SITE_URL": "https://community.example.com",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_secret_key_is_required_when_debug_is_off():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env["DJANGO_DEBUG"] = "0"
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
