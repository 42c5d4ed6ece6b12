"""
Fail unless Django, configured from the environment, connects to the expected database vendor.

    DATABASE_URL=postgres://... python -m tools.ci.check_database_vendor [--expect postgresql]

CI's PostgreSQL step runs it after the suite: a DATABASE_URL that was lost on the way would let
the "PostgreSQL" run quietly use SQLite, and pass.
"""

import argparse
import os
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.strip().split("\n\n")[0])
    parser.add_argument(
        "--expect", default="postgresql", help="connection.vendor to insist on (postgresql)"
    )
    args = parser.parse_args(argv)

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fitness.settings")
    django.setup()
    from django.db import connection

    print("database vendor:", connection.vendor)
    if connection.vendor != args.expect:
        print(f"FAIL: expected {args.expect}, got {connection.vendor}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
