"""One log event, one line: what log collectors reading stdout expect."""

import logging


class OneLineFormatter(logging.Formatter):
    """Like logging.Formatter, with newlines in the message and traceback escaped as `\\n`."""

    def format(self, record):
        return super().format(record).replace("\r", "\\r").replace("\n", "\\n")
