"""The bug bounty's pages. A report is seen by its reporter and the security team only, by
every address (list, page, file, comment, triage): anyone else, staff included, gets a 404.
Also: filing with a proof of concept, bad files, the rate limit, the scope page and the pages'
fixed number of queries."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from programs.models import Asset, Report, ReportComment
from tests.factories import UserFactory
from tests.programs.conftest import make_report, make_security_member
from tests.programs.test_security import PDF

pytestmark = pytest.mark.django_db

NEW = "/en/programs/security/reports/new/"
LIST = "/en/programs/security/reports/"
FORM = {"title": "SQL injection in order history", "asset": "other",
        "asset_other": "api.okx.com", "steps": "1. Send `'--`", "impact": "Reads all orders.",
        "severity": "critical", "hall_of_fame": "on"}


def _viewer(who: str, report: Report):
    return {"anonymous": None, "other": UserFactory(), "staff": UserFactory(is_staff=True),
            "staff with model permissions": _staff_with_model_permissions(),
            "reporter": report.reporter, "team": make_security_member()}[who]


def _staff_with_model_permissions():
    """Staff holding every ordinary permission on reports, but not the security one."""
    staff = UserFactory(is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(
        content_type__app_label="programs").exclude(codename="handle_security_reports"))
    return staff


@pytest.fixture
def report_with_poc(tmp_path):
    report = make_report(title="Secret finding", poc=None)
    report.poc.save("x.pdf", SimpleUploadedFile("x.pdf", PDF), save=False)
    report.poc_name, report.poc_content_type = "finding.pdf", "application/pdf"
    report.save()
    return report


OUTSIDERS = ["anonymous", "other", "staff", "staff with model permissions"]


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404_at_every_address(client, report_with_poc, who):
    report = report_with_poc
    viewer = _viewer(who, report)
    if viewer is not None:
        client.force_login(viewer)
    base = report.get_absolute_url()
    assert client.get(base).status_code == 404
    assert client.get(base + "poc/").status_code == 404
    assert client.post(base + "comment/", {"body": "let me in"}).status_code == 404
    assert client.post(base + "triage/", {"status": "triaged", "severity": "low",
                                          "payout_status": "none"}).status_code == 404
    assert client.post(base + "hall-of-fame/", {"show": "on"}).status_code == 404
    listing = client.get(LIST)
    if viewer is None:
        assert listing.status_code == 302 and "/accounts/login/" in listing["Location"]
    else:
        assert listing.status_code == 200
        assert "Secret finding" not in listing.content.decode()
    report.refresh_from_db()
    assert report.status == "new" and not report.comments.exists()
    assert client.get("/admin/programs/report/").status_code in (302, 404)


@pytest.mark.parametrize("who", ["reporter", "team"])
def test_the_reporter_and_the_team_see_everything(client, report_with_poc, who):
    report = report_with_poc
    client.force_login(_viewer(who, report))
    base = report.get_absolute_url()
    page = client.get(base).content.decode()
    assert "Secret finding" in page and "finding.pdf" in page
    assert ("Triage" in page) == (who == "team")
    download = client.get(base + "poc/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]
    assert "Secret finding" in client.get(LIST).content.decode()
    response = client.post(base + "comment/", {"body": "Any news?"})
    comment = ReportComment.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{comment.pk}")


def test_the_team_sees_every_report_in_the_list(client):
    mine, theirs = make_report(title="Mine"), make_report(title="Theirs")
    client.force_login(mine.reporter)
    page = client.get(LIST).content.decode()
    assert "Mine" in page and "Theirs" not in page
    client.force_login(make_security_member())
    page = client.get(LIST).content.decode()
    assert "Mine" in page and "Theirs" in page
    Report.objects.filter(pk=theirs.pk).update(status="triaged")
    page = client.get(LIST, {"status": "triaged"}).content.decode()
    assert "Theirs" in page and "Mine" not in page
    assert client.get(LIST, {"status": "bogus"}).status_code == 200


def test_the_reporter_cannot_triage(client):
    report = make_report()
    client.force_login(report.reporter)
    assert client.post(report.get_absolute_url() + "triage/", {
        "status": "rewarded", "severity": "critical", "reward_amount": "99999",
        "payout_status": "paid"}).status_code == 404
    report.refresh_from_db()
    assert report.status == "new" and report.reward_amount is None


def test_the_team_triages_on_the_page(client):
    report = make_report()
    client.force_login(make_security_member())
    url = report.get_absolute_url() + "triage/"
    refused = client.post(url, {"status": "rewarded", "severity": "high",
                                "payout_status": "none"})
    assert refused.status_code == 400 and "cannot become" in refused.content.decode()
    bad = client.post(url, {"status": "nonsense", "severity": "high", "payout_status": "none"})
    assert bad.status_code == 400
    assert client.post(url, {"status": "triaged", "severity": "critical",
                             "payout_status": "none"}).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.severity) == ("triaged", "critical")


def test_a_report_is_filed_with_a_proof_of_concept(user_client, user, settings):
    scoped = Asset.objects.create(name="okx.com", in_scope=True)
    Asset.objects.create(name="status page", in_scope=False)
    page = user_client.get(NEW).content.decode()
    assert "okx.com" in page and "status page" not in page
    response = user_client.post(NEW, {**FORM, "asset": str(scoped.pk), "asset_other": "",
                                      "poc": SimpleUploadedFile("poc.pdf", PDF)})
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.reporter == user and report.asset == scoped and report.hall_of_fame
    assert report.poc_name == "poc.pdf" and report.poc_content_type == "application/pdf"
    stored = settings.PRIVATE_MEDIA_ROOT / report.poc.name
    assert stored.read_bytes() == PDF
    assert not (settings.MEDIA_ROOT / report.poc.name).exists()


@pytest.mark.parametrize("changes, message", [
    ({"poc": SimpleUploadedFile("x.png", b"MZ\x90\x00binary")}, "Attach an image"),
    ({"asset": "other", "asset_other": ""}, "Describe the affected asset."),
    ({"asset": "12345"}, "Choose an asset from the list."),
    ({"severity": "apocalyptic"}, "Select a valid choice"),
    ({"title": ""}, "This field is required."),
])
def test_bad_reports_are_explained_and_nothing_stored(user_client, settings, changes, message):
    response = user_client.post(NEW, {**FORM, **changes})
    assert response.status_code == 400 and message in response.content.decode()
    assert not Report.objects.exists()
    private = settings.PRIVATE_MEDIA_ROOT
    assert not private.exists() or not any(path.is_file() for path in private.rglob("*"))


def test_report_submission_is_rate_limited(user_client):
    for _n in range(5):
        assert user_client.post(NEW, FORM).status_code == 302
    response = user_client.post(NEW, FORM)
    assert response.status_code == 429 and "Too many posts" in response.content.decode()
    assert Report.objects.count() == 5


def test_visitors_are_asked_to_log_in_to_report(client):
    response = client.get(NEW)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_scope_and_rules_page(client):
    Asset.objects.create(name="OKX app", in_scope=True, notes="iOS and Android")
    Asset.objects.create(name="Partner sites", in_scope=False)
    kim = UserFactory(display_name="Kim Do-yun")
    Report.objects.filter(pk=make_report(reporter=kim, hall_of_fame=True).pk).update(
        status="rewarded")
    page = client.get("/en/programs/security/").content.decode()
    assert "OKX app" in page and "Partner sites" in page and "Kim Do-yun" in page
    assert page.index("OKX app") < page.index("Out of scope") < page.index("Partner sites")
    assert "Test only against your own accounts" in page
    chinese = client.get("/zh-hans/programs/security/")
    assert chinese.status_code == 200  # the rules are translated, the assets stay as written
    assert "仅使用您自己的账户进行测试" in chinese.content.decode()
    assert "OKX app" in chinese.content.decode()


def test_the_pages_run_a_fixed_number_of_queries(client, django_assert_num_queries):
    member = make_security_member()
    report = make_report()
    client.force_login(member)
    for n in range(2):
        client.post(report.get_absolute_url() + "comment/", {"body": f"Comment {n}"})
    client.get(LIST)  # from then on the bell's unread count is cached
    # user, permissions (user, groups), the reports and their count (the session and unread
    # count come from the cache)
    with django_assert_num_queries(5):
        assert client.get(LIST).status_code == 200
    # user, permissions (user, groups), the report, the comments with their authors
    with django_assert_num_queries(5):
        assert client.get(report.get_absolute_url()).status_code == 200
    for n in range(5):
        make_report(title=f"Report {n}")
        client.post(report.get_absolute_url() + "comment/", {"body": f"More {n}"})
    with django_assert_num_queries(5):
        page = client.get(LIST).content.decode()
    assert page.count("<tr>") == 7  # header and six reports
    with django_assert_num_queries(5):
        page = client.get(report.get_absolute_url()).content.decode()
    assert page.count('class="comment ') == 7
    # user, the scope, the hall of fame
    with django_assert_num_queries(3):
        assert client.get("/en/programs/security/").status_code == 200


def test_comments_need_text_and_are_rate_limited(client):
    report = make_report()
    client.force_login(report.reporter)
    url = report.get_absolute_url() + "comment/"
    empty = client.post(url, {"body": "   "})
    assert empty.status_code == 400 and "Write something first." in empty.content.decode()
    for n in range(29):  # 30 posts an hour, the empty one included
        assert client.post(url, {"body": f"Detail {n}"}).status_code == 302
    limited = client.post(url, {"body": "One more"})
    assert limited.status_code == 429 and "Too many posts" in limited.content.decode()
    assert report.comments.count() == 29


def test_the_reporter_chooses_the_hall_of_fame(client):
    report = make_report(hall_of_fame=False)
    client.force_login(report.reporter)
    client.post(report.get_absolute_url() + "hall-of-fame/", {"show": "on"})
    report.refresh_from_db()
    assert report.hall_of_fame
    client.post(report.get_absolute_url() + "hall-of-fame/", {})
    report.refresh_from_db()
    assert not report.hall_of_fame


def test_the_team_s_list_is_paged_newest_first(client, monkeypatch):
    from programs import selectors

    monkeypatch.setattr(selectors, "REPORTS_PER_PAGE", 2)
    for n in range(3):
        make_report(title=f"Finding {n}")
    client.force_login(make_security_member())
    first = client.get(LIST).content.decode()
    assert "Finding 2" in first and "Finding 1" in first and "Finding 0" not in first
    assert "Page 1 of 2" in first
    second = client.get(LIST, {"page": 2}).content.decode()
    assert "Finding 0" in second and "Finding 2" not in second
    bad = client.get(LIST, {"page": "x9"})  # a bad page number shows the first page
    assert bad.status_code == 200 and "Finding 2" in bad.content.decode()
