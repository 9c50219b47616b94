"""Browser fixtures: headless Chromium driven by Playwright against pytest-django's live_server.

Chromium comes from the system (``apt-get install chromium``) and is always launched by path:
``playwright install`` is never needed. Without Chromium the tests skip; ``TEST_REQUIRE=chromium``
turns the skip into a failure. A failing test leaves a screenshot and the page's HTML in
``test-results/``.
"""

import os
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.conftest import CHROMIUM, ROOT, require

RESULTS = ROOT / "test-results"
TIMEOUT_MS = 10_000
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """The session-scoped twin of ``tests.conftest.chromium_path`` (the browser outlives tests)."""
    require("chromium", bool(CHROMIUM), "needs Chromium: apt-get install chromium")
    return CHROMIUM


@pytest.fixture(scope="session")
def playwright_sync(chromium_path):
    """Playwright, for as long as the browser tests run.

    Its sync API keeps a running event loop in this thread, and Django refuses ORM calls (the
    tests' own, and the database flush after each test) from a thread with a running loop, so
    DJANGO_ALLOW_ASYNC_UNSAFE is set while Playwright runs, and only then: set for the whole
    session it would leak into subprocesses (``manage.py check --deploy`` rejects it, and the
    Celery worker fixture copies the environment)."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            yield playwright
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(playwright_sync, chromium_path):
    browser = playwright_sync.chromium.launch(
        executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the browser tests last. While Playwright's sync API is running (the browser is
    session-scoped) its event loop is the "running loop" of the main thread, so asgiref's
    ``async_to_sync`` (Django's test client on async views, among others) would refuse to run in
    any test that came after them. pytest-django has already ordered the rest."""
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def artefact_path(nodeid: str, suffix: str):
    RESULTS.mkdir(exist_ok=True)
    return RESULTS / (re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_") + suffix)


def new_context(browser, *, locale: str = "en-US"):
    """A browser context of its own (no cookies shared), with the tests' timeouts."""
    context = browser.new_context(
        locale=locale, viewport={"width": 1280, "height": 800}, color_scheme="light",
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context


def watched_page(context):
    """A new page of ``context`` recording its JavaScript errors in ``page.js_errors``."""
    expect.set_options(timeout=TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    return page


def save_failure_artefacts(request, page, *, name: str = "") -> None:
    """After a failed test, ``page``'s screenshot and HTML in ``test-results/``."""
    report = getattr(request.node, "rep_call", None)
    if report is None or not report.failed or page.is_closed():
        return
    stem = request.node.nodeid + (f"-{name}" if name else "")
    try:
        page.screenshot(path=artefact_path(stem, ".png"), full_page=True)
        artefact_path(stem, ".html").write_text(page.content())
    except Exception as exc:  # never hide the test's own failure
        print(f"could not save failure artefacts: {exc}")


@pytest.fixture
def context(browser):
    context = new_context(browser)
    yield context
    context.close()


@pytest.fixture
def page(context, request, live_server) -> Iterator:
    """A fresh page in a fresh browser context (no cookies carried over), against live_server.

    Failing tests leave ``test-results/<test>.png`` and ``.html`` behind."""
    page = watched_page(context)
    yield page
    save_failure_artefacts(request, page)
    page.close()


@pytest.fixture
def person_page(browser, request, live_server):
    """``person_page(name, locale="en-US")``: a page in a browser context of its own, for each
    person of a test where several act at once (a customer and the agent answering them).
    All are closed at the end; a failing test leaves ``test-results/<test>-<name>.png`` and
    ``.html`` for each."""
    opened = []

    def open_page(name: str, *, locale: str = "en-US"):
        page = watched_page(new_context(browser, locale=locale))
        opened.append((name, page))
        return page

    yield open_page
    for name, page in opened:
        save_failure_artefacts(request, page, name=name)
        page.context.close()
