"""One log event, one line, and no email address: what log collectors reading stdout expect,
and what the privacy page promises ("the logs never contain your email address").

An exception's message may carry an address that no code chose to log: smtplib's
SMTPRecipientsRefused names the refused recipient, a database error may quote a row. The
formatter replaces every address in the whole line (message and traceback) by `[email]`,
percent-encoded ones (`someone%40example.org`, as in a logged URL) included.
"""

import logging
import re

REDACTED_EMAIL = "[email]"
# Loose on purpose: better a false "[email]" in a log line than an address that gets through.
EMAIL_RE = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+(?:@|%40)[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)


def redact_emails(text: str) -> str:
    return EMAIL_RE.sub(REDACTED_EMAIL, text)


class OneLineFormatter(logging.Formatter):
    """Like logging.Formatter, with newlines in the message and traceback escaped as `\\n`, and
    every email address replaced by `[email]`."""

    def format(self, record):
        line = super().format(record).replace("\r", "\\r").replace("\n", "\\n")
        return redact_emails(line)
