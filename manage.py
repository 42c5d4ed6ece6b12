#!/usr/bin/env python
"""Django's command-line utility for administrative tasks (on a laptop: ./manage, which runs
this with the project's .venv and DEBUG=1)."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fitness.settings")
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    try:
        execute_from_command_line(sys.argv)
    except DatabaseError as error:
        # A database without the tables a command needs: one line, not a traceback.
        from fitness.core.schema import unmigrated_message

        message = unmigrated_message(error)
        if not message:
            raise
        sys.stderr.write(f"{message}\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
