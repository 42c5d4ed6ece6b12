"""Fixtures for the comments tests. The Akismet emulator's fixtures (`akismet_emulator`,
`akismet_settings`) are in tests/conftest.py: the browser and logging tests use them too."""

import socket

import pytest

from tests.factories import CommentFactory


@pytest.fixture
def returning_email(article):
    """The address of a reader with an approved comment: not held as a first-time commenter."""
    CommentFactory(article=article, author_email="ada@example.com", status="approved")
    return "ada@example.com"


@pytest.fixture
def closed_port():
    """A loopback port where nothing listens: a refused connection."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
