"""A newcomer's first visit, end to end: sign up, verify the email, log out and in again,
switch to Chinese and log out, all in a real browser against the live server."""

import gettext
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import Page, expect

from accounts.models import User

pytestmark = pytest.mark.e2e

EMAIL = "new.trader@example.com"
USERNAME = "new_trader"
PASSWORD = "vivid-Orbit-ledger-42"
CJK = re.compile(r"[\u4e00-\u9fff]")
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")
ZH_CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo"


def zh(message: str) -> str:
    """``message`` in Simplified Chinese as the live server renders it.

    The project's compiled catalogue (``make messages``) wins; it is read directly so the test
    states which string it expects. Without it (or without that entry) the server falls back to
    the catalogues Django and allauth ship, and so does this (same process, same catalogues)."""
    with translation.override("zh-hans"):
        rendered = translation.gettext(message)
    if ZH_CATALOGUE.exists():
        with ZH_CATALOGUE.open("rb") as mo:
            ours = gettext.GNUTranslations(mo).gettext(message)
        if ours != message:
            assert rendered == ours, f"{ZH_CATALOGUE} says {ours!r} but Django renders {rendered!r}"
            return ours
    return rendered


def field(page: Page, label: str):
    """A form field by its visible label (Django's ``label_tag`` adds a colon)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def account_menu(page: Page):
    return page.locator("header details.account-menu")


def open_account_menu(page: Page):
    """Open the header's account menu (a <details>) unless it is open already."""
    menu = account_menu(page)
    if menu.get_attribute("open") is None:
        menu.locator("summary").click()
    expect(menu).to_have_attribute("open", "")
    return menu


def log_out(page: Page, button_name: str) -> None:
    """Press Log out in the account menu, and get through allauth's confirm page if shown."""
    open_account_menu(page).get_by_role("button", name=button_name).click()
    logged_out = page.get_by_role("banner").locator("a[href$='/accounts/login/']")
    confirm_page = page.locator("main form[action$='/accounts/logout/']")
    expect(logged_out.or_(confirm_page)).to_be_visible()
    if confirm_page.count():
        confirm_page.get_by_role("button").click()
    expect(logged_out).to_be_visible()
    expect(account_menu(page)).to_have_count(0)


def test_signup_verify_login_switch_to_chinese_and_logout(page: Page, live_server, mailoutbox):
    # Home page, in English for an en-US browser.
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/en/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    header = page.get_by_role("banner")

    # Sign up.
    header.get_by_role("link", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/en/accounts/signup/$"))
    field(page, "Email").fill(EMAIL)
    field(page, "Username").fill(USERNAME)
    # The password rules are announced with the password field, not left floating after it.
    expect(field(page, "Password")).to_have_accessible_description(
        re.compile("at least 8 characters")
    )
    field(page, "Password").fill(PASSWORD)
    field(page, "Password (again)").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign up").click()

    # Told to verify the email; not logged in yet.
    expect(page).to_have_url(re.compile(r"/en/accounts/confirm-email/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("verify", re.I))
    expect(account_menu(page)).to_have_count(0)
    user = User.objects.get(username=USERNAME)
    assert user.email == EMAIL
    assert user.language == "en"

    # The confirmation email, straight from the in-process locmem outbox.
    assert len(mailoutbox) == 1, [m.subject for m in mailoutbox]
    message = mailoutbox[0]
    assert message.to == [EMAIL]
    match = CONFIRM_LINK.search(message.body)
    assert match, message.body
    link = urlsplit(match.group(0))
    page.goto(live_server.url + link.path)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Confirm")
    expect(page.locator("main")).to_contain_text(EMAIL)
    page.locator("main").get_by_role("button", name="Confirm").click()

    # Confirming logs the new user in: the header shows their menu and profile link.
    expect(account_menu(page)).to_be_visible()
    expect(header.get_by_role("link", name="Log in")).to_have_count(0)
    expect(account_menu(page).locator(".avatar")).to_be_visible()
    assert user.emailaddress_set.get(email=EMAIL).verified
    profile_link = open_account_menu(page).get_by_role("link", name="My profile")
    expect(profile_link).to_be_visible()
    expect(profile_link).to_have_attribute("href", f"/en/u/{USERNAME}/")

    # Log out, then log in again with email and password.
    log_out(page, "Log out")
    expect(header.get_by_role("link", name="Log in")).to_be_visible()
    header.get_by_role("link", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/en/accounts/login/$"))
    field(page, "Email").fill(EMAIL)
    field(page, "Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name=re.compile("^(Sign|Log) in$", re.I)).click()
    expect(account_menu(page)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/en/$"))

    # Switch to Chinese with the header's language switch.
    header.locator("form.language-switch").get_by_role("button", name="中文").click()
    expect(page).to_have_url(re.compile(r"/zh-hans/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    # The language switch now offers English, and the header speaks Chinese.
    expect(header.locator("form.language-switch").get_by_role("button")).to_have_text("English")
    log_out_zh = zh("Log out")
    assert CJK.search(log_out_zh), f"no Chinese for 'Log out' (is {ZH_CATALOGUE} compiled?)"
    expect(open_account_menu(page).get_by_role("button", name=log_out_zh)).to_be_visible()
    user.refresh_from_db()
    assert user.language == "zh-hans", "a signed-in user's language switch is remembered"

    # Log out in Chinese: still Chinese afterwards, with the Log in link back.
    log_out(page, log_out_zh)
    expect(page).to_have_url(re.compile(r"/zh-hans/"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    log_in_zh = zh("Log in")
    assert CJK.search(log_in_zh)
    expect(header.get_by_role("link", name=log_in_zh)).to_be_visible()
    expect(header.get_by_role("link", name=zh("Sign up"))).to_be_visible()
    assert page.js_errors == []
