"""The bug bounty end to end: a researcher checks a suspicious account with the verify tool,
files a private report with a proof of concept, the security team triages it and asks a
question, the researcher reads it; a staff member outside the team finds nothing there."""

import pytest
from playwright.sync_api import Page, expect

from programs.models import Asset, Channel, Report
from tests.e2e.test_layout import log_in
from tests.factories import UserFactory
from tests.programs.conftest import make_security_member
from tests.programs.test_security import PDF

pytestmark = pytest.mark.e2e


@pytest.fixture
def scope(transactional_db):
    Channel.objects.create(language="en", platform="x", name="News", handle="@okx",
                           url="https://x.com/okx")
    return Asset.objects.create(name="okx.com", in_scope=True)


def test_a_report_reaches_the_team_and_nobody_else(page: Page, person_page, live_server,
                                                   scope, tmp_path):
    researcher = UserFactory(username="kim", display_name="Kim")
    member = make_security_member(username="ines", display_name="Inès")
    outsider = UserFactory(username="omar", is_staff=True)

    page.goto(f"{live_server.url}/en/programs/channels/")
    page.get_by_label("Handle or address").fill("https://x.com/okx_support")
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_test_id("verdict")).to_contain_text("is not an official OKX account")
    page.get_by_label("Handle or address").fill("X.com/OKX/")
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_test_id("verdict")).to_contain_text("is an official OKX account")

    log_in(page, live_server, researcher)
    page.goto(f"{live_server.url}/en/programs/security/")
    page.get_by_role("link", name="Report a vulnerability").first.click()
    page.get_by_label("Title").fill("Open redirect after login")
    page.get_by_label("Affected asset").select_option(label="okx.com")
    page.locator("#id_steps").fill("1. Open `/login?next=//evil.example`")
    page.get_by_label("Impact").fill("Phishing with our domain.")
    page.get_by_label("Severity (your estimate)").select_option("high")
    poc = tmp_path / "redirect.pdf"
    poc.write_bytes(PDF)
    page.get_by_label("Proof of concept (optional)").set_input_files(str(poc))
    page.get_by_role("button", name="Send the report").click()
    report = Report.objects.get()
    expect(page).to_have_url(f"{live_server.url}{report.get_absolute_url()}")
    expect(page.get_by_text("redirect.pdf")).to_be_visible()
    expect(page.get_by_test_id("report-status")).to_have_text("New")

    team = person_page("team")
    log_in(team, live_server, member)
    team.goto(f"{live_server.url}/en/programs/security/reports/")
    team.get_by_role("link", name="Open redirect after login").click()
    with team.expect_download() as download:
        team.get_by_role("link", name="redirect.pdf").click()
    assert download.value.path().read_bytes() == PDF
    team.get_by_label("Status").select_option("triaged")
    team.get_by_role("button", name="Update the report").click()
    expect(team.get_by_test_id("report-status")).to_have_text("Triaged")
    team.get_by_label("Comment").fill("Reproduced. Which browser did you use?")
    team.get_by_role("button", name="Comment", exact=True).click()
    expect(team.get_by_text("Reproduced. Which browser did you use?")).to_be_visible()

    page.reload()
    expect(page.get_by_test_id("report-status")).to_have_text("Triaged")
    expect(page.get_by_text("Reproduced. Which browser did you use?")).to_be_visible()
    expect(page.get_by_text("OKX security team")).to_be_visible()

    other = person_page("outsider")
    log_in(other, live_server, outsider)
    response = other.goto(f"{live_server.url}{report.get_absolute_url()}")
    assert response.status == 404
    other.goto(f"{live_server.url}/en/programs/security/reports/")
    expect(other.get_by_text("Open redirect after login")).to_have_count(0)
    assert page.js_errors == [] and team.js_errors == []
