"""
Content-Security-Policy and Permissions-Policy on every response.

The policy forbids inline script and inline style: every script lives in `static/js/`, every
style in `static/css/`. The only exception is the `style="text-align:..."` attribute that
Markdown tables put on aligned cells; those three exact values are allowed by hash
('unsafe-hashes'), so nothing else inline can run or style the page.
"""

import base64
import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.storage import default_storage

# The video players an article may show once its reader clicks (fitness.articles.body_media's
# VIDEO_HOSTS, static/js/video-embeds.js): the CSP's frame-src, and nothing else may be framed.
VIDEO_FRAME_SOURCES = ["https://www.youtube-nocookie.com", "https://player.vimeo.com"]

# What Markdown's table extension writes for aligned columns (kept by fitness.articles.markdown).
ALLOWED_STYLE_ATTRIBUTES = ("text-align:left", "text-align:center", "text-align:right")


def _hash_source(text):
    digest = hashlib.sha256(text.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def media_origin():
    """The scheme and host media files are served from when that is not this site (S3
    storage, MEDIA_S3_CUSTOM_DOMAIN, an absolute MEDIA_URL), else None."""
    parts = urlsplit(default_storage.url("probe"))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def image_sources():
    """The CSP's img-src: the site, data: URLs, the media storage's host and CSP_IMG_SRC
    (fitness.articles.markdown asks it whether an image in an article can be shown)."""
    sources = ["'self'", "data:", media_origin(), *settings.CSP_IMG_SRC]
    return list(dict.fromkeys(source for source in sources if source))


def build_policy():
    """The CSP header value, from settings (read once per process)."""
    img_src = image_sources()
    style_src = ["'self'", "'unsafe-hashes'", *map(_hash_source, ALLOWED_STYLE_ATTRIBUTES)]
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": style_src,
        "img-src": img_src,
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": VIDEO_FRAME_SOURCES,
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
    if settings.CSP_REPORT_URI:
        directives["report-uri"] = [settings.CSP_REPORT_URI]
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "browsing-topics",
    )
)


class SecurityHeadersMiddleware:
    """Adds Content-Security-Policy and Permissions-Policy unless a view set its own."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = (
            "Content-Security-Policy-Report-Only" if settings.CSP_REPORT_ONLY else
            "Content-Security-Policy"
        )  # fmt: skip
        self.policy = build_policy()

    def __call__(self, request):
        response = self.get_response(request)
        # Django's technical error pages (DEBUG only) are styled inline; let developers read them.
        if settings.DEBUG and response.status_code >= 400:
            return response
        response.headers.setdefault(self.header, self.policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
