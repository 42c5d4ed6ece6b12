import socket

import pytest
from django.core.cache import cache

from fitness.accounts import limits


@pytest.fixture(autouse=True)
def _fresh_limits():
    """Each test counts its own reset requests."""
    cache.clear()
    limits._local.clear()
    yield
    cache.clear()


@pytest.fixture
def mail_server_down(settings):
    """SMTP to a port on this machine where nothing listens: connecting is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_TIMEOUT = 2
    return settings
