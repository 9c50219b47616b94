"""`manage.py team_queues` prints the product teams' queues for a worker's -Q."""

import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command

from feedback.models import Team
from tests.conftest import ROOT, worker_env

QUEUES = "team.customer-service,team.mobile,team.security,team.trading,team.wallet"


def run_command() -> str:
    out = StringIO()
    call_command("team_queues", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_prints_the_team_queues_comma_separated(taxonomy):
    assert run_command().strip() == QUEUES
    assert QUEUES.split(",") == sorted(t.queue for t in Team.objects.all())


@pytest.mark.django_db
def test_a_new_team_gets_its_queue(taxonomy):
    Team.objects.create(slug="earn", name="Earn")
    assert run_command().strip().split(",") == sorted([*QUEUES.split(","), "team.earn"])


@pytest.mark.django_db(transaction=True)
def test_manage_py_prints_them_for_a_shell(taxonomy, postgres):
    """The real command line, as a deployment script runs it (needs a database another process
    can reach, so PostgreSQL)."""
    result = subprocess.run(
        [sys.executable, "manage.py", "team_queues"], cwd=ROOT, env=worker_env(),
        capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == QUEUES
    assert " " not in result.stdout.strip()
