"""
Reading the environment, for fitness/settings.py: one small reader per kind of value.

Each reader takes the variable's name and a default for when it is missing or blank (env_str
and env_list: missing only). The comments app's settings are read with `env_if_set`, which
leaves a name None when the environment gives it nothing: comments.conf then reads the app's
own default, written once there.
"""

import os

from django.core.exceptions import ImproperlyConfigured


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default=None):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_float(name, default=None):
    value = os.environ.get(name, "").strip()
    return float(value) if value else default


def env_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_url(name, default=""):
    return env_str(name, default).rstrip("/")


def env_if_set(name, read):
    """`read(name)` when the environment gives `name` a value (not blank), else None."""
    return read(name) if env_str(name).strip() else None


def env_secret_key(name, *, debug):
    """The signing key; with DEBUG off a missing one stops start-up (reply-email stop links
    are signed with it), with DEBUG on a fixed development key stands in."""
    value = env_str(name)
    if value:
        return value
    if not debug:
        raise ImproperlyConfigured(
            f"{name} is not set. With DEBUG off Fitness refuses to start without it: "
            f"set {name} to a long random string (for example the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`), "
            "or DEBUG=1 on a developer's machine."
        )
    return "django-insecure-development-only-key-never-use-in-production"


# --- Readers that check what they read (the comments app's settings) ---------------------------


def env_seconds_list(name):
    return [int(seconds) for seconds in env_list(name)]


def env_moderator_notices(name):
    value = env_str(name).strip()
    if value not in {"each", "digest", "off"}:
        raise ImproperlyConfigured(f"{name} must be each, digest or off, not {value!r}.")
    return value


def env_personal_data_days(name):
    # A recheck needs the IP: keep this above AKISMET_RECHECK_GIVE_UP_DAYS.
    days = env_int(name)
    if days < 1:
        raise ImproperlyConfigured(f"{name} must be at least 1, not {days}.")
    return days


def env_ipv6_prefix(name):
    bits = env_int(name)
    if not 1 <= bits <= 128:
        raise ImproperlyConfigured(f"{name} must be between 1 and 128, not {bits}.")
    return bits


def env_banned_action(name):
    value = env_str(name).strip()
    if value not in {"refuse", "hold"}:
        raise ImproperlyConfigured(f"{name} must be refuse or hold, not {value!r}.")
    return value
