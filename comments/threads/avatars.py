"""
Avatars drawn locally: the author's initials on a colour picked from a hash of the NAME.

No third-party request and nothing derived from the email address; pure HTML and CSS (the
colours are classes avatar-c0 .. avatar-c11 in static/css/comments.css, no inline style).
This module decides the letters and the colour; comments.threads.rendering.avatar_html writes them.
"""

import re
import unicodedata
import zlib

PALETTE_SIZE = 12


# Markup someone typed into their name ("<b>Bob</b>"): the avatar shows the letters, not "?".
_TAG = re.compile(r"<[^>]*>")
# A name written as an address ("amy_lofthotmail.com", "bob@mail.example.org"): the part before
# the @ or the final ".com" is the person; the host is not a second name.
_ADDRESS_TAIL = re.compile(r"(@.*|\.[a-z]{2,6})$", re.IGNORECASE)


def _words(name):
    """The words of a name that start with a letter: "Reader 01" -> ["Reader"]."""
    text = _TAG.sub(" ", name).strip()
    if " " not in text:
        text = _ADDRESS_TAIL.sub("", text) or text
    text = re.sub(r"[_.@+\-]+", " ", text)
    return [w for w in text.split() if w[:1].isalpha()]


def initials(name):
    """Up to two letters: "Tina Shute" -> "TS", "amy_lofthotmail.com" -> "AL",
    "Reader 01" -> "R", "<b>Bob</b>" -> "B", "" -> "?"."""
    words = _words(name or "")
    letters = "".join(w[0] for w in words[:1] + words[1:][-1:])
    letters = unicodedata.normalize("NFC", letters).upper()
    return letters or "?"


def colour_index(name):
    return zlib.crc32(name.strip().casefold().encode("utf-8")) % PALETTE_SIZE
