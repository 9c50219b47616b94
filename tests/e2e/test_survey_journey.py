"""A survey end to end: a member answers the mobile-app survey in Chinese (a follow-up
question appears when they say the app crashed), then staff see the answer in the results'
charts and download it in the CSV export."""

import csv
import re

import pytest
from playwright.sync_api import Page, expect

from surveys.models import Response
from tests.e2e.test_layout import log_in
from tests.factories import UserFactory
from tests.surveys.conftest import make_survey, question

pytestmark = pytest.mark.e2e


@pytest.fixture
def survey(transactional_db):
    return make_survey()


def test_a_member_answers_in_chinese_and_staff_see_it(page: Page, person_page, live_server,
                                                      survey, tmp_path):
    member = UserFactory(username="xiaoming", display_name="小明")
    staff = UserFactory(username="analyst", is_staff=True)

    log_in(page, live_server, member)
    page.goto(f"{live_server.url}/zh-hans/surveys/mobile-app/")
    expect(page.get_by_role("heading", level=1)).to_have_text("移动应用调查")
    box = {n: page.locator(f"#question-{question(survey, n).pk}") for n in range(1, 9)}
    progress = page.locator("[data-survey-progress]")
    expect(progress.locator("[data-total]")).to_have_text("7")

    box[1].get_by_role("radio", name="9", exact=True).check()
    box[2].get_by_role("radio", name="5", exact=True).check()
    box[3].get_by_role("radio", name="苹果手机").check()
    box[4].get_by_role("checkbox", name="现货").check()
    expect(progress.locator("[data-answered]")).to_have_text("4")

    # The crash question appears only after "是" (yes), and counts in the progress then.
    expect(box[6]).to_be_hidden()
    box[5].get_by_role("radio", name="是").check()
    expect(box[6]).to_be_visible()
    expect(progress.locator("[data-total]")).to_have_text("8")
    box[6].locator("textarea").fill("打开合约行情时闪退")
    box[5].get_by_role("radio", name="否").check()
    expect(box[6]).to_be_hidden()
    box[5].get_by_role("radio", name="是").check()
    expect(box[6].locator("textarea")).to_have_value("打开合约行情时闪退")
    box[7].get_by_role("radio", name="速度: 4").check()

    page.locator(".survey-actions button:not([name])").click()
    expect(page).to_have_url(f"{live_server.url}/zh-hans/surveys/mobile-app/thanks/")
    response = Response.objects.get()
    assert response.user == member and response.language == "zh-hans"
    assert page.js_errors == []

    # Staff read the answer in the charts...
    desk = person_page("staff")
    log_in(desk, live_server, staff)
    desk.goto(f"{live_server.url}/en/surveys/mobile-app/results/")
    expect(desk.get_by_test_id("responses")).to_have_text("1")
    expect(desk.get_by_test_id(f"nps-{question(survey, 1).pk}")).to_have_text("100")
    phone = desk.locator(f"#result-{question(survey, 3).pk}")
    expect(phone.locator("svg title")).to_have_text("Which phone do you use?")
    iphone = phone.locator("g.report-bar", has_text="iPhone")
    expect(iphone.locator(".report-value")).to_have_text("1 (100.0%)")
    expect(desk.locator(".survey-text-list")).to_contain_text("打开合约行情时闪退")

    # ... and in the export.
    with desk.expect_download() as download:
        desk.get_by_role("link", name="Export CSV").click()
    path = tmp_path / "export.csv"
    download.value.save_as(path)
    assert re.fullmatch(r"survey-mobile-app-\d{8}-\d{4}\.csv", download.value.suggested_filename)
    header, row = list(csv.reader(path.open(encoding="utf-8-sig")))
    answers = dict(zip(header, row, strict=True))
    assert answers["language"] == "zh-hans" and answers["user"] == "xiaoming"
    assert answers["Q1. How likely are you to recommend the OKX app?"] == "9"
    assert answers["Q3. Which phone do you use?"] == "iPhone"
    assert answers["Q5. Did the app crash last month?"] == "Yes"
    assert answers["Q6. What were you doing when it crashed?"] == "打开合约行情时闪退"
    assert answers["Q7. Rate these parts of the app — Speed"] == "4"
    assert desk.js_errors == []
