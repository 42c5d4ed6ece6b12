"""
A reader's text as we keep it: NFC, no control characters, not blank. Shared by the reader's
form, a staff reply from the admin and anything else that takes text from a person.
"""

import unicodedata

from django.core.exceptions import ValidationError

# The form's hidden honeypot field; Akismet is told its name (honeypot_field_name).
HONEYPOT_FIELD = "contact_me_by_fax_only"

# Characters that have no business in a comment: controls (but tab/newline) and bidi overrides.
ALLOWED_CONTROLS = {"\n", "\r", "\t"}
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean_text(value, *, multiline, empty_message="This field is required."):
    """NFC-normalised text without control characters; raises on what cannot be meant."""
    value = unicodedata.normalize("NFC", value)
    for char in value:
        if char in BIDI_CONTROLS or (
            unicodedata.category(char) in {"Cc", "Cs"} and char not in ALLOWED_CONTROLS
        ):
            raise ValidationError(
                "Please remove the invisible control characters from this field.",
                code="control_characters",
            )
        if not multiline and char in "\r\n\t":
            raise ValidationError("Please keep this on one line.", code="multiline")
    if not "".join(c for c in value if unicodedata.category(c)[0] not in "CZ").strip():
        raise ValidationError(empty_message, code="required")
    return value.strip()
