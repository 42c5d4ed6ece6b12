"""System checks: the owner learns at start-up that Akismet is off, and `check --deploy`
verifies the key (the only place besides `manage.py akismet_status` that calls Akismet)."""

import akismet as akismet_library
from django.core.checks import Error, Warning, register

from comments.conf import settings
from comments.screening import akismet


@register("comments")
def akismet_configured(app_configs=None, **kwargs):
    if akismet.is_configured():
        if not settings.AKISMET_SITE_URL.startswith(("http://", "https://")):
            return [
                Error(
                    f"AKISMET_SITE_URL must start with http:// or https://, "
                    f"not {settings.AKISMET_SITE_URL!r}.",
                    id="comments.E002",
                )
            ]
        return []
    return [
        Warning(
            akismet.OFF_WARNING,
            hint="Set AKISMET_API_KEY (and AKISMET_SITE_URL if it differs from SITE_URL).",
            id="comments.W001",
        )
    ]


@register("comments", deploy=True)
def akismet_key_valid(app_configs=None, **kwargs):
    if not akismet.is_configured():
        return []
    try:
        valid = akismet.get_client().verify_key()
    except akismet_library.AkismetError as exc:
        return [
            Warning(
                f"Akismet could not be reached to verify the key: {exc}",
                hint="Comments are held unchecked while Akismet is unreachable.",
                id="comments.W002",
            )
        ]
    if valid:
        return []
    return [
        Error(
            "Akismet rejected AKISMET_API_KEY for AKISMET_SITE_URL.",
            hint="Check the key and the site URL; comments are held unchecked meanwhile.",
            id="comments.E001",
        )
    ]
