"""Fixtures for screening and Akismet: the project's own emulator on 127.0.0.1, driven by the
real akismet client over real HTTP. Nothing here reaches the real Akismet."""

import socket

import pytest

from tools.akismet_emulator import AkismetEmulator

TEST_KEY = "fitness-test-key"
SITE_URL = "http://fitness.example"


@pytest.fixture(scope="session")
def _running_emulator():
    emulator = AkismetEmulator().start()
    yield emulator
    emulator.stop()


@pytest.fixture
def akismet_settings(settings):
    """Akismet configured (the URL is set by `akismet_emulator`, or by the test)."""
    settings.SITE_URL = SITE_URL
    settings.AKISMET_API_KEY = TEST_KEY
    settings.AKISMET_SITE_URL = SITE_URL
    settings.AKISMET_TIMEOUT = 0.5
    settings.AKISMET_IS_TEST = True
    return settings


@pytest.fixture
def akismet_emulator(_running_emulator, akismet_settings):
    """A started emulator, reset for this test, with the settings pointed at it."""
    _running_emulator.reset()
    akismet_settings.AKISMET_API_URL = _running_emulator.url
    yield _running_emulator
    _running_emulator.reset()


@pytest.fixture
def closed_port():
    """A loopback port where nothing listens: a refused connection."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
