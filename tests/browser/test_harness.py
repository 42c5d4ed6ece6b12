"""Self-check of the browser harness; needs Chromium but not Django."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import SCREENSHOT_DIR, save_screenshot

HTML = b"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Harness self-check</title></head>
<body><h1>Browser harness OK</h1>
<script>document.cookie = "visited=1; path=/";</script></body>
</html>
"""


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(HTML)))
        self.end_headers()
        self.wfile.write(HTML)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def static_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_page_shows_text_and_screenshot_helper_writes_png(page, static_url):
    page.goto(static_url)
    expect(page.get_by_role("heading", name="Browser harness OK")).to_be_visible()
    assert page.viewport_size == {"width": 1280, "height": 900}

    path = save_screenshot(page, "harness-selfcheck")
    assert path == SCREENSHOT_DIR / "harness-selfcheck.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_phone_page_and_fresh_context(page, phone_page, new_context, static_url):
    phone_page.goto(static_url)
    expect(phone_page.get_by_text("Browser harness OK")).to_be_visible()
    assert phone_page.evaluate("window.innerWidth") == 390
    assert phone_page.evaluate("'ontouchstart' in window")

    page.goto(static_url)
    assert [c["name"] for c in page.context.cookies()] == ["visited"]
    fresh = new_context()  # a "fresh browser": isolated, no cookies
    assert fresh.cookies() == []
    assert fresh is not page.context


def test_marked_browser(request):
    assert request.node.get_closest_marker("browser") is not None
