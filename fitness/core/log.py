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


def logging_config(level):
    """Django's LOGGING: every event one line on stdout (OneLineFormatter: tracebacks included,
    newlines escaped, addresses redacted), at `level` for every logger, Django's included; the
    database's queries, template debugging (a reader's name, address and text) and httpx stay
    at WARNING."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "line": {
                "class": "fitness.core.log.OneLineFormatter",
                "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            },
        },
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "line",
            },
        },
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            "django": {"handlers": ["stdout"], "level": level, "propagate": False},
            "django.db.backends": {"level": "WARNING"},
            # Its DEBUG lines dump a template's context: a reader's name, address and text.
            "django.template": {"level": "WARNING"},
            "httpx": {"level": "WARNING"},
        },
    }
