"""Programs fixtures: ambassadors made the way the admin makes them (an approved application),
the security team (the "Security team" group with the permission), and reports."""

import pytest
from django.contrib.auth.models import Group, Permission

from programs import services
from programs.models import Asset, Region
from tests.factories import UserFactory


def make_ambassador(*, region=Region.EUROPE, user=None, reviewer=None):
    """A current ambassador of ``region`` (a new user unless ``user`` is given)."""
    user = user or UserFactory()
    application = services.application_submit(
        user=user, region=region, languages="English", channels=["https://x.com/someone"],
        audience_size=100, motivation="I love trading.")
    services.application_approve(application=application,
                                 by=reviewer or UserFactory(is_staff=True))
    user.refresh_from_db()
    return user


def make_security_member(**fields):
    group, _created = Group.objects.get_or_create(name="Security team")
    group.permissions.add(Permission.objects.get(codename="handle_security_reports"))
    member = UserFactory(**fields)
    member.groups.add(group)
    return member


def make_report(*, reporter=None, asset=None, **fields):
    values = {"title": "XSS in the profile page", "asset_other": "" if asset else "api.okx.com",
              "steps": "1. Put `<script>` in the bio\n2. **Open** the profile",
              "impact": "Session theft.", "severity": "high", **fields}
    return services.report_submit(reporter=reporter or UserFactory(), asset=asset, **values)


@pytest.fixture
def security_member(db):
    return make_security_member()


@pytest.fixture
def web_asset(db):
    return Asset.objects.create(name="okx.com", in_scope=True)
