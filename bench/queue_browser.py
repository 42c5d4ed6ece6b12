"""
The moderator's Chromium for bench/moderation_flow.py (Playwright): a page logged in to the
admin's queue, and a wait on the queue script's signals that the admin's CSP allows.
"""

import contextlib
import os
import time

PASSWORD = "bench-password-not-secret"  # the bench's moderator's (moderation_flow.moderator)


@contextlib.contextmanager
def queue_page(base, user):
    """Chromium (CHROMIUM_PATH, else /usr/bin/chromium) on the queue at `base`, logged in as
    `user`; closed when the block ends."""
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        log_in(page, base, user)
        yield page
        browser.close()


def log_in(page, base, user):
    page.goto(f"{base}/admin/login/?next=/admin/comments/comment/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_selector("#result_list .queue-comment")


def wait_until(page, condition, timeout=10.0):
    """Poll `condition` in the page (wait_for_function needs eval, which our CSP forbids)."""
    deadline = time.perf_counter() + timeout
    while not page.evaluate(f"() => {condition}"):
        if time.perf_counter() > deadline:
            raise TimeoutError(condition)
        time.sleep(0.002)
