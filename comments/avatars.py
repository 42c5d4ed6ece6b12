"""
Avatars drawn locally: the author's initials on a colour picked from a hash of the NAME.

No third-party request and nothing derived from the email address; pure HTML and CSS (the
colours are classes avatar-c0 .. avatar-c11 in static/css/comments.css, no inline style).
This module decides the letters and the colour; comments.rendering.avatar_html writes them.
"""

import unicodedata
import zlib

PALETTE_SIZE = 12


def initials(name):
    """Up to two letters: "Tina Shute" -> "TS", "amy_lofthotmail.com" -> "AC", "" -> "?"."""
    words = [w for w in name.replace("_", " ").replace(".", " ").split() if w[:1].isalnum()]
    letters = "".join(w[0] for w in words[:1] + words[1:][-1:])
    letters = unicodedata.normalize("NFC", letters).upper()
    return letters or "?"


def colour_index(name):
    return zlib.crc32(name.strip().casefold().encode("utf-8")) % PALETTE_SIZE
