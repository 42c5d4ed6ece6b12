"""
`get_token(request)`, as Django's, drawing its randomness with one system call instead of 64.

Django draws a new visitor's CSRF secret and each token's mask one character at a time with
`secrets.choice`: 64 reads of the kernel's random source per token, about 90 µs, as much as
the rest of a cached page hit. A cached page hands a token to every new reader, so it uses
this instead. The values are the same kind Django makes (32 characters from
`CSRF_ALLOWED_CHARS`, uniformly drawn; the token is the mask followed by the masked secret),
stored in the same `request.META` keys, so `CsrfViewMiddleware` sets the cookie and checks
the post exactly as it does for a token from `{% csrf_token %}`.
"""

import secrets

from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

_CHARS = CSRF_ALLOWED_CHARS
_BASE = len(_CHARS)  # 62
_INDEX = {char: index for index, char in enumerate(_CHARS)}
# A random byte below 248 maps onto the 62 characters evenly (4 bytes each); the 8 bytes from
# 248 up would favour the first 8 characters, so they are dropped and drawn again.
_UNBIASED_BELOW = 256 - 256 % _BASE
_TO_CHAR = bytes(ord(_CHARS[byte % _BASE]) for byte in range(256))
_DROPPED = bytes(range(_UNBIASED_BELOW, 256))


def random_chars(length):
    """`length` characters of CSRF_ALLOWED_CHARS, each uniformly and independently drawn."""
    drawn = b""
    while len(drawn) < length:
        # 3% of bytes are dropped, so twice the bytes nearly always suffice in one call.
        drawn += secrets.token_bytes(2 * length).translate(_TO_CHAR, _DROPPED)
    return drawn[:length].decode("ascii")


def mask(secret):
    """The token for `secret`: a fresh mask, then the secret shifted by it (Django's format)."""
    mask_chars = random_chars(len(secret))
    cipher = "".join(
        _CHARS[(_INDEX[s] + _INDEX[m]) % _BASE] for s, m in zip(secret, mask_chars, strict=True)
    )
    return mask_chars + cipher


def get_token(request):
    """A CSRF token for a form in this response; sets the cookie when the reader has none."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        secret = random_chars(CSRF_SECRET_LENGTH)
        request.META["CSRF_COOKIE"] = secret
    # Sent again even if the reader has it, to renew its expiry (as Django does).
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return mask(secret)
