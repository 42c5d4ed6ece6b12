"""Browser test harness: Playwright (sync API) driving Debian's Chromium.

* Every test under ``tests/browser/`` is marked ``browser`` automatically.
* Chromium is expected at ``/usr/bin/chromium`` (override: ``CHROMIUM_PATH``).
  If it is missing the tests are skipped locally, but fail when ``CI=true``.
* Fixtures: ``browser`` (session), ``page`` (1280x900), ``phone_page``
  (390x844, mobile + touch), ``new_context`` (factory for extra isolated
  contexts, e.g. a "fresh browser" without cookies) and ``demo_article`` (the
  demo site loaded, its seed article returned).
* When a test fails, a full-page PNG of every page it had open is written to
  ``test-artifacts/screenshots/<test-name>.png``.

Use together with pytest-django's ``live_server`` fixture::

    def test_home(live_server, page):
        page.goto(live_server.url + "/")
"""

from __future__ import annotations

import contextlib
import os

# Playwright's sync API runs an asyncio event loop in the test thread, which
# makes Django refuse ORM access from tests (SynchronousOnlyOperation). This is
# the documented pytest-django + Playwright workaround; it must be set before
# any test touches the database.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.helpers import chromium_path, running_in_ci, safe_filename, save_screenshot

BROWSER_DIR = Path(__file__).resolve().parent

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

DESKTOP_VIEWPORT = {"width": 1280, "height": 900}
PHONE_VIEWPORT = {"width": 390, "height": 844}

#: Default timeout (ms) for Playwright actions/navigation in browser tests.
DEFAULT_TIMEOUT_MS = 10_000

#: The seed article of ``manage.py load_demo`` (20 comments, threads to reply to).
DEMO_SLUG = "why-do-muscles-twitch-after-a-workout"


# --------------------------------------------------------------------------
# Hooks
# --------------------------------------------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "browser: end-to-end test driving headless Chromium via Playwright "
        "(everything under tests/browser/; deselect with -m 'not browser')",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # This hook sees every collected item, not only ours: filter by path.
    for item in items:
        if Path(item.path).resolve().is_relative_to(BROWSER_DIR):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    outcome = yield
    report = outcome.get_result()
    # Exposes item.rep_setup / item.rep_call / item.rep_teardown.
    setattr(item, f"rep_{report.when}", report)


def _test_failed(item: pytest.Item) -> bool:
    for when in ("setup", "call"):
        report = getattr(item, f"rep_{when}", None)
        if report is not None and report.failed:
            return True
    return False


# --------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Session-wide headless Chromium (``playwright.sync_api.Browser``)."""
    executable = chromium_path()
    if not (os.path.isfile(executable) and os.access(executable, os.X_OK)):
        reason = f"Chromium not found at {executable}: apt-get install -y chromium"
        if running_in_ci():
            pytest.fail(f"{reason} (CI=true: browser tests must not be skipped)")
        pytest.skip(reason)

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=CHROMIUM_ARGS,
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def _browser_contexts(request: pytest.FixtureRequest, browser: Any) -> Iterator[list[Any]]:
    """Owns every context opened by a test; screenshots on failure, then closes.

    ``page``, ``phone_page`` and ``new_context`` register their contexts here
    and do not close them themselves, so that on failure all pages are still
    open when the screenshots are taken.
    """
    contexts: list[Any] = []
    yield contexts

    if _test_failed(request.node):
        stem = safe_filename(request.node.name)
        pages = [p for ctx in contexts for p in ctx.pages if not p.is_closed()]
        for index, open_page in enumerate(pages, start=1):
            name = stem if index == 1 else f"{stem}-{index}"
            try:
                path = save_screenshot(open_page, name)
            except Exception as exc:  # never mask the real failure
                print(f"[browser] could not screenshot page {index}: {exc!r}")
            else:
                print(f"[browser] failure screenshot: {path}")

    for ctx in reversed(contexts):
        with contextlib.suppress(Exception):
            ctx.close()


@pytest.fixture
def new_context(browser: Any, _browser_contexts: list[Any]) -> Callable[..., Any]:
    """Factory opening an extra isolated ``BrowserContext`` (no shared cookies).

    Keyword arguments go to ``browser.new_context``; the viewport defaults to
    1280x900. Contexts are closed automatically after the test::

        fresh = new_context().new_page()
    """

    def _new_context(**kwargs: Any) -> Any:
        kwargs.setdefault("viewport", dict(DESKTOP_VIEWPORT))
        ctx = browser.new_context(**kwargs)
        ctx.set_default_timeout(DEFAULT_TIMEOUT_MS)
        _browser_contexts.append(ctx)
        return ctx

    return _new_context


@pytest.fixture
def page(new_context: Callable[..., Any]) -> Any:
    """A page in a fresh desktop context (viewport 1280x900) for each test."""
    return new_context(viewport=dict(DESKTOP_VIEWPORT)).new_page()


@pytest.fixture
def demo_article(settings):
    """The demo site (``manage.py load_demo``) and its seed article, with comments open to a
    test that types faster than people do: no minimum time before a post, no flood window."""
    from django.core.management import call_command

    from fitness.articles.models import Article

    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    settings.COMMENTS_FLOOD_SECONDS = 0
    call_command("load_demo", stdout=None)
    return Article.objects.get(slug=DEMO_SLUG)


@pytest.fixture
def phone_page(new_context: Callable[..., Any]) -> Any:
    """A page in a fresh phone-sized context (390x844, is_mobile, has_touch)."""
    ctx = new_context(
        viewport=dict(PHONE_VIEWPORT),
        is_mobile=True,
        has_touch=True,
    )
    return ctx.new_page()
