"""Screenshots of the pages readers see most, at a phone's and a laptop's width, for docs/.

    python tools/screenshots.py http://127.0.0.1:8190   # SCREENSHOTS=1 bench/lighthouse.sh

Writes docs/screenshots/{home,article,category}-{390,1280}.png with Debian's Chromium.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

PAGES = {
    "home": "/",
    "article": "/articles/why-do-muscles-twitch-after-a-workout/",
    "category": "/category/fitness/",
}
WIDTHS = {390: 844, 1280: 900}
OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def main(base):
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        for width, height in WIDTHS.items():
            context = browser.new_context(
                viewport={"width": width, "height": height}, is_mobile=width < 600
            )
            page = context.new_page()
            for name, path in PAGES.items():
                page.goto(base + path)
                page.evaluate(
                    "() => Promise.all([...document.images].map(i => i.decode().catch(() => 0)))"
                )
                target = OUT / f"{name}-{width}.png"
                page.screenshot(path=target, full_page=True)
                print(target.relative_to(OUT.parents[1]))
            context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"))
