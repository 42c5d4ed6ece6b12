"""Helpers for the browser (Playwright) test suite.

Import from tests as ``from tests.browser.helpers import save_screenshot``
(or ``from .helpers import save_screenshot`` inside this package).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page

#: Default Chromium binary (Debian's ``chromium`` package). Override with the
#: ``CHROMIUM_PATH`` environment variable.
DEFAULT_CHROMIUM_PATH = "/usr/bin/chromium"

#: Repository root (``tests/browser/helpers.py`` -> ``<root>``).
PROJECT_ROOT = Path(__file__).resolve().parents[2]

#: Where failure screenshots (and explicit ``save_screenshot`` calls) go.
SCREENSHOT_DIR = PROJECT_ROOT / "test-artifacts" / "screenshots"


def chromium_path() -> str:
    """Path of the Chromium executable the browser tests drive."""
    return os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM_PATH


def running_in_ci() -> bool:
    """True when the ``CI`` environment variable is set to a truthy value."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def safe_filename(name: str) -> str:
    """Turn a test name like ``test_x[a/b c]`` into a filesystem-safe stem."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("._")
    return cleaned or "screenshot"


def save_screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG screenshot of ``page`` as ``test-artifacts/screenshots/<name>.png``.

    ``name`` is sanitised for the filesystem; a trailing ``.png`` is optional.
    The directory is created if needed. Returns the path written.
    """
    if name.lower().endswith(".png"):
        name = name[:-4]
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{safe_filename(name)}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
