"""The cached page's CSRF tokens are Django's kind of token, drawn faster."""

from collections import Counter

from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token
from django.test import RequestFactory

from fitness import csrf_token


def test_a_new_reader_gets_a_secret_for_the_cookie_and_a_token_that_unmasks_to_it():
    request = RequestFactory().get("/")

    token = csrf_token.get_token(request)

    secret = request.META["CSRF_COOKIE"]
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    assert len(secret) == 32 and len(token) == 64
    assert set(secret + token) <= set(CSRF_ALLOWED_CHARS)
    assert _unmask_cipher_token(token) == secret


def test_a_returning_reader_keeps_their_secret_under_a_new_mask():
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = "a" * 32

    first, second = csrf_token.get_token(request), csrf_token.get_token(request)

    assert request.META["CSRF_COOKIE"] == "a" * 32
    assert first != second
    assert _unmask_cipher_token(first) == _unmask_cipher_token(second) == "a" * 32


def test_every_character_is_drawn_about_equally_often():
    counts = Counter(csrf_token.random_chars(62 * 2500))

    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    # 2,500 expected each, give or take 50; taking every byte modulo 62 would give the first
    # eight characters about 3,000.
    assert max(counts.values()) < 2800 and min(counts.values()) > 2200
