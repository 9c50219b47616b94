"""Keyboard access, the narrow (phone) layout, and reference screenshots of the main pages in
light and dark mode (written to test-results/ on every run, for people to look at)."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import RESULTS
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 740}
# Everything in the header a keyboard user can reach, in document (= tab) order.
MARK_HEADER_TAB_STOPS = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
  const stops = [...document.querySelectorAll('header.site-header ' + selector)]
    .filter(el => el.tabIndex >= 0 && !el.disabled && el.checkVisibility());
  stops.forEach((el, i) => el.dataset.tabStop = i);
  return stops.map(el => el.getAttribute('aria-label') || el.textContent.trim() || el.id);
}"""


def active(page: Page) -> dict:
    return page.evaluate("""() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      return {tag: el.tagName.toLowerCase(), id: el.id, cls: el.className,
              stop: el.dataset.tabStop, outline: style.outlineStyle,
              text: el.textContent.trim()};
    }""")


def horizontal_overflow(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def log_in(page: Page, live_server, user) -> None:
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form").get_by_role("button").click()
    expect(page.locator("details.account-menu")).to_be_visible()


def test_keyboard_reaches_skip_link_then_header_navigation(page: Page, live_server):
    page.goto(f"{live_server.url}/en/")
    stops = page.evaluate(MARK_HEADER_TAB_STOPS)
    assert "中文" in stops and "Log in" in stops and "Sign up" in stops, stops

    # The first Tab lands on the skip link, which becomes visible and shows focus.
    page.keyboard.press("Tab")
    focused = active(page)
    assert "skip-link" in focused["cls"], focused
    assert focused["outline"] != "none"
    skip = page.locator("a.skip-link")
    expect(skip).to_be_in_viewport()
    expect(skip).to_have_text("Skip to content")

    # Every further Tab walks the header in order, each stop with a visible focus ring.
    for expected in range(len(stops)):
        page.keyboard.press("Tab")
        focused = active(page)
        assert focused["stop"] == str(expected), (stops[expected], focused)
        assert focused["outline"] != "none", focused

    # The skip link moves focus past the header to the main content.
    page.goto(f"{live_server.url}/en/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("main").get_by_role("link", name="Join the community")).to_be_focused()
    assert page.js_errors == []


def test_phone_width_layout_and_keyboard_menu(page: Page, live_server):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/en/")
    header = page.get_by_role("banner")
    toggle_label = header.locator("label.nav-toggle-label")
    expect(toggle_label).to_be_visible()
    expect(header.get_by_role("link", name="Sign up")).to_be_in_viewport()
    expect(header.get_by_role("link", name="Log in")).to_be_in_viewport()
    expect(page.get_by_role("heading", level=1)).to_be_in_viewport()
    assert horizontal_overflow(page) <= 0

    # The menu toggle works by pointer...
    nav = header.locator("nav.main-nav")
    expect(nav).to_be_hidden()
    toggle_label.click()
    expect(nav).to_be_visible()
    toggle_label.click()
    expect(nav).to_be_hidden()

    # ...and by keyboard: it is a tab stop, and Space opens the menu.
    page.evaluate(MARK_HEADER_TAB_STOPS)
    page.locator("a.skip-link").focus()
    for _ in range(5):
        page.keyboard.press("Tab")
        if active(page)["id"] == "nav-toggle":
            break
    else:
        pytest.fail("the menu toggle is not reachable by keyboard at phone width")
    assert page.evaluate(
        "getComputedStyle(document.querySelector('.nav-toggle-label')).outlineStyle"
    ) != "none", "the focused menu toggle shows no focus ring"
    page.keyboard.press("Space")
    expect(nav).to_be_visible()
    assert horizontal_overflow(page) <= 0
    assert page.js_errors == []


def test_phone_width_account_menu_fits(page: Page, live_server):
    user = UserFactory()
    page.set_viewport_size(PHONE)
    log_in(page, live_server, user)
    menu = page.locator("details.account-menu")
    menu.locator("summary").click()
    dropdown = menu.locator("ul")
    expect(dropdown).to_be_visible()
    box = dropdown.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    expect(dropdown.get_by_role("link", name="My profile")).to_be_in_viewport()
    assert horizontal_overflow(page) <= 0
    page.keyboard.press("Escape")
    expect(dropdown).to_be_hidden()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["/en/", "/en/accounts/signup/", "/en/accounts/login/",
                                  "/zh-hans/"])
def test_pages_render_in_light_and_dark(page: Page, live_server, scheme, path):
    page.emulate_media(color_scheme=scheme)
    for width, label in ((1280, "desktop"), (PHONE["width"], "phone")):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(live_server.url + path)
        name = path.strip("/").replace("/", "-") or "root"
        page.screenshot(path=RESULTS / f"{name}-{label}-{scheme}.png", full_page=True)
        # The page follows the colour scheme: a dark background in dark mode, light otherwise.
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        brightness = sum(int(c) for c in re.findall(r"\d+", background)[:3]) / 3
        assert (brightness < 64) if scheme == "dark" else (brightness > 192), background
        assert horizontal_overflow(page) <= 0, f"{path} scrolls sideways at {width}px"
    assert page.js_errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_signed_in_header_light_and_dark(page: Page, live_server, scheme):
    """The signed-in header (language switch, bell, avatar menu) at desktop and phone width."""
    page.emulate_media(color_scheme=scheme)
    log_in(page, live_server, UserFactory(display_name="Ada Lovelace"))
    for width, label in ((1280, "desktop"), (PHONE["width"], "phone")):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{live_server.url}/en/")
        menu = page.locator("details.account-menu")
        menu.locator("summary").click()
        dropdown = menu.locator("ul")
        expect(dropdown).to_be_visible()
        box = dropdown.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (label, box)
        expect(page.get_by_role("banner").get_by_role("link", name="Notifications")).to_be_visible()
        page.screenshot(path=RESULTS / f"signed-in-{label}-{scheme}.png")
        assert horizontal_overflow(page) <= 0
    assert page.js_errors == []
