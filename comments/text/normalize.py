"""
The form of a comment's text that duplicate detection compares.

Two texts that a reader would call the same must compare equal, or the duplicate check is
got round by resending with a capital letter, a doubled or non-breaking space, an invisible
zero-width space, a trailing full stop or a Cyrillic "а" for a Latin "a". So, in order:

1. Unicode NFKC: compatibility forms become the plain letter (fullwidth "Ｇ", ligatures,
   non-breaking and other odd spaces);
2. format characters (category Cf: zero-width space and joiners, soft hyphen, bidi marks)
   are dropped; they change nothing a reader sees;
3. casefold, then the common Cyrillic and Greek look-alikes of Latin letters become those
   letters;
4. runs of whitespace become one space; trailing full stops and similar marks are dropped.

Only for comparing: the comment is stored and shown as it was written.
"""

import unicodedata

# Cyrillic and Greek letters (after casefold) drawn like a Latin letter: Unicode's
# confusables.txt, the ones that matter for text in Latin script.
LOOK_ALIKES = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "һ": "h", "і": "i", "ї": "i", "ј": "j",
        "к": "k", "ӏ": "l", "м": "m", "н": "h", "о": "o", "р": "p", "ԛ": "q", "с": "c",
        "ѕ": "s", "т": "t", "у": "y", "ԝ": "w", "х": "x", "ԁ": "d", "ɡ": "g",
        # Greek
        "α": "a", "β": "b", "ε": "e", "η": "h", "ι": "i", "κ": "k", "μ": "m", "ο": "o",
        "ρ": "p", "τ": "t", "υ": "y", "χ": "x", "ζ": "z", "ϲ": "c",
    }
)  # fmt: skip
TRAILING_MARKS = " .!?…,;:"


def normal_form(text):
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(char for char in text if unicodedata.category(char) != "Cf")
    text = text.casefold().translate(LOOK_ALIKES)
    return " ".join(text.split()).rstrip(TRAILING_MARKS)


def said_before(text, bodies) -> bool:
    """Whether any of `bodies` (earlier texts) has the same normal form as `text`."""
    wanted = normal_form(text)
    return any(normal_form(body) == wanted for body in bodies)
