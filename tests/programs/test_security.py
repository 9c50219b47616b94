"""The bug bounty's services: filing a report, the workflow's allowed moves, rewards, the
conversation (the other side is notified), the hall of fame, and proof-of-concept files
recognised by their content."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from notifications.models import Notification
from programs import selectors, services
from programs.attachments import POC_MAX_BYTES, poc_verify
from programs.models import Report
from tests.factories import UserFactory
from tests.programs.conftest import make_report, make_security_member
from tests.uploads import image_bytes

pytestmark = pytest.mark.django_db

S = Report.Status
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\nstartxref\n9\n%%EOF\n"


def _triage(report, by, status, *, severity="high", reward=None, payout="none"):
    return services.report_triage(report=report, by=by, status=status, severity=severity,
                                  reward_amount=reward, payout_status=payout)


def test_a_report_is_filed_and_the_team_told(security_member, web_asset):
    staff = UserFactory(is_staff=True)
    reporter = UserFactory()
    report = make_report(reporter=reporter, asset=web_asset)
    assert report.status == S.NEW and report.asset == web_asset and report.asset_other == ""
    assert "<strong>Open</strong>" in report.steps_html and "<script>" not in report.steps_html
    assert Notification.objects.filter(recipient=security_member).count() == 1
    assert not Notification.objects.filter(recipient__in=[staff, reporter]).exists()


def test_an_asset_must_be_named():
    with pytest.raises(ValidationError):
        make_report(asset_other="  ")
    assert not Report.objects.exists()


ALLOWED = [
    (S.NEW, S.TRIAGED), (S.NEW, S.NEEDS_INFO), (S.NEW, S.DUPLICATE), (S.NEW, S.NOT_APPLICABLE),
    (S.TRIAGED, S.ACCEPTED), (S.NEEDS_INFO, S.TRIAGED), (S.ACCEPTED, S.FIXED),
    (S.DUPLICATE, S.TRIAGED), (S.NOT_APPLICABLE, S.TRIAGED),
]
REFUSED = [
    (S.NEW, S.ACCEPTED), (S.NEW, S.FIXED), (S.NEW, S.REWARDED), (S.TRIAGED, S.FIXED),
    (S.NEEDS_INFO, S.ACCEPTED), (S.ACCEPTED, S.NEW), (S.ACCEPTED, S.DUPLICATE),
    (S.FIXED, S.TRIAGED), (S.REWARDED, S.FIXED), (S.DUPLICATE, S.ACCEPTED),
]


@pytest.mark.parametrize("old, new", ALLOWED)
def test_allowed_moves(security_member, old, new):
    report = make_report()
    Report.objects.filter(pk=report.pk).update(status=old)
    _triage(report, security_member, new)
    report.refresh_from_db()
    assert report.status == new
    note = Notification.objects.get(recipient=report.reporter)
    assert note.target_url == report.get_absolute_url() and "is now" in note.verb


@pytest.mark.parametrize("old, new", REFUSED)
def test_refused_moves_change_nothing(security_member, old, new):
    report = make_report(severity="low")
    Report.objects.filter(pk=report.pk).update(status=old)
    with pytest.raises(ValidationError, match="cannot become"):
        _triage(report, security_member, new, severity="critical")
    report.refresh_from_db()
    assert report.status == old and report.severity == "low"
    assert not Notification.objects.filter(recipient=report.reporter).exists()


def test_a_reward_needs_an_amount_and_follows_the_fix(security_member):
    report = make_report()
    Report.objects.filter(pk=report.pk).update(status=S.FIXED)
    with pytest.raises(ValidationError, match="reward amount"):
        _triage(report, security_member, S.REWARDED)
    with pytest.raises(ValidationError, match="reward amount"):
        _triage(report, security_member, S.FIXED, payout="pending")
    _triage(report, security_member, S.REWARDED, reward=Decimal("1500"), payout="pending")
    _triage(report, security_member, S.REWARDED, reward=Decimal("1500"), payout="paid")
    report.refresh_from_db()
    assert (report.status, report.reward_amount, report.payout_status) == (
        S.REWARDED, Decimal("1500.00"), "paid")
    # Only the status change was news to the reporter, not the payout edit.
    assert Notification.objects.filter(recipient=report.reporter).count() == 1


@pytest.mark.parametrize("who", ["reporter", "staff", "other"])
def test_only_the_team_triages(who):
    report = make_report()
    by = {"reporter": report.reporter, "staff": UserFactory(is_staff=True),
          "other": UserFactory()}[who]
    with pytest.raises(PermissionDenied):
        _triage(report, by, S.TRIAGED)
    report.refresh_from_db()
    assert report.status == S.NEW


def test_superusers_are_in_the_team():
    assert selectors.user_is_security_team(UserFactory(is_superuser=True))
    assert not selectors.user_is_security_team(UserFactory(is_staff=True))


def test_the_conversation_tells_the_other_side(security_member):
    other_member = make_security_member()
    report = make_report()
    Notification.objects.all().delete()
    services.report_comment_add(report=report, author=report.reporter, body="More details.")
    assert set(Notification.objects.values_list("recipient", flat=True)) == {
        security_member.pk, other_member.pk}
    Notification.objects.all().delete()
    comment = services.report_comment_add(report=report, author=security_member,
                                          body="Thanks, **reproduced**.")
    assert comment.from_team and "<strong>reproduced</strong>" in comment.body_html
    assert list(Notification.objects.values_list("recipient", flat=True)) == [
        report.reporter.pk]
    with pytest.raises(ValidationError):
        services.report_comment_add(report=report, author=report.reporter, body="   ")


@pytest.mark.parametrize("who", ["staff", "other"])
def test_outsiders_cannot_comment(who):
    report = make_report()
    author = UserFactory(is_staff=who == "staff")
    with pytest.raises(PermissionDenied):
        services.report_comment_add(report=report, author=author, body="hello")
    assert not report.comments.exists()


def test_the_hall_of_fame_credits_accepted_reports_of_those_who_opt_in():
    kim = UserFactory(display_name="Kim")
    ana = UserFactory(display_name="Ana")
    shy = UserFactory(display_name="Shy")
    for reporter, status, opt_in in [(kim, S.REWARDED, True), (kim, S.FIXED, True),
                                     (kim, S.NEW, True), (ana, S.ACCEPTED, True),
                                     (ana, S.DUPLICATE, True), (shy, S.REWARDED, False)]:
        report = make_report(reporter=reporter, hall_of_fame=opt_in)
        Report.objects.filter(pk=report.pk).update(status=status)
    assert [(r.name, r.reports) for r in selectors.hall_of_fame()] == [("Kim", 2), ("Ana", 1)]
    shy_report = Report.objects.get(reporter=shy)
    with pytest.raises(PermissionDenied):
        services.report_hall_of_fame_set(report=shy_report, by=kim, show=True)
    services.report_hall_of_fame_set(report=shy_report, by=shy, show=True)
    names = [r.name for r in selectors.hall_of_fame()]
    assert names[0] == "Kim" and sorted(names[1:]) == ["Ana", "Shy"]


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("exploit.py", "print('poc')\n")
    return buffer.getvalue()


@pytest.mark.parametrize("name, content, extension, content_type", [
    ("shot.png", image_bytes("PNG"), "png", "image/png"),
    ("shot.jpeg", image_bytes("JPEG"), "jpg", "image/jpeg"),
    ("anim.gif", image_bytes("GIF"), "gif", "image/gif"),
    ("shot.webp", image_bytes("WEBP"), "webp", "image/webp"),
    ("report.pdf", PDF, "pdf", "application/pdf"),
    ("poc.zip", _zip(), "zip", "application/zip"),
    ("curl.sh", "curl -X POST https://okx.com/…\n".encode(), "txt", "text/plain"),
    # The name says image, the content says text: the content wins.
    ("fake.png", b"<svg onload=alert(1)>", "txt", "text/plain"),
    ("noext", image_bytes("PNG"), "png", "image/png"),
])
def test_poc_files_are_recognised_by_content(name, content, extension, content_type):
    verified = poc_verify(upload=SimpleUploadedFile(name, content))
    assert verified.content_type == content_type
    assert verified.name.endswith(f".{extension}") and verified.content.read() == content


@pytest.mark.parametrize("name, content", [
    ("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"),
    ("elf.png", b"\x7fELF\x02\x01\x01\x00" + bytes(64)),
    ("broken.zip", b"PK\x03\x04 not really a zip"),
    ("empty.txt", b""),
    ("latin1.txt", "café".encode("latin-1")),
])
def test_other_files_are_refused(name, content):
    with pytest.raises(ValidationError, match="Attach an image"):
        poc_verify(upload=SimpleUploadedFile(name, content))


def test_large_files_are_refused():
    with pytest.raises(ValidationError, match="too large"):
        poc_verify(upload=SimpleUploadedFile("big.txt", b"a" * (POC_MAX_BYTES + 1)))
